/**
 * Setting up and running experiments in the browser: the form (model, dataset slice,
 * strategies), the run matrix's size and estimate before starting, the list of runs with their
 * states, and the live progress of the run this tab works on. Runs are worked by `RunSession`;
 * this store only starts, stops and watches them.
 */
import type { Dtype } from '../client/engine-types';
import { ExperimentsRepo } from '../lib/db/experiments-repo';
import type { DatasetRecord, ExperimentRecord } from '../lib/db/records';
import { buildMatrix, estimateMatrix, sliceProblems, type MatrixEstimate } from '../lib/experiments/matrix';
import type { RunProgress } from '../lib/experiments/runner';
import { validateSpec } from '../lib/experiments/spec';
import type { ExperimentSpec } from '../lib/experiments/types';
import { chooseDtype } from '../lib/models/catalog';
import { formatStrategySetting, parseStrategySetting } from '../lib/strategies/settings';
import { medianChainTokens } from '../lib/strategies/budget';
import { database, type DatabaseStore } from './database.svelte';
import { datasets, type DatasetsStore } from './datasets.svelte';
import { deviceStore, type DeviceStore } from './device.svelte';
import { inferenceClient } from './inference';
import { EMBEDDED_MODEL, modelChoice } from './model-choices';
import { modelsLoading } from './models-loading.svelte';
import { buildManifest } from './run-manifest';
import { RunSession, runLockName, type SessionDeps, type SessionUpdate } from './run-session';
import { SERVER_DEVICE_PREFIX, serverStore, serverUrlOf, type ServerStore } from './server.svelte';
import { unsupportedReason } from '../lib/backends/openai/requirements';
import { PROMPTED, THINK_TAGS } from '../lib/formats/reasoning-format';
import type { ModelRef } from '../lib/experiments/types';

/** Assumed until this browser has measured its own pace (tokens per sample, tokens per second). */
const DEFAULT_PACE = { tokensPerSample: 60, tokensPerS: 25 };

export interface MatrixPreview {
  units: number;
  questions: number;
  estimate: MatrixEstimate;
}

export interface LiveRun {
  id: string;
  record: ExperimentRecord;
  progress: RunProgress | null;
}

/** Where a run generates: this browser (the default, offline) or an OpenAI-compatible server. */
export type ModelSource = 'browser' | 'server';

export class ExperimentsStore {
  name = $state('');
  source = $state<ModelSource>('browser');
  modelId = $state(EMBEDDED_MODEL.id);
  dtypeChoice = $state<Dtype | 'auto'>('auto');
  datasetId = $state('');
  n = $state(20);
  seed = $state(1);
  // The embedded model's longest trained chain (7 numbers and the check) with its answer is ~120 tokens.
  maxNewTokens = $state(160);
  #strategies = $state<string[]>(['direct', 'cot']);

  #runs = $state.raw<ExperimentRecord[]>([]);
  #live = $state.raw<LiveRun | null>(null);
  #error = $state<{ name: string; message: string } | null>(null);
  #session: RunSession | null = null;
  /** The run this tab is working on (reactive mirror of `#session`). */
  #activeId = $state<string | null>(null);
  #pace = { ...DEFAULT_PACE };

  #database: DatabaseStore;
  #datasets: DatasetsStore;
  #device: DeviceStore;
  #server: ServerStore;

  constructor(db: DatabaseStore = database, datasetStore: DatasetsStore = datasets, device: DeviceStore = deviceStore, server: ServerStore = serverStore) {
    this.#database = db;
    this.#datasets = datasetStore;
    this.#device = device;
    this.#server = server;
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
      const pace = { ...this.#pace, tokensPerSample: Math.min(this.#pace.tokensPerSample, this.maxNewTokens) };
      return { units: units.length, questions: problems.length, estimate: estimateMatrix(units, pace) };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Adds a strategy written `name:key=value,…`; returns an error message or null. */
  addStrategy(text: string): string | null {
    try {
      const canonical = formatStrategySetting(parseStrategySetting(text));
      if (this.#strategies.some((existing) => formatStrategySetting(parseStrategySetting(existing)) === canonical)) {
        return `${canonical} is already in the list`;
      }
      this.#strategies = [...this.#strategies, text.trim()];
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  removeStrategy(index: number): void {
    this.#strategies = this.#strategies.filter((_, i) => i !== index);
  }

  /** Loads the run list; a run left `running` with no tab holding its lock was interrupted. */
  async refresh(): Promise<void> {
    const repo = await this.#repo();
    const held = await heldLockNames();
    for (const run of await repo.list()) {
      if (run.status === 'running' && run.id !== this.#session?.experimentId && !held.has(runLockName(run.id))) {
        await repo.setStatus(run.id, 'interrupted');
      }
    }
    this.#runs = await repo.list();
    if (!this.datasetId && this.#datasets.list.length > 0) this.datasetId = this.#datasets.list[0].id;
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
      manifest: await buildManifest(spec, dataset, validateSpec(spec), this.source === 'server' ? undefined : this.#device.gpu?.adapterName, this.source === 'server' ? (this.#server.capabilities ?? undefined) : undefined),
      status: 'pending',
      unitsTotal: preview.units,
      unitsDone: 0,
      samplesTotal: preview.estimate.maxSamples,
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
    if (progress && progress.samples > 0 && progress.elapsedMs > 1000 && progress.generatedTokens > 0) {
      this.#pace = {
        tokensPerSample: progress.generatedTokens / progress.samples,
        tokensPerS: progress.tokensPerS,
      };
    }
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
