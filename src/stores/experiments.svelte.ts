/**
 * Setting up and running experiments in the browser: the form (model, dataset slice,
 * strategies), the run matrix's size and estimate before starting, the list of runs with their
 * states, and the live progress of the run this tab works on. Runs are worked by `RunSession`;
 * this store only starts, stops and watches them.
 */
import type { Dtype } from '../client/engine-types';
import { ExperimentsRepo } from '../lib/db/experiments-repo';
import type { DatasetRecord, ExperimentRecord } from '../lib/db/records';
import { buildMatrix, estimateMatrix, sliceProblems } from '../lib/experiments/matrix';
import { buildPaceBook, estimateRun, paceObservations, type PaceBook, type RunEstimate } from '../lib/experiments/pace';
import type { RunProgress } from '../lib/experiments/runner';
import { validateSpec } from '../lib/experiments/spec';
import type { ExperimentSpec } from '../lib/experiments/types';
import type { DatasetProblem } from '../lib/datasets/types';
import { chooseDtype } from '../lib/models/catalog';
import { skillsHint } from '../lib/models/skills';
import { formatStrategySetting, parseStrategySetting } from '../lib/strategies/settings';
import { expandSettingSweep } from '../lib/strategies/setting-sweep';
import { medianChainTokens } from '../lib/strategies/budget';
import { database, type DatabaseStore } from './database.svelte';
import { datasets, type DatasetsStore } from './datasets.svelte';
import { deviceStore, type DeviceStore } from './device.svelte';
import { inferenceClient } from './inference';
import { EMBEDDED_MODEL, modelChoice } from './model-choices';
import { modelsLoading } from './models-loading.svelte';
import { loadExperimentForm, saveExperimentForm, type ExperimentFormState } from './experiment-form';
import { buildManifest } from './run-manifest';
import { RunSession, runLockName, type SessionDeps, type SessionUpdate } from './run-session';
import { SERVER_DEVICE_PREFIX, serverStore, serverUrlOf, type ServerStore } from './server.svelte';
import { unsupportedReason } from '../lib/backends/openai/requirements';
import { PROMPTED, THINK_TAGS } from '../lib/formats/reasoning-format';
import type { ModelRef } from '../lib/experiments/types';

export interface MatrixPreview {
  units: number;
  questions: number;
  /** Samples at most (adaptive strategies may stop earlier). */
  maxSamples: number;
  /** From the units this browser finished on the same model, weights and device (lib/experiments/pace.ts). */
  estimate: RunEstimate;
}

export interface LiveRun {
  id: string;
  record: ExperimentRecord;
  progress: RunProgress | null;
}

/** Where a run generates: this browser (the default, offline) or an OpenAI-compatible server. */
export type ModelSource = 'browser' | 'server';

/** Questions shown in the form's dataset preview. */
export const PREVIEW_QUESTIONS = 3;

const FORM_DEFAULTS: ExperimentFormState = {
  name: '',
  modelId: EMBEDDED_MODEL.id,
  dtypeChoice: 'auto',
  datasetId: '',
  n: 20,
  seed: 1,
  // The embedded model's longest trained chain (7 numbers and the check) with its answer is ~120 tokens.
  maxNewTokens: 160,
  strategies: ['direct', 'cot'],
};

export class ExperimentsStore {
  // The form's values, restored from the last visit; public so inputs bind to them directly.
  name = $state(FORM_DEFAULTS.name);
  source = $state<ModelSource>('browser');
  modelId = $state(FORM_DEFAULTS.modelId);
  dtypeChoice = $state<Dtype | 'auto'>(FORM_DEFAULTS.dtypeChoice);
  datasetId = $state(FORM_DEFAULTS.datasetId);
  n = $state(FORM_DEFAULTS.n);
  seed = $state(FORM_DEFAULTS.seed);
  maxNewTokens = $state(FORM_DEFAULTS.maxNewTokens);
  #strategies = $state<string[]>([...FORM_DEFAULTS.strategies]);

