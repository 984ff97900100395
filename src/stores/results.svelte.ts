/**
 * What the Results page shows: one experiment's table (with a chosen baseline, and optionally
 * strict: answers found only by the last-number fallback counted wrong), the data behind its
 * charts, a per-question drill-down, export and import, and the storage view (space per
 * experiment, delete, the generation cache).
 */
import { DatasetsRepo } from '../lib/db/datasets-repo';
import { ExperimentsRepo } from '../lib/db/experiments-repo';
import { IdbGenerationCache } from '../lib/db/generation-cache';
import type { ExperimentRecord, UnitRecord } from '../lib/db/records';
import type { Dataset, DatasetProblem } from '../lib/datasets/types';
import { exportToCsv, summaryToCsv } from '../lib/experiments/export-csv';
import { buildExport, exportToJson, type ExperimentExport } from '../lib/experiments/export-format';
import { parseExperimentExport } from '../lib/experiments/export-import';
import { sliceProblems } from '../lib/experiments/matrix';
import { summarize, type StrategySummary } from '../lib/experiments/summary';
import type { ExperimentSpec, UnitResult } from '../lib/experiments/types';
import { placeImportedDataset } from '../lib/experiments/import-dataset';
import { database, type DatabaseStore } from './database.svelte';
import { disagreeingQuestions } from './results-drilldown';

export interface StorageRow {
  id: string;
  name: string;
  bytes: number;
}

export interface StorageView {
  rows: StorageRow[];
  cacheEntries: number;
  cacheBytes: number;
  /** What the browser reports for the whole origin, when it does. */
  usageBytes: number | null;
  quotaBytes: number | null;
}

export type ExportKind = 'json' | 'csv' | 'summary-csv';

export interface ExportFile {
  fileName: string;
  mimeType: string;
  text: string;
}

export class ResultsStore {
  #runs = $state.raw<ExperimentRecord[]>([]);
  #selectedId = $state<string | null>(null);
  #units = $state.raw<UnitRecord[]>([]);
  #dataset = $state.raw<Dataset | null>(null);
  #storage = $state.raw<StorageView | null>(null);
  #error = $state<{ name: string; message: string } | null>(null);
  #strict = $state(false);
  #database: DatabaseStore;

  constructor(db: DatabaseStore = database) {
    this.#database = db;
  }

  get runs(): readonly ExperimentRecord[] {
    return this.#runs;
  }

  get selected(): ExperimentRecord | null {
    return this.#runs.find((run) => run.id === this.#selectedId) ?? null;
  }

  get units(): readonly UnitRecord[] {
    return this.#units;
  }

  get error(): { name: string; message: string } | null {
    return this.#error;
  }

  get storage(): StorageView | null {
    return this.#storage;
  }

  /** Whether the table counts answers found only by the last-number fallback as wrong. */
  get strict(): boolean {
    return this.#strict;
  }

  setStrict(strict: boolean): void {
    this.#strict = strict;
  }

