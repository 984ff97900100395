/**
 * Benchmark 1 (Node): k samples in one batched Generate call against k sequential calls
 * (n = 1), on onnxruntime-node (CPU). Throughput = generated tokens / wall time; the ratio is
 * batched over sequential, measured in the same process, interleaved per question. The
 * Chromium (WASM, WebGPU) half is bench/browser-bench.ts.
 *
 *   npx tsx bench/batched-sampling.ts [--model DIR] [--dtype fp32|q8] [--prompts 12] [--maxNewTokens 96]
 */
import { generateArithmeticProblems } from '../src/lib/datasets/arithmetic';
import { loadNodeEngine } from '../workers/engine/node';
import { benchArgs, cpuMs, report } from './common';
import { BATCH_KS, batchedVsSequential } from './workloads';

const args = benchArgs({ prompts: 12, maxNewTokens: 96 });
const engine = await loadNodeEngine({ modelDir: args.modelDir, dtype: args.dtype });
const questions = generateArithmeticProblems({ n: args.numbers.prompts, seed: 101, minSteps: 3, maxSteps: 3 }).map((p) => p.question);
const rows = await batchedVsSequential(engine.generate, questions, BATCH_KS, args.numbers.maxNewTokens, cpuMs);
for (const row of rows) process.stderr.write(`k=${row.k}: batched ${row.batchedTokensPerS} tok/s, sequential ${row.sequentialTokensPerS} tok/s, ratio ${row.throughputRatio} (per CPU-second ${row.cpuThroughputRatio})\n`);
await engine.dispose();
report('batched-sampling', args, { runtime: 'onnxruntime-node cpu', prompts: questions.length, maxNewTokens: args.numbers.maxNewTokens, rows });
