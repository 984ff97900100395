import { HubError } from './hub-errors';
import type { FetchLike } from './hub-metadata';

/**
 * Ends a download whose connection has gone idle. "Idle" is judged per window rather than per
 * byte: a mirror that drips one byte every few seconds never goes fully silent, yet it will
 * never finish either, so a window in which fewer than `minBytes` arrived counts as idle too.
 * The watchdog aborts its own signal (which makes a pending fetch or `reader.read()` reject) and
 * keeps the typed error for the caller to throw in place of the abort's generic one.
 */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
/** Under 1 KiB in a whole window is ~17 bytes/s at the default: no real transfer is that slow. */
export const MIN_BYTES_PER_WINDOW = 1024;

export class StallWatchdog {
  readonly signal: AbortSignal;
  #controller = new AbortController();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #bytesInWindow = 0;
  #error: HubError | undefined;

  constructor(
    private readonly url: string,
    private readonly idleMs: number,
    userSignal?: AbortSignal,
  ) {
    this.signal = userSignal ? AbortSignal.any([userSignal, this.#controller.signal]) : this.#controller.signal;
    this.#arm();
  }

  /** The stall error once the watchdog has fired, else undefined. */
  get error(): HubError | undefined {
    return this.#error;
  }

  progress(bytes: number): void {
    this.#bytesInWindow += bytes;
  }

  stop(): void {
    clearTimeout(this.#timer);
  }

  #arm(): void {
    this.#timer = setTimeout(() => {
      if (this.#bytesInWindow >= MIN_BYTES_PER_WINDOW) {
        this.#bytesInWindow = 0;
        this.#arm();
        return;
      }
      const seconds = this.idleMs / 1000;
      this.#error = new HubError(
        'DownloadStalled',
        `${this.url}: the server sent ${this.#bytesInWindow} bytes in the last ${seconds} s (idle limit: under ${MIN_BYTES_PER_WINDOW} bytes in ${seconds} s), so the download was stopped. Try again later or use another mirror.`,
      );
      this.#controller.abort(this.#error);
    }, this.idleMs);
    // In Node, a watchdog alone must not keep the process alive: an error answer whose body
    // nobody reads would otherwise hold `thinkbench pull` open for the whole idle limit.
    (this.#timer as unknown as { unref?: () => void }).unref?.();
  }
}

/**
 * A fetch whose every request (headers and body) is watched by a StallWatchdog: a stalled
 * request rejects, and a stalled body's `read()` rejects, with the `DownloadStalled` error.
 * Bodiless answers (HEAD, opaque redirects) are returned as they came.
 */
export function withIdleTimeout(fetchImpl: FetchLike, idleMs: number = DEFAULT_IDLE_TIMEOUT_MS): FetchLike {
  return async (input, init) => {
    const watchdog = new StallWatchdog(input, idleMs, init?.signal ?? undefined);
    let response: Response;
    try {
      response = await fetchImpl(input, { ...init, signal: watchdog.signal });
    } catch (error) {
      watchdog.stop();
      throw watchdog.error ?? error;
    }
    if (!response.body) {
      watchdog.stop();
      return response;
    }
    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          watchdog.stop();
          throw watchdog.error ?? error;
        }
        if (chunk.done) {
          watchdog.stop();
          controller.close();
          return;
        }
        watchdog.progress(chunk.value.byteLength);
        controller.enqueue(chunk.value);
      },
      cancel(reason) {
        watchdog.stop();
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
