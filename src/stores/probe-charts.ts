/**
 * The data behind Results' probe charts: each faithfulness probe's measure with its 95%
 * interval (answer changed, same answer, area over the early-answering curve, compliance…), and
 * the noisy-rationale study — accuracy with clean exemplars, with noisy ones, and with CD-CoT —
 * as intervals. Pure functions over the rows the tables already show.
 */
import type { ProbeSummary } from '../lib/experiments/probe-summary';
import type { StrategySummary } from '../lib/experiments/summary';
import { parseStrategySetting } from '../lib/strategies/settings';

export interface IntervalPoint {
  /** The row's name on the chart's axis. */
  label: string;
  value: number;
  ciLow: number;
  ciHigh: number;
  /** What colours the point: the probe's kind of measure, or the exemplars' condition. */
  group: string;
}

/**
 * Probe measures as intervals, rates and means apart: rates share a 0–100% axis, means (an area
 * over a curve, rephrasings kept per exemplar) have their own units. Means over one question have
 * no interval and are left out.
 */
export function probeIntervals(rows: readonly ProbeSummary[]): { rates: IntervalPoint[]; means: IntervalPoint[] } {
  const point = (row: ProbeSummary): IntervalPoint => ({
    label: `${row.strategy} · ${row.metric}`,
    value: row.value,
    ciLow: row.ciLow,
    ciHigh: row.ciHigh,
    group: row.metric,
  });
  return {
    rates: rows.filter((row) => row.kind === 'rate').map(point),
    means: rows.filter((row) => row.kind === 'mean' && Number.isFinite(row.ciLow) && Number.isFinite(row.ciHigh)).map(point),
  };
}

export type NoiseCondition = 'clean' | 'irrelevant' | 'inaccurate' | 'CD-CoT';

/**
 * Accuracy rows of the noisy-rationale study (NoRa's `noisy-cot` and `cd-cot`), in reading
 * order: clean exemplars, then each kind of noise by ratio, then CD-CoT. Labels name what
 * differs: the noise and its ratio, and the shots when rows differ in them.
 */
export function noiseIntervals(rows: readonly StrategySummary[]): IntervalPoint[] {
  const found = rows.flatMap((row) => {
    if (row.n === 0) return [];
    let setting;
    try {
      setting = parseStrategySetting(row.strategy);
    } catch {
      return []; // an imported run may name strategies this version does not know
    }
    if (setting.id !== 'noisy-cot' && setting.id !== 'cd-cot') return [];
    const { noise, ratio, shots } = setting.config;
    const condition: NoiseCondition = setting.id === 'cd-cot' ? 'CD-CoT' : noise === 'none' || ratio === 0 ? 'clean' : noise;
    return [{ row, condition, noise, ratio, shots }];
  });
  const manyShots = new Set(found.map((entry) => entry.shots)).size > 1;
  const rank: Record<NoiseCondition, number> = { clean: 0, irrelevant: 1, inaccurate: 2, 'CD-CoT': 3 };
  const points = found
    .sort((a, b) => rank[a.condition] - rank[b.condition] || a.ratio - b.ratio || a.shots - b.shots)
    .map(({ row, condition, noise, ratio, shots }) => {
      const exemplars = noise === 'none' || ratio === 0 ? 'clean' : `${noise} ${ratio}`;
      const what = condition === 'CD-CoT' ? `CD-CoT, ${exemplars}` : exemplars;
      return {
        strategy: row.strategy,
        label: manyShots ? `${what}, ${shots} shot${shots === 1 ? '' : 's'}` : what,
        value: row.accuracy,
        ciLow: row.ciLow,
        ciHigh: row.ciHigh,
        group: condition,
      };
    });
  // Rows that differ in a setting the label leaves out (temperature, spread) keep their full names.
  const seen = new Map<string, number>();
  for (const point of points) seen.set(point.label, (seen.get(point.label) ?? 0) + 1);
  return points.map(({ strategy, ...point }) => ((seen.get(point.label) ?? 0) > 1 ? { ...point, label: strategy } : point));
}
