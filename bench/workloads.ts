/**
 * Workloads shared by the Node and the Chromium benchmarks: pure TypeScript over a `Generate`,
 * so the same requests run on onnxruntime-node and onnxruntime-web.
 */
import type { Generate, GenerateRequest, Sample } from '../src/lib/generate';
import { reasoningFormat, THINK_TAGS } from '../src/lib/formats/reasoning-format';

const format = reasoningFormat(THINK_TAGS);

/** The k values of benchmark 1. */
export const BATCH_KS = [1, 2, 4, 8, 16];

export interface BatchedRow {
  k: number;
  batchedTokens: number;
  batchedMs: number;
  batchedTokensPerS: number;
  sequentialTokens: number;
  sequentialMs: number;
  sequentialTokensPerS: number;
  /** Batched throughput over sequential throughput (wall clock). */
  throughputRatio: number;
  /** CPU time of this process (all threads), when the runtime can tell (Node); robust to other load on the machine. */
  batchedCpuMs?: number;
  sequentialCpuMs?: number;
  /** Batched over sequential in tokens per CPU-second. */
  cpuThroughputRatio?: number;
}

/** Process CPU milliseconds (user + system, all threads); Node passes one, the browser has none. */
export type CpuClock = () => number;

function chainRequest(question: string, n: number, maxNewTokens: number, seed: number): GenerateRequest {
  return { prompt: format.prompt(question, { thinking: true }), n, maxNewTokens, sampling: { temperature: 0.8, topK: 50, seed }, thinking: format.thinkingControl() };
}

const tokensOf = (samples: readonly Sample[]) => samples.reduce((sum, sample) => sum + sample.tokens, 0);
const round1 = (value: number) => Math.round(value * 10) / 10;

/** Runs both sides, `a` first on even indices: drift in the machine's load falls on both evenly. */
export async function inAlternatingOrder(index: number, a: () => Promise<void>, b: () => Promise<void>): Promise<void> {
  if (index % 2 === 0) {
    await a();
    await b();
  } else {
    await b();
    await a();
  }
}

/** k samples in one call against k calls of one sample, per question, interleaved. */
export async function batchedVsSequential(
  generate: Generate,
  questions: readonly string[],
  ks: readonly number[],
  maxNewTokens: number,
  cpuMs?: CpuClock,
): Promise<BatchedRow[]> {
  // Warm-up at full length, batch 1 and the largest batch: the first runs pay for session and
  // kernel setup and for the JIT, which otherwise lands on whichever side runs first.
  await generate(chainRequest(questions[0], 1, maxNewTokens, 1));
  await generate(chainRequest(questions[0], Math.max(...ks), maxNewTokens, 1));
  const rows: BatchedRow[] = [];
  for (const k of ks) {
    let batchedTokens = 0;
    let batchedMs = 0;
    let sequentialTokens = 0;
    let sequentialMs = 0;
    let batchedCpuMs = 0;
    let sequentialCpuMs = 0;
    const cpu = cpuMs ?? (() => 0);
    for (const [index, question] of questions.entries()) {
      const runBatched = async () => {
        const start = performance.now();
        const cpuStart = cpu();
        batchedTokens += tokensOf(await generate(chainRequest(question, k, maxNewTokens, 1000 + index)));
        batchedMs += performance.now() - start;
        batchedCpuMs += cpu() - cpuStart;
      };
      const runSequential = async () => {
        const start = performance.now();
        const cpuStart = cpu();
        for (let row = 0; row < k; row++) sequentialTokens += tokensOf(await generate(chainRequest(question, 1, maxNewTokens, 2000 + index * 100 + row)));
        sequentialMs += performance.now() - start;
        sequentialCpuMs += cpu() - cpuStart;
      };
      await inAlternatingOrder(index, runBatched, runSequential);
    }
    const batchedTokensPerS = batchedTokens / (batchedMs / 1000);
    const sequentialTokensPerS = sequentialTokens / (sequentialMs / 1000);
    rows.push({
      k,
      batchedTokens,
      batchedMs: round1(batchedMs),
      batchedTokensPerS: round1(batchedTokensPerS),
      sequentialTokens,
      sequentialMs: round1(sequentialMs),
      sequentialTokensPerS: round1(sequentialTokensPerS),
      throughputRatio: Math.round((batchedTokensPerS / sequentialTokensPerS) * 1000) / 1000,
      ...(cpuMs
        ? {
            batchedCpuMs: round1(batchedCpuMs),
            sequentialCpuMs: round1(sequentialCpuMs),
            cpuThroughputRatio: Math.round((batchedTokens / batchedCpuMs / (sequentialTokens / sequentialCpuMs)) * 1000) / 1000,
          }
        : {}),
    });
  }
  return rows;
}

export interface GreedyResult {
  questions: number;
  tokens: number;
  ms: number;
  tokensPerS: number;
  /** The generated texts, so two runtimes can be checked to decode the same tokens. */
  texts: string[];
}

/** One greedy chain per question, batch 1, one after another. */
export async function greedyWorkload(generate: Generate, questions: readonly string[], maxNewTokens: number): Promise<GreedyResult> {
  await generate({ prompt: format.prompt(questions[0], { thinking: true }), n: 1, maxNewTokens: 16, sampling: { temperature: 0 } });
  let tokens = 0;
  const texts: string[] = [];
  const start = performance.now();
  for (const question of questions) {
    const [sample] = await generate({ prompt: format.prompt(question, { thinking: true }), n: 1, maxNewTokens, sampling: { temperature: 0 }, thinking: format.thinkingControl() });
    tokens += sample.tokens;
    texts.push(sample.text);
  }
  const ms = performance.now() - start;
  return { questions: questions.length, tokens, ms: round1(ms), tokensPerS: round1(tokens / (ms / 1000)), texts };
}