  #runs = $state.raw<ExperimentRecord[]>([]);
  #live = $state.raw<LiveRun | null>(null);
  #error = $state<{ name: string; message: string } | null>(null);
  #session: RunSession | null = null;
  /** The run this tab is working on (reactive mirror of `#session`). */
  #activeId = $state<string | null>(null);
  #paceBook = $state.raw<PaceBook>(buildPaceBook([]));

  #database: DatabaseStore;
  #datasets: DatasetsStore;
  #device: DeviceStore;
  #server: ServerStore;

  constructor(db: DatabaseStore = database, datasetStore: DatasetsStore = datasets, device: DeviceStore = deviceStore, server: ServerStore = serverStore) {
    this.#database = db;
    this.#datasets = datasetStore;
    this.#device = device;
    this.#server = server;
    this.#restoreForm(loadExperimentForm(FORM_DEFAULTS));
    // Every change to the form is written back, so a reload finds it as it was left.
    $effect.root(() => {
      $effect(() => saveExperimentForm(this.formState));
    });
  }

  /** The form's values as stored. */
  get formState(): ExperimentFormState {
    return {
      name: this.name,
      modelId: this.modelId,
      dtypeChoice: this.dtypeChoice,
      datasetId: this.datasetId,
      n: this.n,
      seed: this.seed,
      maxNewTokens: this.maxNewTokens,
      strategies: [...this.#strategies],
    };
  }

  #restoreForm(state: ExperimentFormState): void {
    this.name = state.name;
    this.modelId = state.modelId;
    this.dtypeChoice = state.dtypeChoice;
    this.datasetId = state.datasetId;
    this.n = state.n;
    this.seed = state.seed;
    this.maxNewTokens = state.maxNewTokens;
    this.#strategies = state.strategies;
  }

  get server(): ServerStore {
    return this.#server;
  }

  get strategies(): readonly string[] {
    return this.#strategies;
  }

  get runs(): readonly ExperimentRecord[] {
    return this.#runs;
  }

  get live(): LiveRun | null {
    return this.#live;
  }

  get running(): boolean {
    return this.#activeId !== null;
  }

  get error(): { name: string; message: string } | null {
    return this.#error;
  }

  get dataset(): DatasetRecord | undefined {
    return this.#datasets.list.find((candidate) => candidate.id === this.datasetId);
  }

