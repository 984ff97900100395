/**
 * The results table as exported data: one row per strategy with its 95% Wilson interval and the
 * comparison with the baseline, rounded (export-round.ts), flattened to plain fields so it fits a
 * CSV row as well as JSON. Every field of the summary is carried, by name, so a field added to
 * `StrategySummary` reaches the exports without a second list here to keep in step.
 */
import { roundForExport } from './export-round';
import type { ExperimentExport } from './export-format';
import { summarizeProbes, type ProbeSummary } from './probe-summary';
import { summarize, type StrategySummary, type SummaryOptions } from './summary';

export type SummaryValue = string | number | boolean | null;
export type ExportedSummaryRow = Record<string, SummaryValue>;

/** The summary of an export, as the Results page computes it (same strategies, same baseline, strict or not). */
export function exportSummary(data: ExperimentExport, options: SummaryOptions = {}): ExportedSummaryRow[] {
  return summarize(data.units, data.experiment.spec.strategies, data.experiment.baseline, options).map(flattenSummary);
}

/** One summary row as flat fields: `vsBaseline` becomes `baseline`, `baselinePairs`, `baselinePValue`, … */
export function flattenSummary(row: StrategySummary): ExportedSummaryRow {
  const out: ExportedSummaryRow = {};
  for (const [key, value] of Object.entries(row)) {
    if (key === 'vsBaseline') continue;
    out[key] = field(key, value);
  }
  const comparison = row.vsBaseline;
  if (comparison !== null) {
    for (const [key, value] of Object.entries(comparison)) {
      const name = key === 'baseline' ? 'baseline' : `baseline${key[0].toUpperCase()}${key.slice(1)}`;
      out[name] = field(key, value);
    }
  }
  return out;
}

function field(key: string, value: unknown): SummaryValue {
  if (typeof value === 'number') return Number.isFinite(value) ? roundForExport(key, value) : null;
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  return JSON.stringify(value);
}

/** The faithfulness probes' table of an export (Results' "Faithfulness probes"), rounded. */
export function exportProbeSummary(data: ExperimentExport): ExportedSummaryRow[] {
  return summarizeProbes(data.units, data.experiment.spec.strategies).map((row: ProbeSummary) => {
    const out: ExportedSummaryRow = {};
    for (const [key, value] of Object.entries(row)) out[key] = field(key, value);
    return out;
  });
}
