/**
 * The data behind the Results page's charts, derived from the summary rows and units: the
 * Pareto frontier of accuracy against cost, accuracy against k (self-consistency), against the
 * thinking budget (budgeted-cot), and the early-answering curve. Pure functions.
 */
import { isCorrect } from '../lib/experiments/grade-unit';
import type { StrategySummary } from '../lib/experiments/summary';
import type { UnitResult } from '../lib/experiments/types';
import { wilsonInterval } from '../lib/stats/wilson';
import { parseStrategySetting } from '../lib/strategies/settings';
import type { Problem } from '../lib/strategies/types';
import { majorityVote } from '../lib/strategies/vote';

export interface CostPoint {
  strategy: string;
  cost: number;
  accuracy: number;
  ciLow: number;
  ciHigh: number;
  /** On the Pareto frontier: no other strategy is at least as accurate for less cost. */
  frontier: boolean;
}

/** Points of accuracy against a cost (mean tokens or latency), frontier marked, sorted by cost. */
export function paretoPoints(rows: readonly StrategySummary[], cost: (row: StrategySummary) => number): CostPoint[] {
  const points = rows
    .filter((row) => row.n > 0 && Number.isFinite(cost(row)))
    .map((row) => ({ strategy: row.strategy, cost: cost(row), accuracy: row.accuracy, ciLow: row.ciLow, ciHigh: row.ciHigh, frontier: false }))
    .sort((a, b) => a.cost - b.cost || b.accuracy - a.accuracy);
  let best = Number.NEGATIVE_INFINITY;
  for (const point of points) {
    if (point.accuracy > best) {
      point.frontier = true;
      best = point.accuracy;
    }
  }
  return points;
}

export interface SweepPoint {
  strategy: string;
  x: number;
  accuracy: number;
  ciLow: number;
  ciHigh: number;
  /** Rows with the same other settings share a series (e.g. SC at temperature 0.8 vs 1.0). */
  series: string;
}

/** Rows of one strategy, placed by one numeric setting (`k` of self-consistency, `budget` of budgeted-cot). */
export function sweepPoints(rows: readonly StrategySummary[], strategyId: string, key: string): SweepPoint[] {
  const points: SweepPoint[] = [];
  for (const row of rows) {
    if (row.n === 0) continue;
    let setting;
    try {
      setting = parseStrategySetting(row.strategy);
    } catch {
      continue; // an imported run may name strategies this version does not know
    }
    if (setting.id !== strategyId) continue;
    const config: Record<string, unknown> = { ...setting.config };
    const x = config[key];
    if (typeof x !== 'number') continue;
    const others = Object.entries(config)
      .filter(([name]) => name !== key && name !== 'seed')
      .map(([name, value]) => `${name}=${String(value)}`)
      .join(',');
    points.push({ strategy: row.strategy, x, accuracy: row.accuracy, ciLow: row.ciLow, ciHigh: row.ciHigh, series: others });
  }
  return points.sort((a, b) => a.x - b.x);
}

/**
 * Self-consistency against k from ONE run at k: for each question, the vote over its first j
 * chains, for j = 1…k — the answer the strategy would have given with k = j, read off the
 * samples already drawn, with no extra generation. Only rows without early stopping: with ESC or
 * the Beta rule the number of chains differs per question. Weights (confidence-weighted voting)
 * come from the unit's `details.weights`, as the strategy voted. A prefix winner is graded like
 * the strategy's own answer (the unit's verdict when it is that answer, else against the
 * question, `problems` giving its choices when the dataset is still here); at j = k the point is
 * the row's accuracy.
 */
export function selfConsistencyCurve(units: readonly UnitResult[], problems: ReadonlyMap<string, Problem> = new Map()): SweepPoint[] {
  const tally = new Map<string, { correct: number[]; n: number; depth: number }>();
  for (const unit of units) {
    if (!isPlainSelfConsistency(unit.strategy)) continue;
    const chains = unit.result.samples.filter((sample) => sample.role === 'chain');
    const weights = unit.result.details?.weights;
    const problem = problems.get(unit.problemId) ?? { id: unit.problemId, question: '', reference: unit.reference };
    const entry = tally.get(unit.strategy) ?? { correct: [], n: 0, depth: Number.POSITIVE_INFINITY };
    entry.n++;
    entry.depth = Math.min(entry.depth, chains.length);
    for (let j = 1; j <= chains.length; j++) {
      const ballots = chains.slice(0, j).map((chain, i) => ({
        answer: chain.answer?.value ?? null,
        weight: Array.isArray(weights) && typeof weights[i] === 'number' ? weights[i] : 1,
      }));
      const winner = majorityVote(ballots).answer;
      const right = winner === unit.answer ? unit.correct : isCorrect(winner, problem);
      entry.correct[j - 1] = (entry.correct[j - 1] ?? 0) + (right ? 1 : 0);
    }
    tally.set(unit.strategy, entry);
  }
  const points: SweepPoint[] = [];
  for (const [strategy, { correct, n, depth }] of tally) {
    // Every point counts the same questions: the curve ends at the fewest chains any question has.
    for (let j = 1; j <= depth; j++) {
      const interval = wilsonInterval(correct[j - 1], n);
      points.push({ strategy, x: j, accuracy: correct[j - 1] / n, ciLow: interval.low, ciHigh: interval.high, series: `${strategy} (first j chains)` });
    }
  }
  return points;
}

function isPlainSelfConsistency(strategy: string): boolean {
  try {
    const setting = parseStrategySetting(strategy);
    return setting.id === 'self-consistency' && setting.config.stop === 'none';
  } catch {
    return false; // an imported run may name strategies this version does not know
  }
}

export interface EarlyAnswerPoint {
  strategy: string;
  /** Share of the chain kept before the answer was forced (0…1). */
  fraction: number;
  /** Share of questions whose forced answer matched the full chain's. */
  matchRate: number;
  questions: number;
}

/** The early-answering curve per probe strategy, from each unit's `details.points`. */
export function earlyAnsweringCurve(units: readonly UnitResult[]): EarlyAnswerPoint[] {
  const tally = new Map<string, { strategy: string; fraction: number; matches: number; questions: number }>();
  for (const unit of units) {
    const points = unit.result.details?.points;
    if (!unit.strategy.startsWith('early-answering') || !Array.isArray(points)) continue;
    for (const point of points) {
      if (typeof point !== 'object' || point === null) continue;
      const { fraction, matchesFinal } = point as { fraction?: unknown; matchesFinal?: unknown };
      if (typeof fraction !== 'number' || typeof matchesFinal !== 'boolean') continue;
      const key = `${unit.strategy}@${fraction}`;
      const entry = tally.get(key) ?? { strategy: unit.strategy, fraction, matches: 0, questions: 0 };
      entry.questions++;
      if (matchesFinal) entry.matches++;
      tally.set(key, entry);
    }
  }
  return [...tally.values()]
    .map((entry) => ({ strategy: entry.strategy, fraction: entry.fraction, matchRate: entry.matches / entry.questions, questions: entry.questions }))
    .sort((a, b) => a.strategy.localeCompare(b.strategy) || a.fraction - b.fraction);
}
