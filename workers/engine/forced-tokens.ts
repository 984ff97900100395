import { LogitsProcessor, type Tensor } from '@huggingface/transformers';
import type { RowCutter } from './row-cutter';
import { wouldEnd } from './would-end';

/** Think shorter: a row still thinking once it has `budgetTokens` tokens is cut and generates `forcedIds` (the answer delimiter). */
export interface CutRule {
  budgetTokens: number;
  forcedIds: readonly number[];
  /** Called once per row cut, before its first forced token is chosen. */
  onCut: (row: number) => void;
}

/**
 * Think longer (s1): a row about to end its thinking — its next token would be one of `endIds`
 * (the end marker, or EOS) — while it has had fewer than `times` extensions generates `forcedIds`
 * ("Wait") in that token's place instead, and thinks on. The end token is never fed.
 */
export interface ExtendRule {
  times: number;
  forcedIds: readonly number[];
  endIds: readonly number[];
  greedy: boolean;
  /** A uniform number in [0, 1) from the request's seeded RNG (would-end.ts). */
  draw: () => number;
  /** Called once per extension, before its first forced token is chosen. */
  onExtend: (row: number) => void;
}

/**
 * Budget forcing through the logits: when a rule applies to a row, the row *generates* the
 * rule's forced text, one token per step, because every other token's logit is set to −∞. Rows
 * not forced sample on as usual, so the batch stays in lockstep with every column of every row a
 * real token. Each row keeps its own state (its RowCutter counts its tokens and extensions): a
 * row's forced tokens are not generated tokens, so after an extension rows no longer hold equal
 * counts, and the budget is checked per row.
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
  readonly #cut: CutRule | undefined;
  readonly #extend: ExtendRule | undefined;
  readonly #pending: number[][];

  constructor(rows: readonly RowCutter[], rules: { cut?: CutRule; extend?: ExtendRule }) {
    super();
    if (rules.cut?.forcedIds.length === 0) throw new Error('a budget cut needs forced text that encodes to at least one token');
    if (rules.extend?.forcedIds.length === 0) throw new Error('extending thinking needs text that encodes to at least one token');
    this.#rows = rows;
    this.#cut = rules.cut;
    this.#extend = rules.extend;
    this.#pending = rows.map(() => []);
  }

  override _call(_inputIds: bigint[][], logits: Tensor): Tensor {
    // One call per decode step, before the step's token is chosen: each row has counted its tokens so far.
    const vocab = logits.dims.at(-1) ?? 0;
    const data = logits.data;
    if (!(data instanceof Float32Array)) throw new Error(`expected float32 logits, got ${logits.type}`);
    this.#rows.forEach((row, i) => {
      const values = data.subarray(i * vocab, (i + 1) * vocab);
      if (this.#pending[i].length === 0 && row.thinking) this.#pending[i] = this.#forcingFor(i, values);
      const id = this.#pending[i].shift();
      if (id === undefined) return;
      values.fill(-Infinity);
      values[id] = 0;
    });
    return logits;
  }

  /** The ids a thinking row must generate from this step on; empty when no rule applies. */
  #forcingFor(i: number, values: Float32Array): number[] {
    const row = this.#rows[i];
    const cut = this.#cut;
    if (cut && row.tokens >= cut.budgetTokens) {
      cut.onCut(i);
      return [...cut.forcedIds];
    }
    const extend = this.#extend;
    if (extend && row.extensions < extend.times && wouldEnd(values, extend.endIds, extend.greedy, extend.draw)) {
      extend.onExtend(i);
      return [...extend.forcedIds];
    }
    return [];
  }

  /** Decode steps forced text may add to a row (generate's max_new_tokens must allow them). */
  get extraSteps(): number {
    return (this.#cut?.forcedIds.length ?? 0) + (this.#extend ? this.#extend.times * this.#extend.forcedIds.length : 0);
  }
}
