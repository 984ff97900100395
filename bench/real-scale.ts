/**
 * Speed at real-model scale on a random-weight twin (tools/zoo), onnxruntime-node on the CPU:
 * decode tokens/s at batch 1 against the memory-bandwidth limit, and k = 8 sampled rows in one
 * batch against calls of one row (throughput, what the batch's prefill costs, and the time of one
 * decode step at batch k against batch 1) — the batch both with the prompt prefilled once and
 * its KV cache forked (the engine's default) and with every row prefilling it (`prefillOnce:
 * false`), the three sides interleaved `--reps` times in one process, rotating which goes first.
 *
 *   /usr/bin/python3 -m tools.zoo.build qwen3 --scale real --seed 0 --out .tmp/zoo/qwen3-real --dtypes q4,q8
 *   npx tsx bench/real-scale.ts --model .tmp/zoo/qwen3-real --dtype q4 [--tokens 32] [--k 8] [--reps 2] [--seq-calls K] [--prompt short|long] [--top-k K]
 *
 * The limit line (bench/limit-line.ts): decode tokens/s ≤ memory bandwidth / weight bytes read
 * per token.
 */
import { readFileSync } from 'node:fs';
import { Tensor, softmax, topk } from '@huggingface/transformers';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { GenerateRequest, Prompt, Sample } from '../src/lib/generate';
import { createEngine, type Dtype, type Engine } from '../workers/engine/engine';
import { loadNodeModelParts } from '../workers/engine/node';
import { machine, round } from './common';
import { copyBandwidthBytesPerS, weightBytesPerToken } from './limit-line';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    dtype: { type: 'string' },
    tokens: { type: 'string' },
    k: { type: 'string' },
    reps: { type: 'string' },
    prompt: { type: 'string' },
    'top-k': { type: 'string' },
    'seq-calls': { type: 'string' },
  },
  strict: true,
});
if (!values.model) throw new Error('--model DIR (a twin built by tools.zoo.build) is required');
const modelDir = values.model;
const dtype = (values.dtype ?? 'q4') as Dtype;
const tokens = Number(values.tokens ?? 32);
const k = Number(values.k ?? 8);
const reps = Number(values.reps ?? 2);
/** Calls of one row per repetition on the sequential side (its tokens/s does not depend on how many). */
const seqCalls = Number(values['seq-calls'] ?? k);
const promptKind = values.prompt ?? 'short';
/** The sampled sides' top-k; without it the sampler draws from the whole vocabulary (temperature 1). */
const topK = values['top-k'] === undefined ? undefined : Number(values['top-k']);
/** `short`: a 16-token chat prompt; `long`: a word problem of the length self-consistency is run on. */
const PROMPTS: Record<string, string> = {
  short: 'Count from one to twenty, please.',
  long:
    'A bakery sells muffins for $3 each and cookies for $1.50 each. On Monday it sold 48 muffins and ' +
    'twice as many cookies as muffins. On Tuesday it sold 15 fewer muffins than on Monday and 20 more ' +
    'cookies than on Monday. Each day the bakery spends $40 on ingredients and $65 on wages. How much ' +
    'profit did the bakery make over the two days? Think step by step and give the final answer as a number.',
};
if (!(promptKind in PROMPTS)) throw new Error(`--prompt must be one of ${Object.keys(PROMPTS).join(', ')}`);

const zoo = JSON.parse(readFileSync(join(modelDir, 'zoo.json'), 'utf8')) as { family: string; scale: string; parameters: number };

const config = JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8')) as { vocab_size: number };

/**
 * What the library's multinomial sampler costs per row and step (MultinomialSampler.sample: a
 * TopK over the row's logits, k = the vocabulary when no top-k is set, then a softmax), on
 * random logits of the model's vocabulary size; ms per row, best of 5 after a warm-up.
 */
async function samplerMsPerRow(k: number): Promise<number> {
  const logits = new Tensor('float32', Float32Array.from({ length: config.vocab_size }, () => Math.random() * 10), [config.vocab_size]);
  let best = Infinity;
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    const [values] = await topk(logits, k);
    softmax(values.data as Float32Array);
    if (i > 0) best = Math.min(best, performance.now() - t0);
  }
  return best;
}

const loadBefore = loadavg()[0];
const prompt: Prompt = { kind: 'chat', messages: [{ role: 'user', content: PROMPTS[promptKind] }] };
const loadStart = performance.now();
const { parts, info } = await loadNodeModelParts({ modelDir, dtype });
const loadMs = performance.now() - loadStart;
// Two engines over the same loaded model: the default, and every row prefilling the prompt.
const forked = createEngine(parts, info);
const unforked = createEngine(parts, info, { prefillOnce: false });
await forked.generate({ prompt, n: 1, maxNewTokens: 4, sampling: { temperature: 0 } }); // warm-up
await forked.generate({ prompt, n: k, maxNewTokens: 4, sampling: { temperature: 1, seed: 1 } });
await unforked.generate({ prompt, n: k, maxNewTokens: 4, sampling: { temperature: 1, seed: 1 } });

