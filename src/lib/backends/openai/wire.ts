/**
 * The OpenAI-compatible wire format as vLLM's `entrypoints/openai/protocol.py` defines it (the
 * fields SGLang, llama.cpp's server and Ollama share), for the two endpoints thinkbench uses:
 * `/v1/chat/completions` and `/v1/completions`. Request bodies are typed here; answers are
 * parsed from untrusted JSON into `StreamChunk`s once, at the edge.
 *
 * Streamed and whole answers parse to the same shape (a whole choice is one big delta), so the
 * client and the probe have one code path.
 */
import { arrayField, field, isRecord, numberField, stringField } from './json';
import { RemoteProtocolError } from './errors';

export interface WireMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Sampling and output fields both endpoints take (vLLM's extra `top_k` included). */
export interface WireSampling {
  model: string;
  n?: number;
  max_tokens: number;
  temperature: number;
  top_p?: number;
  top_k?: number;
  seed?: number;
  stop?: string[];
  stream?: boolean;
  stream_options?: { include_usage: boolean };
}

export interface ChatBody extends WireSampling {
  messages: WireMessage[];
  /** Chat: a boolean, with `top_logprobs` (0–20) alternatives per token. */
  logprobs?: boolean;
  top_logprobs?: number;
  chat_template_kwargs?: { enable_thinking?: boolean };
  /** vLLM / SGLang: continue the last (assistant) message instead of starting a new turn. */
  continue_final_message?: boolean;
  add_generation_prompt?: boolean;
}

export interface CompletionBody extends WireSampling {
  prompt: string;
  /** Completions: the number of alternatives per token (legacy format), absent for none. */
  logprobs?: number;
}

export type Endpoint = 'chat' | 'completions';

export const ENDPOINT_PATH: Record<Endpoint, string> = { chat: '/chat/completions', completions: '/completions' };

export interface WireTopLogprob {
  token: string;
  logprob: number;
}

export interface WireTokenLogprob extends WireTopLogprob {
  top: WireTopLogprob[];
}

/** Which field carried separated reasoning text (vLLM ≥ 0.10 `reasoning`; older vLLM, SGLang, llama.cpp, Ollama `reasoning_content`). */
export type ReasoningField = 'reasoning' | 'reasoning_content';

export interface ChoiceDelta {
  index: number;
  content: string;
  reasoning: string;
  reasoningField: ReasoningField | null;
  logprobs: WireTokenLogprob[];
  finishReason: string | null;
  /** vLLM: the stop string that ended the choice (null at EOS); other servers leave it out. */
  stopReason: string | null;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

export interface StreamChunk {
  choices: ChoiceDelta[];
  usage: Usage | null;
}

/** One chunk (or a whole answer) of either endpoint. */
export function parseChunk(json: unknown, endpoint: Endpoint): StreamChunk {
  if (!isRecord(json)) throw new RemoteProtocolError('the server sent JSON that is not an object');
  const errorMessage = stringField(field(json, 'error'), 'message');
  if (errorMessage !== undefined) throw new RemoteProtocolError(`the server reported an error mid-stream: ${errorMessage}`);
  const choices = arrayField(json, 'choices').map((choice) => (endpoint === 'chat' ? chatChoice(choice) : completionChoice(choice)));
  return { choices, usage: parseUsage(field(json, 'usage')) };
}

function parseUsage(value: unknown): Usage | null {
  const promptTokens = numberField(value, 'prompt_tokens');
  const completionTokens = numberField(value, 'completion_tokens');
  return promptTokens === undefined || completionTokens === undefined ? null : { promptTokens, completionTokens };
}

function chatChoice(choice: unknown): ChoiceDelta {
  // Streamed chunks carry `delta`, whole answers `message`.
  const message = field(choice, 'delta') ?? field(choice, 'message');
  const reasoning = stringField(message, 'reasoning');
  const reasoningContent = stringField(message, 'reasoning_content');
  return {
    index: numberField(choice, 'index') ?? 0,
    content: stringField(message, 'content') ?? '',
    reasoning: reasoning ?? reasoningContent ?? '',
    reasoningField: reasoning !== undefined ? 'reasoning' : reasoningContent !== undefined ? 'reasoning_content' : null,
    logprobs: arrayField(field(choice, 'logprobs'), 'content').map(chatTokenLogprob),
    finishReason: stringField(choice, 'finish_reason') ?? null,
    stopReason: stringField(choice, 'stop_reason') ?? null,
  };
}

function chatTokenLogprob(entry: unknown): WireTokenLogprob {
  return { ...topLogprob(entry), top: arrayField(entry, 'top_logprobs').map(topLogprob) };
}

function topLogprob(entry: unknown): WireTopLogprob {
  return { token: stringField(entry, 'token') ?? '', logprob: numberField(entry, 'logprob') ?? Number.NEGATIVE_INFINITY };
}

function completionChoice(choice: unknown): ChoiceDelta {
  const logprobs = field(choice, 'logprobs');
  const tokens = arrayField(logprobs, 'tokens');
  const values = arrayField(logprobs, 'token_logprobs');
  const tops = arrayField(logprobs, 'top_logprobs');
  return {
    index: numberField(choice, 'index') ?? 0,
    content: stringField(choice, 'text') ?? '',
    reasoning: '',
    reasoningField: null,
    logprobs: tokens.map((token, i) => ({
      token: typeof token === 'string' ? token : '',
      logprob: typeof values[i] === 'number' ? values[i] : Number.NEGATIVE_INFINITY,
      // The legacy format keeps alternatives as {token: logprob}; sorted best first here.
      top: Object.entries(isRecord(tops[i]) ? tops[i] : {})
        .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
        .map(([text, logprob]) => ({ token: text, logprob }))
        .sort((a, b) => b.logprob - a.logprob),
    })),
    finishReason: stringField(choice, 'finish_reason') ?? null,
    stopReason: stringField(choice, 'stop_reason') ?? null,
  };
}

/** `{"error": {"message": …}}` (OpenAI, vLLM), `{"message": …}` (older vLLM), or `{"error": "…"}` (Ollama). */
export function errorMessageOf(body: string): string {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return body.slice(0, 300) || '(empty body)';
  }
  const error = field(json, 'error');
  return stringField(error, 'message') ?? (typeof error === 'string' ? error : undefined) ?? stringField(json, 'message') ?? body.slice(0, 300);
}
