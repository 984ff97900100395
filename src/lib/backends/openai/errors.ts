/**
 * Typed errors of the remote backend. The UI and the CLI switch on `name` and show `message`,
 * which always says what to do next.
 */

/** The server answered with an error status (after retries, for 429 and 5xx). */
export class RemoteHttpError extends Error {
  override readonly name = 'RemoteHttpError';
  constructor(
    readonly status: number,
    /** The server's own message (OpenAI-style `error.message`), or the start of its body. */
    readonly serverMessage: string,
    readonly url: string,
  ) {
    super(`${url} answered ${status}: ${serverMessage}${hintFor(status)}`);
  }
}

function hintFor(status: number): string {
  if (status === 401 || status === 403) return ' (check the API key)';
  if (status === 404) return ' (check the base URL: it should end in /v1, and the model name)';
  if (status === 429) return ' (the server is busy; lower the concurrency)';
  return '';
}

/**
 * The request never got an answer: the server is down, the address is wrong, or — in a
 * browser — the server does not allow this page's origin (CORS), which the browser reports
 * exactly like a refused connection.
 */
export class RemoteNetworkError extends Error {
  override readonly name = 'RemoteNetworkError';
  constructor(
    readonly url: string,
    detail: string,
    inBrowser: boolean,
  ) {
    super(
      `cannot reach ${url} (${detail}). ` +
        (inBrowser
          ? 'Check that the server runs and the URL is right. If it does, the server probably does not allow requests from this page (CORS), which the browser reports the same way: vLLM, SGLang, llama.cpp\'s server and `thinkbench serve` allow every origin unless told otherwise (vLLM: --allowed-origins); Ollama needs OLLAMA_ORIGINS set to this page\'s origin or *.'
          : 'Check that the server runs and the URL is right.'),
    );
  }
}

/** The server said something that is not the OpenAI-compatible API (bad JSON, wrong shape). */
export class RemoteProtocolError extends Error {
  override readonly name = 'RemoteProtocolError';
}

/** The request needs something this server does not offer (found by the capability probe). */
export class RemoteUnsupportedError extends Error {
  override readonly name = 'RemoteUnsupportedError';
  constructor(what: string, reason: string) {
    super(`${what} is not supported by this server: ${reason}`);
  }
}
