import { LogitsProcessor, type Tensor } from '@huggingface/transformers';
import type { RowCutter } from './row-cutter';

/**
 * The budget cut as a logits processor: at decode step `budgetTokens`, every row still
 * thinking is cut (its RowCutter appends the forced text) and then *generates* the forced text's
 * tokens, one per step, because every other token's logit is set to −∞. Rows not cut sample on
 * as usual, so the batch stays in lockstep with every column of every row a real token.
 *
 * Why not append the forced ids to the input and continue from the cache (the earlier design)?
 * Rows that are not cut need no forced text, so the batch had to be padded *inside* rows with
 * attention-mask zeros, and it fed several tokens at once on top of a cache. Graphs built on
 * onnxruntime's GroupQueryAttention (the onnx-community exports) support neither: they take each
 * row's length from sum(attention_mask), so an inner pad overwrites the row's last cached token,
 * and they refuse more than one new token per row with a cache at batch > 1
 * ("batch_size must be 1 when sequence_length > 1 and past context is given"). Forcing through
 * the logits needs neither, costs one decode step per forced token, and never recomputes the
 * prompt or the kept thinking. Runs after every sampling warper, so it has the last word.
 */
export class ForcedTokens extends LogitsProcessor {
  readonly #rows: readonly RowCutter[];
  readonly #budgetTokens: number;
  readonly #forcedIds: readonly number[];
  readonly #cut: (row: number) => void;
  readonly #pending: number[][];
  #step = 0;

  /** `cut(row)` is called once per row cut, before its first forced token is chosen. */
  constructor(rows: readonly RowCutter[], budgetTokens: number, forcedIds: readonly number[], cut: (row: number) => void) {
    super();
    if (forcedIds.length === 0) throw new Error('a budget cut needs forced text that encodes to at least one token');
    this.#rows = rows;
    this.#budgetTokens = budgetTokens;
    this.#forcedIds = forcedIds;
    this.#cut = cut;
    this.#pending = rows.map(() => []);
  }

  override _call(_inputIds: bigint[][], logits: Tensor): Tensor {
    // One call per decode step, before the step's token is chosen: at call B, B tokens exist.
    if (this.#step++ === this.#budgetTokens) {
      this.#rows.forEach((row, i) => {
        if (!row.thinking) return;
        this.#cut(i);
        this.#pending[i] = [...this.#forcedIds];
      });
    }
    const vocab = logits.dims.at(-1) ?? 0;
    const data = logits.data;
    if (!(data instanceof Float32Array)) throw new Error(`expected float32 logits, got ${logits.type}`);
    this.#pending.forEach((queue, i) => {
      const id = queue.shift();
      if (id === undefined) return;
      const row = data.subarray(i * vocab, (i + 1) * vocab);
      row.fill(-Infinity);
      row[id] = 0;
    });
    return logits;
  }

  /** Decode steps the forced text adds to a cut row (generate's max_new_tokens must allow them). */
  get extraSteps(): number {
    return this.#forcedIds.length;
  }
}
