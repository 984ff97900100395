/**
 * The physical limit line of decoding at batch 1: generating one token reads every weight once,
 * except the embedding table, of which one row is read. So decode tokens/s ≤ memory bandwidth /
 * weight bytes per token. Bandwidth is measured in this process as a large typed-array copy
 * (bytes read plus bytes written, per second): a single-threaded memcpy, which the CPU's memory
 * system may exceed with more threads, so the fraction reached is, if anything, overstated.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Dtype } from '../workers/engine/engine';

export const ONNX_SUFFIX: Record<Dtype, string> = { fp32: '', fp16: '_fp16', q8: '_quantized', q4: '_q4', q4f16: '_q4f16' };

/** Bytes of weights read to generate one token: the graph's files less all but one embedding row. */
export function weightBytesPerToken(modelDir: string, dtype: Dtype): number {
  const config = JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8')) as { vocab_size: number; hidden_size: number };
  const stem = join(modelDir, 'onnx', `model${ONNX_SUFFIX[dtype]}.onnx`);
  let bytes = statSync(stem).size;
  try {
    bytes += statSync(`${stem}_data`).size;
  } catch {
    // no external data for this dtype
  }
  const elementBytes = dtype === 'fp16' || dtype === 'q4f16' ? 2 : 4;
  const embedding = config.vocab_size * config.hidden_size * elementBytes;
  return bytes - embedding + config.hidden_size * elementBytes;
}

export function copyBandwidthBytesPerS(): number {
  const size = 256 * 2 ** 20;
  const from = new Float64Array(size / 8).fill(1);
  const to = new Float64Array(size / 8);
  to.set(from); // warm-up: pages in
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    to.set(from);
    best = Math.min(best, performance.now() - t0);
  }
  return (2 * size) / (best / 1000);
}
