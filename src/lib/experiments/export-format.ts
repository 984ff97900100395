/**
 * The export file: one JSON document holding everything needed to rebuild an experiment's
 * results elsewhere (spec, manifest, the questions, every unit with every sample). Versioned:
 * `version` only ever grows, and the importer upgrades older versions step by step.
 */
import type { Dataset } from '../datasets/types';
import { exportProbeSummary, exportSummary } from './export-summary';
import type { SummaryOptions } from './summary';
import { typedArraysAsLists } from './logprobs-json';
import type { ExperimentSpec, ExperimentStatus, RunManifest, UnitResult } from './types';

export const EXPORT_FORMAT = 'thinkbench-experiment';
export const EXPORT_VERSION = 1;

export interface ExportedExperiment {
  id: string;
  name: string;
  /** Epoch ms. */
  createdAt: number;
  status: ExperimentStatus;
  spec: ExperimentSpec;
  /** The strategy the results table compares the others with, if one was chosen. */
  baseline?: string;
  manifest: RunManifest | null;
}

export interface ExperimentExport {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  /** ISO 8601. */
  exportedAt: string;
  experiment: ExportedExperiment;
  /** The questions of the slice that was run (not the whole source dataset). */
  dataset: Dataset;
  units: UnitResult[];
}

export function buildExport(experiment: ExportedExperiment, dataset: Dataset, units: readonly UnitResult[], exportedAt = new Date()): ExperimentExport {
  return { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: exportedAt.toISOString(), experiment, dataset, units: [...units] };
}

/**
 * The file's text: the data, exact, plus `summary` — the results table as the exporter showed
 * it (strict or not; 95% intervals, fallback share, the baseline comparison), rounded
 * (export-round.ts), and `summary.probes`, the faithfulness probes' measures with their
 * intervals (empty without probes), for readers that do not want to recompute them. The summary is derived, so
 * the importer ignores it and recomputes the table from `units`, whose numbers are never
 * rounded; files without it (older exports) read the same.
 */
export function exportToJson(data: ExperimentExport, options: SummaryOptions = {}): string {
  const summary = { strict: options.strict ?? false, strategies: exportSummary(data, options), probes: exportProbeSummary(data) };
  return JSON.stringify({ ...data, summary }, typedArraysAsLists);
}
