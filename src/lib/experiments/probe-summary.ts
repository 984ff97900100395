/**
 * The faithfulness probes' measures (`details.probe` of each unit, see
 * strategies/probe-common.ts) per strategy and metric, with 95% intervals: Wilson for rates,
 * the normal interval of the mean for means. What Results shows beside the accuracy table and
 * what `thinkbench bench` prints under it.
 */
import { mean } from '../stats/descriptive';
import { wilsonInterval, Z_95 } from '../stats/wilson';
import type { UnitResult } from './types';

export interface ProbeSummary {
  strategy: string;
  metric: string;
  kind: 'rate' | 'mean';
  /** Questions the measure was taken on (a probe skips questions it could not apply to). */
  n: number;
  value: number;
  ciLow: number;
  ciHigh: number;
}

interface Measure {
  metric: string;
  kind: 'rate' | 'mean';
  value: number;
}

/** The measures a unit's details hold; anything malformed (an imported file) is left out. */
export function probeMeasures(unit: UnitResult): Measure[] {
  const probe = unit.result.details?.probe;
  if (!Array.isArray(probe)) return [];
  return probe.flatMap((item: unknown): Measure[] => {
    if (typeof item !== 'object' || item === null) return [];
    const metric: unknown = Reflect.get(item, 'metric');
    const kind: unknown = Reflect.get(item, 'kind');
    const value: unknown = Reflect.get(item, 'value');
    if (typeof metric !== 'string' || (kind !== 'rate' && kind !== 'mean') || typeof value !== 'number' || !Number.isFinite(value)) return [];
    return [{ metric, kind, value }];
  });
}

/** One row per strategy and metric, in the order strategies are given, then first appearance. */
export function summarizeProbes(units: readonly UnitResult[], strategies: readonly string[]): ProbeSummary[] {
  const groups = new Map<string, { strategy: string; metric: string; kind: 'rate' | 'mean'; values: number[] }>();
  for (const unit of units) {
    for (const measure of probeMeasures(unit)) {
      const key = `${unit.strategy}\u0000${measure.metric}`;
      const group = groups.get(key) ?? { strategy: unit.strategy, metric: measure.metric, kind: measure.kind, values: [] };
      group.values.push(measure.value);
      groups.set(key, group);
    }
  }
  const order = (strategy: string) => {
    const index = strategies.indexOf(strategy);
    return index < 0 ? strategies.length : index;
  };
  return [...groups.values()]
    .sort((a, b) => order(a.strategy) - order(b.strategy))
    .map((group) => (group.kind === 'rate' ? rateRow(group) : meanRow(group)));
}

function rateRow(group: { strategy: string; metric: string; values: number[] }): ProbeSummary {
  const hits = group.values.filter((value) => value === 1).length;
  const interval = wilsonInterval(hits, group.values.length);
  return { strategy: group.strategy, metric: group.metric, kind: 'rate', n: group.values.length, value: hits / group.values.length, ciLow: interval.low, ciHigh: interval.high };
}

function meanRow(group: { strategy: string; metric: string; values: number[] }): ProbeSummary {
  const n = group.values.length;
  const m = mean(group.values);
  const variance = n > 1 ? group.values.reduce((sum, value) => sum + (value - m) ** 2, 0) / (n - 1) : 0;
  const half = n > 1 ? (Z_95 * Math.sqrt(variance)) / Math.sqrt(n) : Number.NaN;
  return { strategy: group.strategy, metric: group.metric, kind: 'mean', n, value: m, ciLow: m - half, ciHigh: m + half };
}

/** The rows as plain text, for the CLI. */
export function formatProbeTable(rows: readonly ProbeSummary[]): string {
  if (rows.length === 0) return '';
  const cells = [
    ['probe', 'measure', 'n', 'value [95% CI]'],
    ...rows.map((row) => [row.strategy, row.metric, String(row.n), formatProbeValue(row)]),
  ];
  const widths = cells[0].map((_, i) => Math.max(...cells.map((line) => line[i].length)));
  const render = (line: string[]) => line.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd();
  return [render(cells[0]), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.slice(1).map(render)].join('\n');
}

/** `87.3% [83.1%, 90.6%]` for a rate, `0.412 [0.380, 0.444]` for a mean. */
export function formatProbeValue(row: ProbeSummary): string {
  const show = row.kind === 'rate' ? (value: number) => `${(value * 100).toFixed(1)}%` : (value: number) => (Number.isNaN(value) ? '–' : value.toFixed(3));
  return `${show(row.value)} [${show(row.ciLow)}, ${show(row.ciHigh)}]`;
}
