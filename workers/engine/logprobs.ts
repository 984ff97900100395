import { LogitsProcessor, type Tensor } from '@huggingface/transformers';
import type { TokenLogprobs } from '../../src/lib/generate';

/** What the recorder needs to know of a row: whether it still takes tokens. */
interface LiveRow {
  readonly done: boolean;
}

/** One row's numbers for the step in flight, from the raw logits (before any warper). */
interface PendingStep {
  raw: Float32Array;
  logNormalizer: number;
  entropy: number;
  selfCertainty: number;
  topIds: Int32Array;
  topLogprobs: Float32Array;
  warped: Float32Array | null;
  warpedLogNormalizer: number;
}

/** One row's tokens so far, in growable plain arrays (packed into typed arrays at the end). */
class RowLog {
  ids: number[] = [];
  logprobs: number[] = [];
  sampledLogprobs: number[] = [];
  entropies: number[] = [];
  selfCertainties: number[] = [];
  topIds: number[] = [];
  topLogprobs: number[] = [];
  /** DeepConf token confidence per token; grown in a typed buffer so `stopWhen` can read a view. */
  confidences = new Float32Array(64);
  count = 0;

  pushConfidence(value: number): void {
    if (this.count === this.confidences.length) {
      const grown = new Float32Array(this.confidences.length * 2);
      grown.set(this.confidences);
      this.confidences = grown;
    }
    this.confidences[this.count++] = value;
  }
}

/**
 * Per-token log-probabilities for the rows of one request (issue 13).
 *
 * Two logits processors bracket the warpers: `raw` runs first and sees the model's own logits
 * (before temperature, top-k, top-p and any bias), `warped` runs last and sees the distribution
 * the sampler draws from. The sampler's choice is only known when the streamer receives the
 * step's tokens; `commit` then reads the chosen token's value from both. Work is done only for
 * rows that still take tokens, and only when the request asked: nothing is copied otherwise.
 *
 * Token confidence follows DeepConf (Fu et al. 2025, `compute_confidence`): minus the mean
 * log-probability of the top-K tokens (higher = more peaked). With K = 0 it is the chosen token's
 * own log-probability (also higher = more confident), which DeepConf does not define.
 */
export class LogprobsRecorder {
  readonly #topK: number;
  readonly #greedy: boolean;
  readonly #decode: (id: number) => string;
  readonly #texts = new Map<number, string>();
  readonly #pending: (PendingStep | null)[];
  readonly #logs: RowLog[];
  /** Runs before every warper. */
  readonly raw: LogitsProcessor;
  /** Runs after every warper. */
  readonly warped: LogitsProcessor;

