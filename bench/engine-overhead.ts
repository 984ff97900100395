/**
 * Benchmark 4: our engine's `Generate` (per-row cutting, per-token timing and streaming,
 * budget machinery, cache disposal) against a bare `model.generate` on the same loaded model
 * and the same prompts. Greedy, batch 1 and batch 8 (the prompt repeated), so both decode the
 * same tokens; tokens/s for both is counted over the bare run's generated ids, i.e. the same
 * forward passes. Runs alternate per prompt (bare first, then ours, then swapped) to spread
 * any drift in machine load evenly. Also reported per CPU-second of this process (all threads),
 * which other load on a shared machine disturbs far less than wall time.
 *
 *   npx tsx bench/engine-overhead.ts [--model DIR] [--dtype fp32|q8] [--prompts 48] [--maxNewTokens 96]
 */
import { Tensor } from '@huggingface/transformers';
import { generateArithmeticProblems } from '../src/lib/datasets/arithmetic';
import { reasoningFormat, THINK_TAGS } from '../src/lib/formats/reasoning-format';
import { createEngine } from '../workers/engine/engine';
import { eosTokenIds } from '../workers/engine/model-parts';
import { loadNodeModelParts } from '../workers/engine/node';
import { benchArgs, cpuMs, nowMs, report, round } from './common';
import { inAlternatingOrder } from './workloads';

const args = benchArgs({ prompts: 48, maxNewTokens: 96 });
const { parts, info } = await loadNodeModelParts({ modelDir: args.modelDir, dtype: args.dtype });
const engine = createEngine(parts, info);
const format = reasoningFormat(THINK_TAGS);
const eos = [...eosTokenIds(parts)];
const problems = generateArithmeticProblems({ n: args.numbers.prompts, seed: 404 });

/** Bare library call: the rendered prompt's ids repeated `batch` times, greedy; returns ids generated per row (EOS included). */
async function bare(promptIds: number[], batch: number): Promise<number> {
  const ids = Array.from({ length: batch }, () => promptIds.map(BigInt)).flat();
  const output = await parts.model.generate({
    input_ids: new Tensor('int64', BigInt64Array.from(ids), [batch, promptIds.length]),
    attention_mask: new Tensor('int64', BigInt64Array.from(ids.map(() => 1n)), [batch, promptIds.length]),
    max_new_tokens: args.numbers.maxNewTokens,
    do_sample: false,
    eos_token_id: eos,
  });
  if (!(output instanceof Tensor)) throw new Error('generate() returned no tensor');
  return (output.dims[1] - promptIds.length) * batch;
}

async function ours(question: string, batch: number): Promise<void> {
  await engine.generate({
    prompt: format.prompt(question, { thinking: true }),
    n: batch,
    maxNewTokens: args.numbers.maxNewTokens,
    sampling: { temperature: 0 },
    thinking: format.thinkingControl(),
    onToken: () => {},
  });
}

const rows = [];
for (const batch of [1, 8]) {
  await ours(problems[0].question, batch);
  await bare(parts.tokenizer.encode(engine.renderPrompt(format.prompt(problems[0].question, { thinking: true })), { add_special_tokens: false }), batch);
  let tokens = 0;
  let bareMs = 0;
  let oursMs = 0;
  let bareCpuMs = 0;
  let oursCpuMs = 0;
  for (const [index, problem] of problems.entries()) {
    const promptIds = parts.tokenizer.encode(engine.renderPrompt(format.prompt(problem.question, { thinking: true })), { add_special_tokens: false });
    const runBare = async () => {
      const start = nowMs();
      const cpuStart = cpuMs();
      tokens += await bare(promptIds, batch);
      bareMs += nowMs() - start;
      bareCpuMs += cpuMs() - cpuStart;
    };
    const runOurs = async () => {
      const start = nowMs();
      const cpuStart = cpuMs();
      await ours(problem.question, batch);
      oursMs += nowMs() - start;
      oursCpuMs += cpuMs() - cpuStart;
    };
    await inAlternatingOrder(index, runBare, runOurs);
  }
  const bareTokensPerS = tokens / (bareMs / 1000);
  const oursTokensPerS = tokens / (oursMs / 1000);
  const row = { batch, prompts: problems.length, tokens, bareMs: round(bareMs, 1), oursMs: round(oursMs, 1), bareTokensPerS: round(bareTokensPerS, 1), oursTokensPerS: round(oursTokensPerS, 1), ratio: round(oursTokensPerS / bareTokensPerS, 3), bareCpuMs: round(bareCpuMs, 1), oursCpuMs: round(oursCpuMs, 1), cpuRatio: round(bareCpuMs / oursCpuMs, 3) };
  rows.push(row);
  process.stderr.write(`batch ${batch}: bare ${row.bareTokensPerS} tok/s, ours ${row.oursTokensPerS} tok/s, ratio ${row.ratio} (per CPU-second ${row.cpuRatio})\n`);
}
await engine.dispose();
report('engine-overhead', args, { maxNewTokens: args.numbers.maxNewTokens, rows });
