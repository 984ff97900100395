/**
 * The data behind the Results page's charts, derived from the summary rows and units: the
 * Pareto frontier of accuracy against cost, accuracy against k (self-consistency), against the
 * thinking budget (budgeted-cot), and the early-answering curve. Pure functions.
 */
import type { StrategySummary } from '../lib/experiments/summary';
import type { UnitResult } from '../lib/experiments/types';
import { parseStrategySetting } from '../lib/strategies/settings';

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
