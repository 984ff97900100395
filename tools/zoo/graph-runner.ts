/**
 * Runs a twin's ONNX graph directly on onnxruntime-node, below Transformers.js, so that its
 * logits can be checked against tools/zoo/reference.py and against its own fp32 variant:
 * a whole sequence in one call, or token by token through the KV cache.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';

export type ZooDtype = 'fp32' | 'fp16' | 'q8' | 'q4' | 'q4f16';

const SUFFIX: Record<ZooDtype, string> = { fp32: '', fp16: '_fp16', q8: '_quantized', q4: '_q4', q4f16: '_q4f16' };

interface TwinConfig {
  num_hidden_layers: number;
  num_key_value_heads: number;
  num_attention_heads: number;
  hidden_size: number;
  /** Absent in Qwen2 and older Llama configs: hidden_size / num_attention_heads. */
  head_dim?: number;
  vocab_size: number;
}

export class GraphRunner {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly config: TwinConfig,
    private readonly half: boolean,
  ) {}

  static async open(dir: string, dtype: ZooDtype): Promise<GraphRunner> {
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as TwinConfig;
    const session = await ort.InferenceSession.create(join(dir, 'onnx', `model${SUFFIX[dtype]}.onnx`));
    return new GraphRunner(session, config, dtype === 'fp16' || dtype === 'q4f16');
  }

  /** Logits [ids.length][vocab] of one sequence fed at once (no cache). */
  async prefill(ids: readonly number[]): Promise<Float32Array[]> {
    const { logits } = await this.step(ids, ids.length, this.emptyCache());
    return logits;
  }

  /** Logits at each position, feeding one token at a time through the KV cache. */
  async incremental(ids: readonly number[]): Promise<Float32Array[]> {
    let cache = this.emptyCache();
    const rows: Float32Array[] = [];
    for (let i = 0; i < ids.length; i++) {
      const out = await this.step([ids[i]], i + 1, cache);
      rows.push(out.logits[0]);
      cache = out.cache;
    }
    return rows;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }

  private emptyCache(): Record<string, ort.Tensor> {
    const { num_hidden_layers: layers, num_key_value_heads: heads } = this.config;
    const dim = this.config.head_dim ?? this.config.hidden_size / this.config.num_attention_heads;
    const cache: Record<string, ort.Tensor> = {};
    for (let i = 0; i < layers; i++) {
      for (const kind of ['key', 'value']) {
        cache[`past_key_values.${i}.${kind}`] = this.half
          ? new ort.Tensor('float16', new Uint16Array(0), [1, heads, 0, dim])
          : new ort.Tensor('float32', new Float32Array(0), [1, heads, 0, dim]);
      }
    }
    return cache;
  }

  private async step(
    ids: readonly number[],
    total: number,
    cache: Record<string, ort.Tensor>,
  ): Promise<{ logits: Float32Array[]; cache: Record<string, ort.Tensor> }> {
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
      ...cache,
    };
    const out = await this.session.run(feeds);
    const vocab = this.config.vocab_size;
    const flat = toFloat32(out.logits);
    const logits = ids.map((_, i) => flat.slice(i * vocab, (i + 1) * vocab));
    const next: Record<string, ort.Tensor> = {};
    for (const name of Object.keys(cache)) next[name] = out[name.replace('past_key_values', 'present')];
    return { logits, cache: next };
  }
}

function toFloat32(tensor: ort.Tensor): Float32Array {
  if (tensor.type === 'float32') return tensor.data as Float32Array;
  if (tensor.type === 'float16') {
    const data = tensor.data;
    if (data instanceof Uint16Array) return Float32Array.from(data, halfToFloat);
    return Float32Array.from(data as ArrayLike<number>);
  }
  throw new Error(`logits of type ${tensor.type}`);
}

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** Largest |a − b| over all positions, relative to the largest |b| (the reference's scale). */
export function relativeError(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let diff = 0;
  let scale = 0;
  a.forEach((row, i) => {
    row.forEach((value, j) => {
      diff = Math.max(diff, Math.abs(value - b[i][j]));
      scale = Math.max(scale, Math.abs(b[i][j]));
    });
  });
  return diff / scale;
}

export function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}
