/**
 * s1 budget forcing against plain cot, from one `thinkbench bench --out` file holding both:
 * per budget-forcing setting, on the problems both finished, the thinking tokens each spent, how
 * often and how many times the chain was made to think on, the thinking the engine says the
 * extension added, and the extra thinking measured against cot on the same question (greedy: the
 * two must agree question by question, since both chains are identical up to the first attempt
 * to end — printed as a check, not assumed), plus accuracy and the discordant pairs.
 *
 *   npx tsx bench/budget-forcing.ts run.json [--baseline cot]
 */
import { readFileSync } from 'node:fs';

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

const file = process.argv[2];
if (!file) throw new Error('usage: npx tsx bench/budget-forcing.ts run.json [--baseline cot]');
const baselineAt = process.argv.indexOf('--baseline');
const baseline = baselineAt > 0 ? process.argv[baselineAt + 1] : 'cot';
const units = (JSON.parse(readFileSync(file, 'utf8')) as { units: UnitResult[] }).units;
const byProblem = (strategy: string) => new Map(units.filter((u) => u.strategy === strategy).map((u) => [u.problemId, u]));
const base = byProblem(baseline);
const chainThinking = (unit: UnitResult): number => unit.result.samples.find((s) => s.role === 'chain')?.thinkingTokens ?? NaN;
const mean = (values: number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;

for (const strategy of [...new Set(units.map((u) => u.strategy))].filter((s) => s.startsWith('budget-forcing'))) {
  const forced = byProblem(strategy);
  const common = [...forced.keys()].filter((id) => base.has(id));
  const pairs = common.map((id) => ({ cot: base.get(id) as UnitResult, bf: forced.get(id) as UnitResult }));
  const measured = pairs.map(({ cot, bf }) => chainThinking(bf) - chainThinking(cot));
  const added = pairs.map(({ bf }) => bf.result.details?.addedThinkingTokens ?? 0);
  const times = pairs.map(({ bf }) => bf.result.details?.times ?? 0);
  console.log(JSON.stringify({
    strategy,
    baseline,
    problems: common.length,
    correct: { [baseline]: pairs.filter((p) => p.cot.correct).length, [strategy]: pairs.filter((p) => p.bf.correct).length },
    meanThinkingTokens: { [baseline]: mean(pairs.map((p) => chainThinking(p.cot))), [strategy]: mean(pairs.map((p) => chainThinking(p.bf))) },
    extendedShare: times.filter((t) => t > 0).length / common.length,
    meanTimes: mean(times),
    meanAddedThinkingTokens: mean(added),
    meanMeasuredExtraThinkingTokens: mean(measured),
    addedEqualsMeasured: added.filter((value, i) => value === measured[i]).length,
    answerChanged: pairs.filter((p) => p.cot.result.answer !== p.bf.result.answer).length,
    discordant: {
      [`${baseline} only`]: pairs.filter((p) => p.cot.correct && !p.bf.correct).length,
      [`${strategy} only`]: pairs.filter((p) => !p.cot.correct && p.bf.correct).length,
    },
  }));
}
