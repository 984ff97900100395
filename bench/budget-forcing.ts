/**
 * s1 budget forcing against plain cot, from `thinkbench bench --out` files (one holding both, or several):
 * per budget-forcing setting, on the problems both finished, the thinking tokens each spent, how
 * often and how many times the chain was made to think on, the thinking the engine says the
 * extension added, and the extra thinking measured against cot on the same question (greedy: the
 * two must agree question by question, since both chains are identical up to the first attempt
 * to end — printed as a check, not assumed), plus accuracy and the discordant pairs.
 *
 *   npx tsx bench/budget-forcing.ts run.json [more.json …] [--baseline cot]
 *
 * A unit found in several files is taken from the last (greedy runs of the same setting agree).
 */
import { readFileSync } from 'node:fs';
import { mean } from '../src/lib/stats/descriptive';
import { mcnemar } from '../src/lib/stats/mcnemar';
import { wilsonInterval } from '../src/lib/stats/wilson';

/** The fields read from the export (loosely: only these). */
interface UnitResult {
  strategy: string;
  problemId: string;
  correct: boolean;
  result: {
    answer: string | null;
    samples: { role: string; thinkingTokens: number }[];
    details?: { times?: number; addedThinkingTokens?: number };
  };
}

const args = process.argv.slice(2);
const baselineAt = args.indexOf('--baseline');
const baseline = baselineAt >= 0 ? args[baselineAt + 1] : 'cot';
const files = args.filter((_, i) => baselineAt < 0 || (i !== baselineAt && i !== baselineAt + 1));
if (files.length === 0) throw new Error('usage: npx tsx bench/budget-forcing.ts run.json [more.json …] [--baseline cot]');
const units = files.flatMap((file) => (JSON.parse(readFileSync(file, 'utf8')) as { units: UnitResult[] }).units);
const byProblem = (strategy: string) => new Map(units.filter((u) => u.strategy === strategy).map((u) => [u.problemId, u]));
const base = byProblem(baseline);
const chainThinking = (unit: UnitResult): number => unit.result.samples.find((s) => s.role === 'chain')?.thinkingTokens ?? NaN;

for (const strategy of [...new Set(units.map((u) => u.strategy))].filter((s) => s.startsWith('budget-forcing'))) {
  const forced = byProblem(strategy);
  const common = [...forced.keys()].filter((id) => base.has(id));
  const pairs = common.map((id) => ({ cot: base.get(id) as UnitResult, bf: forced.get(id) as UnitResult }));
  const measured = pairs.map(({ cot, bf }) => chainThinking(bf) - chainThinking(cot));
  const added = pairs.map(({ bf }) => bf.result.details?.addedThinkingTokens ?? 0);
  const times = pairs.map(({ bf }) => bf.result.details?.times ?? 0);
  const correct = { cot: pairs.filter((p) => p.cot.correct).length, bf: pairs.filter((p) => p.bf.correct).length };
  const onlyBase = pairs.filter((p) => p.cot.correct && !p.bf.correct).length;
  const onlyForced = pairs.filter((p) => !p.cot.correct && p.bf.correct).length;
  console.log(JSON.stringify({
    strategy,
    baseline,
    problems: common.length,
    correct: { [baseline]: correct.cot, [strategy]: correct.bf },
    accuracyWilson95: { [baseline]: wilsonInterval(correct.cot, common.length), [strategy]: wilsonInterval(correct.bf, common.length) },
    meanThinkingTokens: { [baseline]: mean(pairs.map((p) => chainThinking(p.cot))), [strategy]: mean(pairs.map((p) => chainThinking(p.bf))) },
    extendedShare: times.filter((t) => t > 0).length / common.length,
    meanTimes: mean(times),
    meanAddedThinkingTokens: mean(added),
    meanMeasuredExtraThinkingTokens: mean(measured),
    addedEqualsMeasured: added.filter((value, i) => value === measured[i]).length,
    answerChanged: pairs.filter((p) => p.cot.result.answer !== p.bf.result.answer).length,
    discordant: { [`${baseline} only`]: onlyBase, [`${strategy} only`]: onlyForced },
    mcnemar: mcnemar(onlyBase, onlyForced),
  }));
}
