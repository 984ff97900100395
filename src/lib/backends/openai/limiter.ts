/**
 * At most `limit` tasks at a time; the rest wait in order. Used for fanning out `n` single
 * requests to servers that ignore `n`, so a run never opens more connections than asked.
 */
export class Limiter {
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be a whole number ≥ 1, got ${limit}`);
  }

  get active(): number {
    return this.#active;
  }

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.#active >= this.limit) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          const at = this.#waiting.indexOf(wake);
          if (at >= 0) this.#waiting.splice(at, 1);
          reject(abortReason(signal));
        };
        const wake = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        this.#waiting.push(wake);
      });
    } else {
      signal?.throwIfAborted();
      this.#active += 1;
    }
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiter (still counted), so no newcomer can slip in between.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#active -= 1;
    }
  }
}

export function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('aborted', 'AbortError');
}
