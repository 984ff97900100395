/**
 * Benchmark 6: the cost of per-token logprobs (issue 13). The same greedy requests with and
 * without `logprobs` (top-20 and top-0), batch 1 and batch 8, on the same loaded engine; greedy
 * so every side decodes exactly the same tokens (tokens/s is over the same forward passes).
 * Sides alternate order per prompt to spread drift in machine load; CPU-time ratios (this
 * process, all threads) are reported beside wall time because other load disturbs them less.
 *
 *   npx tsx bench/logprobs-cost.ts [--model DIR] [--dtype fp32|q8] [--prompts 24] [--maxNewTokens 96]
 */
import { generateArithmeticProblems } from '../src/lib/datasets/arithmetic';
import { reasoningFormat, THINK_TAGS } from '../src/lib/formats/reasoning-format';
import type { LogprobsRequest } from '../src/lib/generate';
import { loadNodeEngine } from '../workers/engine/node';
import { benchArgs, cpuMs, nowMs, report, round } from './common';

const args = benchArgs({ prompts: 24, maxNewTokens: 96 });
const engine = await loadNodeEngine({ modelDir: args.modelDir, dtype: args.dtype });
const format = reasoningFormat(THINK_TAGS);
const problems = generateArithmeticProblems({ n: args.numbers.prompts, seed: 405 });
const SIDES: { name: string; logprobs: LogprobsRequest | null }[] = [
  { name: 'off', logprobs: null },
  { name: 'top-0', logprobs: { topK: 0 } },
  { name: 'top-20', logprobs: { topK: 20 } },
];

async function run(question: string, batch: number, logprobs: LogprobsRequest | null): Promise<number> {
  const samples = await engine.generate({
    prompt: format.prompt(question, { thinking: true }),
    n: batch,
    maxNewTokens: args.numbers.maxNewTokens,
    sampling: { temperature: 0 },
    thinking: format.thinkingControl(),
    ...(logprobs ? { logprobs } : {}),
  });
  return samples.reduce((sum, sample) => sum + sample.tokens, 0);
}

const rows = [];
for (const batch of [1, 8]) {
  for (const side of SIDES) await run(problems[0].question, batch, side.logprobs); // warm-up
  const wallMs = SIDES.map(() => 0);
  const cpu = SIDES.map(() => 0);
  const tokens = SIDES.map(() => 0);
  for (const [index, problem] of problems.entries()) {
    // Rotate which side goes first so each side runs first, second and third equally often.
    for (let turn = 0; turn < SIDES.length; turn++) {
      const s = (index + turn) % SIDES.length;
      const start = nowMs();
      const cpuStart = cpuMs();
      tokens[s] += await run(problem.question, batch, SIDES[s].logprobs);
      wallMs[s] += nowMs() - start;
      cpu[s] += cpuMs() - cpuStart;
    }
  }
  if (new Set(tokens).size !== 1) throw new Error(`sides decoded different token counts: ${tokens.join(', ')}`);
  const perS = wallMs.map((ms) => tokens[0] / (ms / 1000));
  const row = {
    batch,
    prompts: problems.length,
    tokens: tokens[0],
    ...Object.fromEntries(SIDES.map((side, s) => [`${side.name}TokensPerS`, round(perS[s], 1)])),
    ...Object.fromEntries(SIDES.slice(1).map((side, s) => [`${side.name}Ratio`, round(perS[s + 1] / perS[0], 3)])),
    ...Object.fromEntries(SIDES.slice(1).map((side, s) => [`${side.name}CpuRatio`, round(cpu[0] / cpu[s + 1], 3)])),
  };
  rows.push(row);
  process.stderr.write(`${JSON.stringify(row)}\n`);
}
await engine.dispose();
report('logprobs-cost', args, { maxNewTokens: args.numbers.maxNewTokens, rows });
