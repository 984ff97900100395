import { LogitsProcessor, type Tensor } from '@huggingface/transformers';
import { topKFilter, topPFilter } from './nucleus';

/**
 * Transformers.js 4.3.1 builds the temperature warper but not top-k/top-p (they are commented
 * out; top-k only happens inside the sampler, after any custom processor). All three run here,
 * in Hugging Face's order: temperature → top-k → top-p. Temperature is ours too (the library is
 * given 1) so that a processor placed before it sees the model's own logits (logprobs.ts).
 */
abstract class RowWiseWarper extends LogitsProcessor {
  protected abstract filter(row: Float32Array): void;

  override _call(_inputIds: bigint[][], logits: Tensor): Tensor {
    const vocab = logits.dims.at(-1) ?? 0;
    const data = logits.data;
    if (!(data instanceof Float32Array)) throw new Error(`expected float32 logits, got ${logits.type}`);
    for (let start = 0; start < data.length; start += vocab) this.filter(data.subarray(start, start + vocab));
    return logits;
  }
}

/** Divides the logits by the temperature, exactly as the library's TemperatureLogitsWarper does. */
export class TemperatureWarper extends RowWiseWarper {
  readonly #temperature: number;
  constructor(temperature: number) {
    super();
    if (!(temperature > 0)) throw new RangeError(`temperature must be > 0, got ${temperature}`);
    this.#temperature = temperature;
  }
  protected override filter(row: Float32Array): void {
    for (let i = 0; i < row.length; i++) row[i] /= this.#temperature;
  }
}

/** Adds a fixed bias to given token ids (-Infinity bans them): NoWait's reflection-token ban. */
export class LogitBiasWarper extends RowWiseWarper {
  readonly #bias: ReadonlyMap<number, number>;
  constructor(bias: ReadonlyMap<number, number>) {
    super();
    this.#bias = bias;
  }
  protected override filter(row: Float32Array): void {
    for (const [id, bias] of this.#bias) if (id >= 0 && id < row.length) row[id] += bias;
  }
}

export class TopKWarper extends RowWiseWarper {
  readonly #k: number;
  constructor(k: number) {
    super();
    this.#k = k;
  }
  protected override filter(row: Float32Array): void {
    topKFilter(row, this.#k);
  }
}

export class TopPWarper extends RowWiseWarper {
  readonly #p: number;
  constructor(p: number) {
    super();
    if (!(p > 0 && p <= 1)) throw new RangeError(`topP must be in (0, 1], got ${p}`);
    this.#p = p;
  }
  protected override filter(row: Float32Array): void {
    topPFilter(row, this.#p);
  }
}
