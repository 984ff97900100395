/**
 * The noisy-rationale study (NoRa / CD-CoT, Zhou et al., 2024) from `thinkbench bench --out`
 * files, for BENCHMARKS.md section 6: each `noisy-cot` row against the clean row of the same
 * shots (accuracy drop in points, paired bootstrap 95% interval, McNemar), and each `cd-cot` row
 * against the noisy row it denoises and the clean row, on the questions all three finished (what
 * CD-CoT recovers), with its cost per question beside the noisy row's.
 *
 *   npx tsx bench/nora-breakdown.ts noise.json [cdcot.json …]
 */
import { readFileSync } from 'node:fs';
import { parseExperimentExport } from '../src/lib/experiments/export-import';
import type { UnitResult } from '../src/lib/experiments/types';
import { mcnemarPaired } from '../src/lib/stats/mcnemar';
import { parseStrategySetting } from '../src/lib/strategies/settings';
import { pairedDifference, proportion, type Difference, type Proportion } from '../tools/tinythink/eval-summary';

const files = process.argv.slice(2);
if (files.length === 0) throw new Error('usage: npx tsx bench/nora-breakdown.ts noise.json [cdcot.json …]');
const units = files.flatMap((file) => parseExperimentExport(readFileSync(file, 'utf8')).units);

interface Row {
  strategy: string;
  id: 'noisy-cot' | 'cd-cot';
  /** What must match for two rows to be compared: shots, noise, ratio, spread, seed. */
  exemplars: string;
  shots: number;
  clean: boolean;
  byProblem: Map<string, UnitResult>;
}

const rows = new Map<string, Row>();
for (const unit of units) {
  const setting = parseStrategySetting(unit.strategy);
  if (setting.id !== 'noisy-cot' && setting.id !== 'cd-cot') continue;
  const { shots, noise, ratio, distribution, seed } = setting.config;
  const clean = noise === 'none' || ratio === 0;
  const row = rows.get(unit.strategy) ?? {
    strategy: unit.strategy,
    id: setting.id,
    exemplars: clean ? `${shots}|clean|${seed}` : `${shots}|${noise}|${ratio}|${distribution}|${seed}`,
    shots,
    clean,
    byProblem: new Map<string, UnitResult>(),
  };
  row.byProblem.set(unit.problemId, unit);
  rows.set(unit.strategy, row);
}
const noisyRows = [...rows.values()].filter((row) => row.id === 'noisy-cot');
const cleanFor = (shots: number) => noisyRows.find((row) => row.clean && row.shots === shots);

const pct = (value: number) => `${(100 * value).toFixed(1)}%`;
const acc = (p: Proportion) => `${pct(p.rate)} [${pct(p.low)}, ${pct(p.high)}]`;
const points = (d: Difference) => `${d.points >= 0 ? '+' : ''}${d.points.toFixed(1)} [${d.low.toFixed(1)}, ${d.high.toFixed(1)}]`;
const correct = (row: Row, ids: readonly string[]) => ids.map((id) => row.byProblem.get(id)?.correct === true);
const common = (...of: Row[]) => [...of[0].byProblem.keys()].filter((id) => of.every((row) => row.byProblem.has(id)));
/** What the model was given: the prompt tokens of each question's first sample that ran (not from the cache). */
const meanOf = (row: Row, ids: readonly string[], value: (unit: UnitResult) => number) =>
  ids.reduce((sum, id) => sum + value(row.byProblem.get(id) as UnitResult), 0) / Math.max(1, ids.length);
const promptTokens = (unit: UnitResult) => unit.result.samples.find((sample) => sample.role === 'chain')?.timings.promptTokens ?? Number.NaN;

function comparison(base: Row, other: Row, ids: readonly string[]): string {
  const test = mcnemarPaired(ids.map((id) => [base.byProblem.get(id)?.correct === true, other.byProblem.get(id)?.correct === true] as const));
  const difference = pairedDifference(ids.map((id) => [other.byProblem.get(id)?.correct === true, base.byProblem.get(id)?.correct === true] as const));
  return `${points(difference)} points, McNemar +${test.c}/-${test.b} p=${test.pValue.toPrecision(2)}`;
}

console.log('noisy-cot against clean exemplars (same shots, same questions); points = noisy − clean, paired bootstrap 95% CI');
for (const row of noisyRows) {
  const clean = cleanFor(row.shots);
  const ids = clean ? common(row, clean) : [...row.byProblem.keys()];
  const line = `${row.strategy}: n=${ids.length}, accuracy ${acc(proportion(correct(row, ids)))}, mean prompt ${meanOf(row, ids, promptTokens).toFixed(1)} tokens`;
  console.log(clean && clean !== row ? `${line}; vs clean ${comparison(clean, row, ids)}` : line);
}

for (const cd of [...rows.values()].filter((row) => row.id === 'cd-cot')) {
  const noisy = noisyRows.find((row) => row.exemplars === cd.exemplars);
  const clean = cleanFor(cd.shots);
  if (!noisy || !clean) {
    console.log(`${cd.strategy}: no noisy-cot row with the same exemplars and a clean row to compare with`);
    continue;
  }
  const ids = common(cd, noisy, clean);
  const [a, n, c] = [clean, noisy, cd].map((row) => proportion(correct(row, ids)));
  console.log(`\n${cd.strategy} on the ${ids.length} questions it finished`);
  console.log(`  clean  ${clean.strategy}: ${acc(a)}`);
  console.log(`  noisy  ${noisy.strategy}: ${acc(n)}`);
  console.log(`  CD-CoT: ${acc(c)}`);
  console.log(`  CD-CoT − noisy: ${comparison(noisy, cd, ids)}`);
  console.log(`  CD-CoT − clean: ${comparison(clean, cd, ids)}`);
  const lost = a.correct - n.correct;
  console.log(`  noise lost ${lost} questions (net); CD-CoT won back ${c.correct - n.correct} (net, negative: lost more)`);
  const kept = meanOf(cd, ids, (unit) => Number(unit.result.details?.kept ?? Number.NaN)) / cd.shots;
  console.log(`  rephrasings kept per noisy exemplar (selected by answer): ${kept.toFixed(3)}`);
  for (const row of [noisy, cd]) {
    const tokens = meanOf(row, ids, (unit) => unit.result.totals.tokens);
    const samples = meanOf(row, ids, (unit) => unit.result.samples.length);
    const latency = meanOf(row, ids, (unit) => unit.latencyMs);
    console.log(`  cost ${row.id}: ${tokens.toFixed(1)} generated tokens/question, ${samples.toFixed(2)} generations/question, ${latency.toFixed(0)} ms/question`);
  }
}
