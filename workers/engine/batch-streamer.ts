import { BaseStreamer, type TextStreamer } from '@huggingface/transformers';
import type { TokenEvent } from '../../src/lib/generate';
import type { RowCutter } from './row-cutter';

/**
 * Receives each decode step's tokens (one per row) from `generate`, hands them to the rows and
 * streams the resulting text per row. The library's first `put` is the prompt (full input ids);
 * it only marks when prefill began.
 */
export class BatchStreamer extends BaseStreamer {
  readonly #rows: readonly RowCutter[];
  readonly #now: () => number;
  readonly #onToken: ((row: number, event: TokenEvent) => void) | undefined;
  readonly #onAccepted: ((row: number, id: number, atMs: number) => void) | undefined;
  #sawPrompt = false;
  /** When this `generate` call started on the prompt, in request ms; null until then. */
  promptAtMs: number | null = null;

  /** `onAccepted` runs after a row counted a token (and its text was streamed): logprobs, `stopWhen`. */
  constructor(
    rows: readonly RowCutter[],
    now: () => number,
    onToken?: (row: number, event: TokenEvent) => void,
    onAccepted?: (row: number, id: number, atMs: number) => void,
  ) {
    super();
    this.#rows = rows;
    this.#now = now;
    this.#onToken = onToken;
    this.#onAccepted = onAccepted;
  }

  override put(value: bigint[][]): void {
    const atMs = this.#now();
    if (!this.#sawPrompt) {
      this.#sawPrompt = true;
      this.promptAtMs = atMs;
      return;
    }
    value.forEach((ids, row) => {
      const id = Number(ids[0]);
      const event = this.#rows[row].accept(id, atMs);
      if (!event) return;
      this.#onToken?.(row, event);
      this.#onAccepted?.(row, id, atMs);
    });
  }

  override end(): void {}
}

/**
 * 4.3.1's typings intersect `GenerationConfig.streamer` (a TextStreamer) into generate()'s
 * options, so no other BaseStreamer type-checks there; at runtime generate() only calls
 * put() and end(). This narrows the type for that one call site.
 */
export function asGenerateStreamer(streamer: BaseStreamer): TextStreamer {
  return streamer as TextStreamer;
}
