/**
 * Benchmark 2: adaptive self-consistency (ESC windows; the Adaptive-Consistency Beta rule)
 * against fixed k = 10 on built-in problems: samples and tokens saved, and accuracy.
 *
 * All three run in calls of 5 with the same per-call seeds, through one generation cache: the
 * adaptive runs' calls are the fixed run's first calls, so each adaptive vote is over a prefix
 * of exactly the samples the fixed vote used (a paired comparison, and only the fixed run costs
 * model time). The Beta rule is also reported at sample granularity (`stoppedAt`: the sample
 * count at which the rule fired on those same samples), which is what it would use at batch = 1.
 *
 *   npx tsx bench/adaptive-sc.ts [--model DIR] [--dtype fp32|q8] [--n 300] [--maxNewTokens 128]
 */
import { arithmeticDataset } from '../src/lib/datasets/arithmetic';
import { reasoningFormat, THINK_TAGS } from '../src/lib/formats/reasoning-format';
import { cachedGenerate, generationIdentity, MemoryGenerationCache } from '../src/lib/experiments/cache';
import { buildMatrix } from '../src/lib/experiments/matrix';
import { runExperiment } from '../src/lib/experiments/runner';
import { resolveStrategies } from '../src/lib/experiments/spec';
import { summarize } from '../src/lib/experiments/summary';
import { formatSummaryTable } from '../src/lib/experiments/summary-table';
import { mean } from '../src/lib/stats/descriptive';
import { loadNodeEngine } from '../workers/engine/node';
import { benchArgs, nowMs, report, round } from './common';

const args = benchArgs({ n: 300, maxNewTokens: 128, seed: 7 });
const COMMON = 'k=10,batch=5,temperature=0.8,seed=1';
const FIXED = `self-consistency:${COMMON}`;
const ESC = `self-consistency:${COMMON},stop=esc,window=5`;
const BETA = `self-consistency:${COMMON},stop=beta,threshold=0.95`;
const STRATEGIES = [FIXED, ESC, BETA];

const engine = await loadNodeEngine({ modelDir: args.modelDir, dtype: args.dtype });
const cache = new MemoryGenerationCache();
const generate = cachedGenerate(engine.generate, cache, generationIdentity(engine.info));
const dataset = arithmeticDataset({ n: args.numbers.n, seed: args.numbers.seed });
const startMs = nowMs();
let lastPrintMs = 0;
const outcome = await runExperiment({
  units: buildMatrix(resolveStrategies(STRATEGIES), dataset.problems),
  generate,
  format: reasoningFormat(THINK_TAGS),
  maxNewTokens: args.numbers.maxNewTokens,
  onProgress: (progress) => {
    if (nowMs() - lastPrintMs < 10_000) return;
    lastPrintMs = nowMs();
    process.stderr.write(`${progress.done}/${progress.total} units, ${round(progress.elapsedMs / 1000, 0)} s\n`);
  },
});
const wallMs = nowMs() - startMs;
await engine.dispose();

const table = summarize(outcome.results, STRATEGIES, FIXED);
process.stderr.write(`${formatSummaryTable(table)}\n`);
const [fixed, esc, beta] = table;
const betaStops = outcome.results
  .filter((unit) => unit.strategy === BETA)
  .map((unit) => {
    const stoppedAt = unit.result.details?.stoppedAt;
    return typeof stoppedAt === 'number' ? stoppedAt : 10;
  });
const row = (summary: (typeof table)[number]) => ({
  strategy: summary.strategy,
  n: summary.n,
  accuracy: round(summary.accuracy, 4),
  ciLow: round(summary.ciLow, 4),
  ciHigh: round(summary.ciHigh, 4),
  samplesPerQuestion: round(summary.samplesPerQuestion, 3),
  meanTokens: round(summary.meanTokens, 1),
  samplesSaved: round(1 - summary.samplesPerQuestion / fixed.samplesPerQuestion, 4),
  tokensSaved: round(1 - summary.meanTokens / fixed.meanTokens, 4),
  accuracyDeltaPoints: round((summary.accuracy - fixed.accuracy) * 100, 2),
  mcnemarVsFixed: summary.vsBaseline ? { b: summary.vsBaseline.b, c: summary.vsBaseline.c, pValue: round(summary.vsBaseline.pValue, 4) } : null,
});
report('adaptive-sc', args, {
  problems: dataset.problems.length,
  datasetSeed: args.numbers.seed,
  maxNewTokens: args.numbers.maxNewTokens,
  wallS: round(wallMs / 1000, 1),
  modelCalls: cache.size,
  rows: [row(fixed), row(esc), row(beta)],
  betaAtSampleGranularity: { meanSamples: round(mean(betaStops), 3), samplesSaved: round(1 - mean(betaStops) / 10, 4) },
});