  /** The table rows, in the experiment's strategy order, compared with its baseline. */
  get summary(): StrategySummary[] {
    const run = this.selected;
    if (!run) return [];
    return summarize(this.#units, run.spec.strategies, run.baseline, { strict: this.#strict });
  }

  /** Questions of the run, in dataset order, with their text when the dataset is still here. */
  get questions(): DatasetProblem[] {
    const run = this.selected;
    if (!run) return [];
    if (this.#dataset) return sliceProblems(this.#dataset.problems, run.spec.dataset);
    // The dataset was deleted: list the questions the units name, without their text.
    return this.#units
      .filter((unit, index, all) => all.findIndex((other) => other.problemId === unit.problemId) === index)
      .map((unit) => ({ id: unit.problemId, question: '', reference: unit.reference }));
  }

  /** Questions on which the strategies gave different final answers (the drill-down's filter). */
  get disagreeing(): string[] {
    return disagreeingQuestions(
      this.questions.map((question) => question.id),
      this.#units,
    );
  }

  unitsFor(problemId: string): UnitRecord[] {
    return this.#units.filter((unit) => unit.problemId === problemId);
  }

  /** Saved data cannot be read now (another tab, see DatabaseNotice): lists are unknown, not empty. */
  get storageUnavailable(): boolean {
    return this.#database.notice !== null;
  }

  async refresh(): Promise<void> {
    try {
      this.#runs = await (await this.#repo()).list();
      if (this.#selectedId === null || !this.selected) {
        this.#selectedId = this.#runs[0]?.id ?? null;
        await this.#loadSelected();
      }
    } catch (error) {
      this.#report(error);
    }
  }

  #report(error: unknown): void {
    // The app-wide database notice already says why storage is unreadable.
    if (this.storageUnavailable) return;
    this.#error = error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
  }

  async select(id: string): Promise<void> {
    this.#selectedId = id;
    await this.#loadSelected();
  }

  async setBaseline(strategy: string | undefined): Promise<void> {
    const run = this.selected;
    if (!run) return;
    await (await this.#repo()).setBaseline(run.id, strategy);
    this.#runs = this.#runs.map((r) => (r.id === run.id ? { ...r, baseline: strategy } : r));
  }

  /** The selected run as the export file (JSON, complete), as CSV (one row per sample), or its summary table as CSV. */
  exportSelected(kind: ExportKind): ExportFile | null {
    const data = this.#exportData();
    if (!data) return null;
    const base = slug(data.experiment.name);
    switch (kind) {
      case 'json':
        return { fileName: `${base}.thinkbench.json`, mimeType: 'application/json', text: exportToJson(data, { strict: this.#strict }) };
      case 'csv':
        return { fileName: `${base}.csv`, mimeType: 'text/csv', text: exportToCsv(data) };
      case 'summary-csv':
        return { fileName: `${base}.summary.csv`, mimeType: 'text/csv', text: summaryToCsv(data, { strict: this.#strict }) };
    }
  }

  /** Imports an exported JSON file as a new run (and its questions as a dataset); returns the run's id. */
  async importJson(text: string): Promise<string | null> {
    this.#error = null;
    try {
      const data = parseExperimentExport(text);
      const db = await this.#database.open();
      const repo = new ExperimentsRepo(db);
      const id = (await repo.get(data.experiment.id)) ? crypto.randomUUID() : data.experiment.id;
      const datasets = new DatasetsRepo(db);
      const placement = await placeImportedDataset(data.dataset, data.experiment.spec.dataset, (datasetId) => datasets.get(datasetId));
      if (placement.kind === 'add') await datasets.add(placement.dataset);
      await repo.importRun(importedRecord(id, data, placement.ref), data.units);
      await this.refresh();
      await this.select(id);
      return id;
    } catch (error) {
      this.#error = error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
      return null;
    }
  }

  async remove(id: string): Promise<void> {
    await (await this.#repo()).delete(id);
    if (this.#selectedId === id) this.#selectedId = null;
    await this.refresh();
    await this.loadStorage();
  }

  async clearCache(): Promise<void> {
    await new IdbGenerationCache(await this.#database.open()).clear();
    await this.loadStorage();
  }

  async loadStorage(): Promise<void> {
    try {
      await this.#loadStorage();
    } catch (error) {
      this.#report(error);
    }
  }

  async #loadStorage(): Promise<void> {
    const db = await this.#database.open();
    const repo = new ExperimentsRepo(db);
    const cache = new IdbGenerationCache(db);
    const runs = await repo.list();
    const rows = await Promise.all(runs.map(async (run) => ({ id: run.id, name: run.name, bytes: await repo.sizeBytes(run.id) })));
    const estimate = await globalThis.navigator?.storage?.estimate?.().catch(() => undefined);
    this.#storage = {
      rows,
      cacheEntries: await cache.count(),
      cacheBytes: await cache.sizeBytes(),
      usageBytes: estimate?.usage ?? null,
      quotaBytes: estimate?.quota ?? null,
    };
  }

  #exportData(): ExperimentExport | null {
    const run = this.selected;
    if (!run) return null;
    const problems = this.questions;
    const dataset: Dataset = this.#dataset
      ? { ...this.#dataset, problems: sliceProblems(this.#dataset.problems, run.spec.dataset) }
      : { id: run.spec.dataset.id, name: run.manifest.dataset.name, source: run.manifest.dataset.source, problems };
    const units: UnitResult[] = this.#units.map(({ experimentId: _experimentId, ...unit }) => unit);
    return buildExport(
      { id: run.id, name: run.name, createdAt: run.createdAt, status: run.status, spec: run.spec, manifest: run.manifest, ...(run.baseline ? { baseline: run.baseline } : {}) },
      dataset,
      units,
    );
  }

  async #loadSelected(): Promise<void> {
    const run = this.selected;
    if (!run) {
      this.#units = [];
      this.#dataset = null;
      return;
    }
    const db = await this.#database.open();
    this.#units = await new ExperimentsRepo(db).units(run.id);
    this.#dataset = (await new DatasetsRepo(db).get(run.spec.dataset.id)) ?? null;
  }

  async #repo(): Promise<ExperimentsRepo> {
    return new ExperimentsRepo(await this.#database.open());
  }
}

function importedRecord(id: string, data: ExperimentExport, dataset: ExperimentSpec['dataset']): ExperimentRecord {
  const { experiment } = data;
  const samples = data.units.reduce((sum, unit) => sum + unit.result.samples.length, 0);
  const manifest = experiment.manifest ?? {
    appVersion: 'unknown',
    runtime: 'unknown',
    model: { ...experiment.spec.model, files: [] },
    dataset: { ...experiment.spec.dataset, name: data.dataset.name, source: data.dataset.source },
    strategies: experiment.spec.strategies.map((text) => ({ text, id: text.split(':')[0], config: {} })),
    maxNewTokens: experiment.spec.maxNewTokens,
    createdAt: experiment.createdAt,
  };
  return {
    id,
    name: experiment.name,
    // The manifest keeps the original dataset id (what was run); the spec names where it is stored here.
    spec: { ...experiment.spec, dataset },
    manifest,
    // An imported run is a record of results, not something this browser can continue.
    status: experiment.status === 'running' ? 'interrupted' : experiment.status,
    unitsTotal: experiment.spec.strategies.length * data.dataset.problems.length,
    unitsDone: data.units.length,
    samplesTotal: samples,
    samplesDone: samples,
    activeMs: 0,
    generatedSamples: 0,
    cachedSamples: 0,
    ...(experiment.baseline ? { baseline: experiment.baseline } : {}),
    imported: true,
    createdAt: experiment.createdAt,
    updatedAt: Date.now(),
  };
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'experiment';
}

export const results = new ResultsStore();
