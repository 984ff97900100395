/**
 * The Results page's accuracy-against-tokens curves and calibration of trace confidence, printed
 * from an experiment export (`thinkbench bench … --out RUN.json`, or the app's Export JSON) by
 * the same functions the page draws them with (src/stores/results-charts.ts), so numbers quoted
 * in BENCHMARKS.md are the ones the charts show. No model runs here.
 *
 *   npx tsx bench/confidence-report.ts RUN.json
 */
import { readFileSync } from 'node:fs';
import { parseExperimentExport } from '../src/lib/experiments/export-import';
import { summarize } from '../src/lib/experiments/summary';
import { calibration, tokenCurves } from '../src/stores/results-charts';

const file = process.argv[2];
if (!file) {
  console.error('usage: npx tsx bench/confidence-report.ts RUN.json');
  process.exit(2);
}
const run = parseExperimentExport(readFileSync(file, 'utf8'));
const problems = new Map(run.dataset.problems.map((problem) => [problem.id, problem]));
const rows = summarize(run.units, run.experiment.spec.strategies);
const curves = tokenCurves(rows, run.units, problems);
const { bins, summaries } = calibration(run.units, problems);
const percent = (value: number) => `${(100 * value).toFixed(1)}%`;

console.log(`${run.experiment.name}: ${run.dataset.name}, ${run.units.length} units, exported ${run.exportedAt}`);
console.log('\nAccuracy against mean generated tokens per question (chains = j of the replay; "as run" = adaptive row)');
for (const point of curves) {
  console.log(`  ${point.strategy.padEnd(48)} ${String(point.chains ?? 'as run').padStart(6)}  ${point.x.toFixed(1).padStart(8)} tokens  ${percent(point.accuracy)} [${percent(point.ciLow)}, ${percent(point.ciHigh)}]`);
}
console.log('\nTrace confidence against correctness (deciles by rank within the strategy; terminated traces left out)');
for (const summary of summaries) {
  console.log(`  ${summary.strategy} — ${summary.signal}: ${summary.chains} chains, ${summary.correct} right, AUROC ${summary.auroc === null ? 'n/a' : summary.auroc.toFixed(3)}`);
  for (const bin of bins.filter((entry) => entry.strategy === summary.strategy)) {
    console.log(`    decile ${String(bin.bin).padStart(2)}  confidence ${bin.minConfidence.toPrecision(4)} … ${bin.maxConfidence.toPrecision(4)}  ${String(bin.chains).padStart(4)} chains  ${percent(bin.accuracy)} right [${percent(bin.ciLow)}, ${percent(bin.ciHigh)}]`);
  }
}
console.log(JSON.stringify({ file, curves, calibration: { summaries, bins } }));
