import { IncrementalDecoder, type DecodeFn } from './incremental-decoder';
import { scanForStop, stopSearchStart } from './stop-strings';

/**
 * One row's generated text: decodes tokens incrementally, cuts at the first stop string, and
 * decides how much may be streamed yet.
 *
 * Invariant: the concatenation of everything `push`, `flush` and `appendForced` hand out equals
 * `text` — what was streamed is exactly what the sample ends up with, and a stop string (or a
 * prefix of one that may still complete) is never streamed.
 */
export class RowText {
  readonly #decoder: IncrementalDecoder;
  readonly #stops: readonly string[];
  #text = '';
  #streamed = 0;
  /** Stops may not start before this index (forced text is never searched). */
  #stopFloor = 0;

  constructor(decode: DecodeFn, stops: readonly string[]) {
    this.#decoder = new IncrementalDecoder(decode);
    this.#stops = stops.filter((stop) => stop.length > 0);
  }

  get text(): string {
    return this.#text;
  }

  /** Adds a generated token. `stopped` means a stop string ended the row; it is cut off the text. */
  push(id: number): { stream: string; stopped: boolean } {
    const previousLength = this.#text.length;
    this.#text += this.#decoder.push(id);
    if (this.#stops.length === 0) return { stream: this.#take(this.#text.length), stopped: false };

    const from = stopSearchStart(previousLength, this.#stops, this.#stopFloor);
    const scan = scanForStop(this.#text, this.#stops, from);
    if (scan.stopAt !== null) {
      this.#text = this.#text.slice(0, scan.stopAt);
      return { stream: this.#take(this.#text.length), stopped: true };
    }
    return { stream: this.#take(scan.safeEnd), stopped: false };
  }

  /** The row will get no more tokens (or forced text follows): release everything held back. */
  flush(): string {
    this.#text += this.#decoder.flush();
    return this.#take(this.#text.length);
  }

  /** Appends engine-forced text (after `flush`); it is streamed by the caller as is. */
  appendForced(forced: string): void {
    this.#text += forced;
    this.#streamed = this.#text.length;
    this.#stopFloor = this.#text.length;
  }

  #take(end: number): string {
    if (end <= this.#streamed) return '';
    const piece = this.#text.slice(this.#streamed, end);
    this.#streamed = end;
    return piece;
  }
}
