/**
 * The bounded queue in front of the engine: at most `limit` requests admitted (one running,
 * the rest waiting in the engine's own serial queue); one more is refused with 429, so a client
 * backs off instead of piling up requests the engine cannot serve for minutes.
 */
export class Admission {
  #admitted = 0;

  constructor(readonly limit: number) {}

  get admitted(): number {
    return this.#admitted;
  }

  /** A release function, or null when the queue is full. */
  tryAdmit(): (() => void) | null {
    if (this.#admitted >= this.limit) return null;
    this.#admitted += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#admitted -= 1;
    };
  }
}
