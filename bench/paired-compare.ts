/**
 * Compares two strategies from `thinkbench bench --out` files (one file holding both, or one
 * each) on the problems both finished: accuracy, mean generated tokens per question (terminated
 * traces included: a unit's `totals.tokens`), and the token saving of the second against the
 * first, with McNemar's test on the paired correctness (src/lib/stats/mcnemar.ts), and how many
 * samples the second used on the questions only the first got right. Used for
 * issue 13's bar, whose strategies ran as separate processes (or were stopped before the end).
 *
 *   npx tsx bench/paired-compare.ts FILE [FILE2] --a 'self-consistency:k=10' --b 'deepconf:k=10'
 */
import { readFileSync } from 'node:fs';
import { mcnemar } from '../src/lib/stats/mcnemar';

/** The fields this comparison reads; read loosely so files from before logprobs export (typed arrays as objects) still load. */
interface UnitResult {
  strategy: string;
  problemId: string;
  correct: boolean;
  result: { totals: { tokens: number }; samples: unknown[] };
}

const flag = (name: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) throw new Error(`--${name} is required`);
  return process.argv[at + 1];
};
const files = process.argv.slice(2).filter((arg, i, all) => !arg.startsWith('--') && !all[i - 1]?.startsWith('--'));
const units = files.flatMap((file) => (JSON.parse(readFileSync(file, 'utf8')) as { units: UnitResult[] }).units);
const [a, b] = [flag('a'), flag('b')];
const byProblem = (strategy: string) => new Map(units.filter((u) => u.strategy === strategy).map((u) => [u.problemId, u]));
const unitsA = byProblem(a);
const unitsB = byProblem(b);
const common = [...unitsA.keys()].filter((id) => unitsB.has(id));
const stats = (map: Map<string, UnitResult>) => {
  const rows = common.map((id) => map.get(id) as UnitResult);
  return {
    correct: rows.filter((u) => u.correct).length,
    meanTokens: rows.reduce((sum, u) => sum + u.result.totals.tokens, 0) / rows.length,
    samplesPerQuestion: rows.reduce((sum, u) => sum + u.result.samples.length, 0) / rows.length,
  };
};
const sa = stats(unitsA);
const sb = stats(unitsB);
const onlyA = common.filter((id) => unitsA.get(id)?.correct && !unitsB.get(id)?.correct).length;
const onlyB = common.filter((id) => !unitsA.get(id)?.correct && unitsB.get(id)?.correct).length;
/** Questions only A got right, counted by how many samples B used on them (stopped early, or all k). */
const lossesBySamples: Record<number, number> = {};
for (const id of common.filter((id) => unitsA.get(id)?.correct && !unitsB.get(id)?.correct)) {
  const used = (unitsB.get(id) as UnitResult).result.samples.length;
  lossesBySamples[used] = (lossesBySamples[used] ?? 0) + 1;
}
console.log(JSON.stringify({
  problems: common.length,
  [a]: { ...sa, accuracy: sa.correct / common.length },
  [b]: { ...sb, accuracy: sb.correct / common.length },
  accuracyDeltaPoints: (100 * (sb.correct - sa.correct)) / common.length,
  tokensSaved: 1 - sb.meanTokens / sa.meanTokens,
  discordant: { [`${a} only`]: onlyA, [`${b} only`]: onlyB },
  mcnemar: mcnemar(onlyA, onlyB),
  [`${b} samples on ${a} only`]: lossesBySamples,
}));