const [single] = await forked.generate({ prompt, n: 1, maxNewTokens: tokens, sampling: { temperature: 0 } });
const bandwidth = copyBandwidthBytesPerS();
const bytesPerToken = weightBytesPerToken(modelDir, dtype);
const limitTokensPerS = bandwidth / bytesPerToken;

/** One side of the comparison, summed over its calls in every repetition. */
interface Side {
  tokens: number;
  wallMs: number;
  /** Per call: its prefill (all rows share it) and one decode step (the row that ran longest). */
  prefillMs: number[];
  stepMs: number[];
}
const emptySide = (): Side => ({ tokens: 0, wallMs: 0, prefillMs: [], stepMs: [] });
const sides = { forked: emptySide(), unforked: emptySide(), sequential: emptySide() };

async function timed(side: Side, engine: Engine, request: GenerateRequest): Promise<void> {
  const t0 = performance.now();
  const samples: Sample[] = await engine.generate(request);
  side.wallMs += performance.now() - t0;
  side.tokens += samples.reduce((sum, sample) => sum + sample.tokens, 0);
  const longest = samples.reduce((a, b) => (b.tokens > a.tokens ? b : a));
  side.prefillMs.push(longest.timings.prefillMs);
  if (longest.tokens >= 2) side.stepMs.push(longest.timings.decodeMs / (longest.tokens - 1));
}

// k rows in one call (forked, unforked) vs `seqCalls` calls of one, rotating which side goes first.
const sampling = { temperature: 1, ...(topK === undefined ? {} : { topK }) };
const runs: Record<keyof typeof sides, (rep: number) => Promise<void>> = {
  forked: (rep) => timed(sides.forked, forked, { prompt, n: k, maxNewTokens: tokens, sampling: { ...sampling, seed: 5 + rep } }),
  unforked: (rep) => timed(sides.unforked, unforked, { prompt, n: k, maxNewTokens: tokens, sampling: { ...sampling, seed: 5 + rep } }),
  sequential: async (rep) => {
    for (let i = 0; i < seqCalls; i++) {
      await timed(sides.sequential, forked, { prompt, n: 1, maxNewTokens: tokens, sampling: { ...sampling, seed: 100 * (rep + 1) + i } });
    }
  },
};
const order = Object.keys(runs) as (keyof typeof sides)[];
const loadPerRep: number[] = [];
for (let rep = 0; rep < reps; rep++) {
  for (let i = 0; i < order.length; i++) {
    const side = order[(rep + i) % order.length];
    await runs[side](rep);
    process.stderr.write(`rep ${rep} ${side}: ${sides[side].tokens} tokens in ${round(sides[side].wallMs, 0)} ms so far, load ${round(loadavg()[0], 2)}\n`);
  }
  loadPerRep.push(round(loadavg()[0], 2));
}
await forked.dispose();
const sampler = {
  wholeVocabularyMsPerRow: round(await samplerMsPerRow(config.vocab_size), 1),
  ...(topK === undefined ? {} : { topKMsPerRow: round(await samplerMsPerRow(topK), 1) }),
};

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
const tokensPerS = (side: Side): number => side.tokens / (side.wallMs / 1000);
const onePrefillMs = mean(sides.sequential.prefillMs);
const batch1StepMs = mean(sides.sequential.stepMs);
const batched = (side: Side): Record<string, number> => ({
  tokens: side.tokens,
  wallMs: round(side.wallMs, 0),
  tokensPerS: round(tokensPerS(side), 2),
  throughputRatio: round(tokensPerS(side) / tokensPerS(sides.sequential), 3),
  prefillMs: round(mean(side.prefillMs), 1),
  prefillRatio: round(mean(side.prefillMs) / onePrefillMs, 3),
  decodeStepMs: round(mean(side.stepMs), 1),
  decodeStepRatio: round(mean(side.stepMs) / batch1StepMs, 3),
});

const results = {
  /** 1-minute load average before, after each repetition, and at the end: these machines are shared. */
  loadAverage: { before: round(loadBefore, 2), perRep: loadPerRep, after: round(loadavg()[0], 2) },
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
  /**
   * Sampled at temperature 1 (top-k `topK`, else none), `tokens` new tokens per row, `reps` repetitions of each side.
   * Ratios are against the sequential side (`seqCalls` calls of one) of the same repetitions: prefill
   * against its mean prefill, a decode step against its mean decode step at batch 1.
   */
  batchedVsSequential: {
    k,
    reps,
    seqCalls,
    topK: topK ?? null,
    sequential: {
      tokens: sides.sequential.tokens,
      wallMs: round(sides.sequential.wallMs, 0),
      tokensPerS: round(tokensPerS(sides.sequential), 2),
      prefillMs: round(onePrefillMs, 1),
      decodeStepMs: round(batch1StepMs, 1),
    },
    forked: batched(sides.forked),
    unforked: batched(sides.unforked),
  },
  /** Sampling cost per row and step, inside every sampled step above (k rows per batched step). */
  sampler,
};
process.stderr.write(`${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify({ bench: 'real-scale', machine: machine(), results }));
