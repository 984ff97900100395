/**
 * Speed at real-model scale on a random-weight twin (tools/zoo), onnxruntime-node on the CPU:
 * decode tokens/s at batch 1 against the memory-bandwidth limit, and k = 8 sampled rows in one
 * batch against 8 calls of one (throughput, and what the batch's prefill costs).
 *
 *   /usr/bin/python3 -m tools.zoo.build qwen3 --scale real --seed 0 --out .tmp/zoo/qwen3-real --dtypes q4,q8
 *   npx tsx bench/real-scale.ts --model .tmp/zoo/qwen3-real --dtype q4 [--tokens 32] [--k 8]
 *
 * The limit line (bench/limit-line.ts): decode tokens/s ≤ memory bandwidth / weight bytes read
 * per token.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Prompt } from '../src/lib/generate';
import type { Dtype } from '../workers/engine/engine';
import { loadNodeEngine } from '../workers/engine/node';
import { machine, round } from './common';
import { copyBandwidthBytesPerS, weightBytesPerToken } from './limit-line';

const { values } = parseArgs({
  options: { model: { type: 'string' }, dtype: { type: 'string' }, tokens: { type: 'string' }, k: { type: 'string' } },
  strict: true,
});
if (!values.model) throw new Error('--model DIR (a twin built by tools.zoo.build) is required');
const modelDir = values.model;
const dtype = (values.dtype ?? 'q4') as Dtype;
const tokens = Number(values.tokens ?? 32);
const k = Number(values.k ?? 8);

const zoo = JSON.parse(readFileSync(join(modelDir, 'zoo.json'), 'utf8')) as { family: string; scale: string; parameters: number };

const loadBefore = loadavg()[0];
const prompt: Prompt = { kind: 'chat', messages: [{ role: 'user', content: 'Count from one to twenty, please.' }] };
const loadStart = performance.now();
const engine = await loadNodeEngine({ modelDir, dtype });
const loadMs = performance.now() - loadStart;
await engine.generate({ prompt, n: 1, maxNewTokens: 4, sampling: { temperature: 0 } }); // warm-up

const [single] = await engine.generate({ prompt, n: 1, maxNewTokens: tokens, sampling: { temperature: 0 } });
const bandwidth = copyBandwidthBytesPerS();
const bytesPerToken = weightBytesPerToken(modelDir, dtype);
const limitTokensPerS = bandwidth / bytesPerToken;

// k rows in one call vs k calls of one, alternating which side goes first.
const sampling = { temperature: 1, seed: 5 };
const batchedStart = performance.now();
const batched = await engine.generate({ prompt, n: k, maxNewTokens: tokens, sampling });
const batchedMs = performance.now() - batchedStart;
let sequentialMs = 0;
let sequentialTokens = 0;
for (let i = 0; i < k; i++) {
  const t0 = performance.now();
  const [row] = await engine.generate({ prompt, n: 1, maxNewTokens: tokens, sampling: { ...sampling, seed: 100 + i } });
  sequentialMs += performance.now() - t0;
  sequentialTokens += row.tokens;
}
const batchedTokens = batched.reduce((sum, s) => sum + s.tokens, 0);
await engine.dispose();

const results = {
  /** 1-minute load average before and after: these machines are shared, so say how busy it was. */
  loadAverage: { before: round(loadBefore, 2), after: round(loadavg()[0], 2) },
  model: `${zoo.family} (${zoo.scale}, random weights, ${zoo.parameters.toLocaleString('en')} parameters)`,
  runtime: 'onnxruntime-node cpu',
  dtype,
  loadMs: round(loadMs, 0),
  promptTokens: single.timings.promptTokens,
  batch1: {
    generatedTokens: single.tokens,
    prefillMs: round(single.timings.prefillMs, 1),
    decodeTokensPerS: round(single.timings.decodeTokensPerS, 2),
  },
  limit: {
    copyBandwidthGBPerS: round(bandwidth / 1e9, 2),
    weightMBPerToken: round(bytesPerToken / 1e6, 1),
    limitTokensPerS: round(limitTokensPerS, 2),
    fractionReached: round(single.timings.decodeTokensPerS / limitTokensPerS, 3),
  },
  batchedVsSequential: {
    k,
    batchedTokensPerS: round(batchedTokens / (batchedMs / 1000), 2),
    sequentialTokensPerS: round(sequentialTokens / (sequentialMs / 1000), 2),
    throughputRatio: round(batchedTokens / batchedMs / (sequentialTokens / sequentialMs), 3),
    batchedPrefillMs: round(batched[0].timings.prefillMs, 1),
    onePrefillMs: round(single.timings.prefillMs, 1),
    prefillRatio: round(batched[0].timings.prefillMs / single.timings.prefillMs, 3),
  },
};
process.stderr.write(`${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify({ bench: 'real-scale', machine: machine(), results }));