  get dtype(): Dtype {
    if (this.dtypeChoice !== 'auto') return this.dtypeChoice;
    return chooseDtype(modelChoice(this.modelId), this.#device.device ?? 'wasm', this.#device.hasShaderF16);
  }

  /** A warning when the chosen model was not trained for what the dataset asks (from the catalog's `skills`). */
  get skillsHint(): string | null {
    const dataset = this.dataset;
    return dataset ? skillsHint(modelChoice(this.modelId), dataset) : null;
  }

  /** The first questions this run will ask (its slice, in order), to check the data before running. */
  get sampleQuestions(): DatasetProblem[] {
    const dataset = this.dataset;
    if (!dataset || !(this.n >= 1)) return [];
    return sliceProblems(dataset.problems, { n: this.n, seed: this.seed }).slice(0, PREVIEW_QUESTIONS);
  }

  /** The spec the form describes (validated by `preview`). */
  get spec(): ExperimentSpec {
    return {
      model: this.#model(),
      dataset: { id: this.datasetId, n: this.n, seed: this.seed },
      strategies: [...this.#strategies],
      maxNewTokens: this.maxNewTokens,
    };
  }

  /** On a server the model is the server's (dtype `remote`, device `server <url>`). */
  #model(): ModelRef {
    if (this.source === 'browser') return { id: this.modelId, dtype: this.dtype, device: this.#device.device ?? 'wasm' };
    const capabilities = this.#server.capabilities;
    return { id: capabilities?.model ?? '', dtype: 'remote', device: `${SERVER_DEVICE_PREFIX}${capabilities?.baseUrl ?? ''}` };
  }

  /** The matrix's size and a rough estimate, or the reason the form cannot run yet. */
  get preview(): MatrixPreview | { error: string } {
    const dataset = this.dataset;
    if (!dataset) return { error: 'Choose a dataset (create one on the Datasets page).' };
    const capabilities = this.#server.capabilities;
    if (this.source === 'server' && capabilities === null) return { error: 'Connect to a server first (Model source: Server).' };
    try {
      const resolved = validateSpec(this.spec);
      if (this.source === 'server' && capabilities !== null) {
        const refused = resolved.flatMap((strategy) => {
          const reason = unsupportedReason(strategy.setting, capabilities);
          return reason === null ? [] : [`${strategy.text} is not supported by this server: ${reason}.`];
        });
        if (refused.length > 0) return { error: refused.join(' ') };
      }
      const problems = sliceProblems(dataset.problems, this.spec.dataset);
      const units = buildMatrix(resolved, problems);
      const { maxSamples } = estimateMatrix(units);
      const rows = resolved.map((strategy) => ({ strategy, questions: problems.length }));
      return { units: units.length, questions: problems.length, maxSamples, estimate: estimateRun(this.#paceBook, this.spec.model, rows, this.maxNewTokens) };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Adds a strategy written `name:key=value,…`; returns an error message or null. */
  addStrategy(text: string): string | null {
    try {
      // `key=a|b|c` adds one row per value (a budget sweep); all of them or none.
      const texts = expandSettingSweep(text);
      const taken = this.#strategies.map((existing) => formatStrategySetting(parseStrategySetting(existing)));
      for (const one of texts) {
        const canonical = formatStrategySetting(parseStrategySetting(one));
        if (taken.includes(canonical)) return `${canonical} is already in the list`;
      }
      this.#strategies = [...this.#strategies, ...texts];
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  removeStrategy(index: number): void {
    this.#strategies = this.#strategies.filter((_, i) => i !== index);
  }

  /** Saved data cannot be read now (another tab, see DatabaseNotice): lists are unknown, not empty. */
  get storageUnavailable(): boolean {
    return this.#database.notice !== null;
  }

  /** Loads the run list; a run left `running` with no tab holding its lock was interrupted. */
  async refresh(): Promise<void> {
    try {
      await this.#refresh();
    } catch (error) {
      // The app-wide database notice already says why storage is unreadable.
      if (!this.storageUnavailable) this.#error = asError(error);
    }
  }

  async #refresh(): Promise<void> {
    const repo = await this.#repo();
    const held = await heldLockNames();
    for (const run of await repo.list()) {
      if (run.status === 'running' && run.id !== this.#session?.experimentId && !held.has(runLockName(run.id))) {
        await repo.setStatus(run.id, 'interrupted');
      }
    }
    this.#runs = await repo.list();
    this.#paceBook = buildPaceBook((await Promise.all(this.#runs.map(async (run) => paceObservations(run, await repo.units(run.id))))).flat());
    // No dataset chosen yet, or the remembered one was deleted: take the first.
    if (!this.dataset && this.#datasets.list.length > 0) this.datasetId = this.#datasets.list[0].id;
  }

  async start(): Promise<void> {
    if (this.#session) return;
    this.#error = null;
    await this.#device.detect();
    const dataset = this.dataset;
    const preview = this.preview;
    if (!dataset || 'error' in preview) {
      this.#error = { name: 'ExperimentSpecError', message: 'error' in preview ? preview.error : 'no dataset' };
      return;
    }
    const spec = this.spec;
    const now = Date.now();
    const record: ExperimentRecord = {
      id: crypto.randomUUID(),
      name: this.name.trim() || `${spec.strategies.join(' vs ')} on ${dataset.name}`,
      spec,
      manifest: await buildManifest(spec, dataset, validateSpec(spec), this.source === 'server' || this.#device.device !== 'webgpu' ? undefined : this.#device.gpu?.adapterName, this.source === 'server' ? (this.#server.capabilities ?? undefined) : undefined),
      status: 'pending',
      unitsTotal: preview.units,
      unitsDone: 0,
      samplesTotal: preview.maxSamples,
      samplesDone: 0,
      activeMs: 0,
      generatedSamples: 0,
      cachedSamples: 0,
      ...(spec.strategies.length > 1 ? { baseline: spec.strategies[0] } : {}),
      imported: false,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await (await this.#repo()).create(record);
    } catch (error) {
      this.#error = asError(error);
      return;
    }
    await this.refresh();
    await this.#launch(record.id);
  }

  /** Continues a paused, interrupted or failed run: finished units are skipped, nothing finished is regenerated. */
  async resume(id: string): Promise<void> {
    if (this.#session) return;
    this.#error = null;
    await this.#launch(id);
  }

  pause(): void {
    this.#session?.stop('paused');
  }

  cancel(): void {
    this.#session?.stop('cancelled');
  }

  async #launch(id: string): Promise<void> {
    const db = await this.#database.open();
    const record = this.#runs.find((run) => run.id === id);
    const serverUrl = record ? serverUrlOf(record.spec.model.device) : null;
    const session = new RunSession(id, serverUrl === null ? this.#browserDeps(db, id) : this.#serverDeps(db, id, serverUrl), (update) => this.#onUpdate(update));
    this.#session = session;
    this.#activeId = id;
    try {
      const final = await session.run();
      if (final.error) this.#error = final.error;
    } finally {
      this.#session = null;
      this.#activeId = null;
      await this.refresh();
    }
  }

  #browserDeps(db: SessionDeps['db'], id: string): SessionDeps {
    return {
      db,
      generate: (request) => inferenceClient().generate(request),
      ensureModel: (model) =>
        modelsLoading.ensure({
          modelId: model.id,
          device: model.device === 'webgpu' ? 'webgpu' : 'wasm',
          dtype: model.dtype as Dtype,
          hasShaderF16: this.#device.hasShaderF16,
        }),
      reasoningOf: (modelId) => modelChoice(modelId).reasoning,
      medianChainTokens: () => this.#medianChainTokens(id),
    };
  }

  /** A run on a server: nothing to load; generation goes to the server this run was recorded with. */
  #serverDeps(db: SessionDeps['db'], id: string, baseUrl: string): SessionDeps {
    return {
      db,
      generate: (request) => this.#server.generateFor(baseUrl)(request),
      ensureModel: async () => {
        this.#server.generateFor(baseUrl);
      },
      reasoningOf: () => (this.#server.capabilities?.thinkTags === false ? PROMPTED : THINK_TAGS),
      medianChainTokens: () => this.#medianChainTokens(id),
    };
  }

  #onUpdate({ record, progress }: SessionUpdate): void {
    this.#live = { id: record.id, record, progress };
    this.#runs = this.#runs.map((run) => (run.id === record.id ? record : run));
  }

  /** The median full chain for fractional thinking budgets, from this run's own cot units. */
  async #medianChainTokens(id: string): Promise<number | undefined> {
    const repo = await this.#repo();
    const chains = (await repo.units(id)).filter((unit) => unit.strategy.split(':')[0] === 'cot');
    return medianChainTokens(chains.map((unit) => unit.result)) ?? undefined;
  }

  async #repo(): Promise<ExperimentsRepo> {
    return new ExperimentsRepo(await this.#database.open());
  }
}

async function heldLockNames(): Promise<Set<string>> {
  const locks = globalThis.navigator?.locks;
  if (!locks) return new Set();
  const snapshot = await locks.query();
  return new Set((snapshot.held ?? []).map((lock) => lock.name ?? ''));
}

function asError(error: unknown): { name: string; message: string } {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
}

export const experiments = new ExperimentsStore();