  constructor(rows: readonly LiveRow[], options: { topK: number; greedy: boolean; decode: (id: number) => string }) {
    if (!Number.isInteger(options.topK) || options.topK < 0 || options.topK > 20) {
      throw new RangeError(`logprobs.topK must be a whole number in [0, 20], got ${options.topK}`);
    }
    this.#topK = options.topK;
    this.#greedy = options.greedy;
    this.#decode = options.decode;
    this.#pending = rows.map(() => null);
    this.#logs = rows.map(() => new RowLog());
    this.raw = processor((row, logits) => this.#captureRaw(row, logits), rows);
    this.warped = processor((row, logits) => this.#captureWarped(row, logits), rows);
  }

  /** The sampler chose `id` for `row` and the row counted it as a generated token. */
  commit(row: number, id: number): void {
    const pending = this.#pending[row];
    if (!pending) return;
    this.#pending[row] = null;
    const log = this.#logs[row];
    const logprob = pending.raw[id] - pending.logNormalizer;
    log.ids.push(id);
    log.logprobs.push(logprob);
    log.sampledLogprobs.push(
      this.#greedy || !pending.warped ? 0 : pending.warped[id] - pending.warpedLogNormalizer,
    );
    log.entropies.push(pending.entropy);
    log.selfCertainties.push(pending.selfCertainty);
    for (let j = 0; j < this.#topK; j++) {
      log.topIds.push(pending.topIds[j]);
      log.topLogprobs.push(pending.topLogprobs[j]);
    }
    let confidence = logprob;
    if (this.#topK > 0) {
      let sum = 0;
      for (const value of pending.topLogprobs) sum += value;
      confidence = -sum / this.#topK;
    }
    log.pushConfidence(confidence);
  }

  /** The row's token confidences so far (a view; valid until the next commit). */
  confidences(row: number): Float32Array {
    const log = this.#logs[row];
    return log.confidences.subarray(0, log.count);
  }

  result(row: number): TokenLogprobs {
    const log = this.#logs[row];
    const topIds = Int32Array.from(log.topIds);
    return {
      tokenTexts: log.ids.map((id) => this.#text(id)),
      tokenIds: Int32Array.from(log.ids),
      logprobs: Float32Array.from(log.logprobs),
      sampledLogprobs: Float32Array.from(log.sampledLogprobs),
      entropies: Float32Array.from(log.entropies),
      topK: this.#topK,
      topIds,
      topTexts: Array.from(topIds, (id) => this.#text(id)),
      topLogprobs: Float32Array.from(log.topLogprobs),
      selfCertainties: Float32Array.from(log.selfCertainties),
    };
  }

  #text(id: number): string {
    let text = this.#texts.get(id);
    if (text === undefined) {
      text = this.#decode(id);
      this.#texts.set(id, text);
    }
    return text;
  }

  #captureRaw(row: number, logits: Float32Array): void {
    const logNormalizer = logSumExp(logits);
    let expectedLogit = 0;
    let logitSum = 0;
    for (const logit of logits) {
      if (logit === -Infinity) continue;
      expectedLogit += Math.exp(logit - logNormalizer) * logit;
      logitSum += logit;
    }
    const [topIds, topLogits] = topEntries(logits, this.#topK);
    this.#pending[row] = {
      // The warpers edit the logits in place; the chosen token is only known after them.
      raw: logits.slice(),
      logNormalizer,
      entropy: Math.max(0, logNormalizer - expectedLogit),
      selfCertainty: -Math.log(logits.length) - (logitSum / logits.length - logNormalizer),
      topIds,
      topLogprobs: topLogits.map((logit) => logit - logNormalizer),
      warped: null,
      warpedLogNormalizer: 0,
    };
  }

  #captureWarped(row: number, logits: Float32Array): void {
    const pending = this.#pending[row];
    if (!pending || this.#greedy) return;
    // The sampler does not modify the tensor it draws from, so a view stays valid until commit.
    pending.warped = logits;
    pending.warpedLogNormalizer = logSumExp(logits);
  }
}

function processor(capture: (row: number, logits: Float32Array) => void, rows: readonly LiveRow[]): LogitsProcessor {
  return new (class extends LogitsProcessor {
    override _call(_inputIds: bigint[][], logits: Tensor): Tensor {
      const vocab = logits.dims.at(-1) ?? 0;
      const data = logits.data;
      if (!(data instanceof Float32Array)) throw new Error(`expected float32 logits, got ${logits.type}`);
      for (let row = 0; row * vocab < data.length; row++) {
        if (!rows[row].done) capture(row, data.subarray(row * vocab, (row + 1) * vocab));
      }
      return logits;
    }
  })();
}

export function logSumExp(values: Float32Array): number {
  let max = -Infinity;
  for (const value of values) if (value > max) max = value;
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (const value of values) sum += Math.exp(value - max);
  return max + Math.log(sum);
}

/** The k largest entries, largest first (ties: lower id first), by insertion into a short list. */
export function topEntries(values: Float32Array, k: number): [Int32Array, Float32Array] {
  const ids = new Int32Array(k);
  const top = new Float32Array(k).fill(-Infinity);
  let filled = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (filled === k && !(value > top[k - 1])) continue;
    let at = filled < k ? filled++ : k - 1;
    while (at > 0 && top[at - 1] < value) {
      top[at] = top[at - 1];
      ids[at] = ids[at - 1];
      at--;
    }
    top[at] = value;
    ids[at] = i;
  }
  return [ids, top];
}
