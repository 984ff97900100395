/**
 * Benchmark 1: k samples in one batched Generate call against k sequential calls (n = 1), in
 * Node on onnxruntime-node (CPU). Throughput = generated tokens / wall time; the ratio is
 * batched over sequential, measured in the same process, interleaved per prompt.
 *
 *   npx tsx bench/batched-sampling.ts [--model DIR] [--dtype fp32|q8] [--prompts 3] [--maxNewTokens 96]
 */
import { generateArithmeticProblems } from '../src/lib/datasets/arithmetic';
import type { GenerateRequest, Sample } from '../src/lib/generate';
import { reasoningFormat, THINK_TAGS } from '../src/lib/formats/reasoning-format';
import { loadNodeEngine } from '../workers/engine/node';
import { benchArgs, nowMs, report, round } from './common';

const KS = [1, 2, 4, 8, 16];
const args = benchArgs({ prompts: 3, maxNewTokens: 96 });
const engine = await loadNodeEngine({ modelDir: args.modelDir, dtype: args.dtype });
const format = reasoningFormat(THINK_TAGS);
const problems = generateArithmeticProblems({ n: args.numbers.prompts, seed: 101, minSteps: 3, maxSteps: 3 });

function request(question: string, n: number, seed: number): GenerateRequest {
  return {
    prompt: format.prompt(question, { thinking: true }),
    n,
    maxNewTokens: args.numbers.maxNewTokens,
    sampling: { temperature: 0.8, topK: 50, seed },
    thinking: format.thinkingControl(),
  };
}

const tokens = (samples: readonly Sample[]) => samples.reduce((sum, sample) => sum + sample.tokens, 0);

// Warm-up: first runs pay for session and kernel setup.
await engine.generate(request(problems[0].question, 2, 1));

const rows = [];
for (const k of KS) {
  let batchedTokens = 0;
  let batchedMs = 0;
  let sequentialTokens = 0;
  let sequentialMs = 0;
  for (const [index, problem] of problems.entries()) {
    let start = nowMs();
    batchedTokens += tokens(await engine.generate(request(problem.question, k, 1000 + index)));
    batchedMs += nowMs() - start;
    start = nowMs();
    for (let row = 0; row < k; row++) sequentialTokens += tokens(await engine.generate(request(problem.question, 1, 2000 + index * 100 + row)));
    sequentialMs += nowMs() - start;
  }
  const batchedTokensPerS = batchedTokens / (batchedMs / 1000);
  const sequentialTokensPerS = sequentialTokens / (sequentialMs / 1000);
  const row = {
    k,
    batchedTokens,
    batchedMs: round(batchedMs, 1),
    batchedTokensPerS: round(batchedTokensPerS, 1),
    sequentialTokens,
    sequentialMs: round(sequentialMs, 1),
    sequentialTokensPerS: round(sequentialTokensPerS, 1),
    throughputRatio: round(batchedTokensPerS / sequentialTokensPerS, 3),
  };
  rows.push(row);
  process.stderr.write(`k=${k}: batched ${row.batchedTokensPerS} tok/s, sequential ${row.sequentialTokensPerS} tok/s, ratio ${row.throughputRatio}\n`);
}
await engine.dispose();
report('batched-sampling', args, { prompts: problems.length, maxNewTokens: args.numbers.maxNewTokens, rows });
