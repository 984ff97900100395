/**
 * One session of work on one experiment: from "start" or "resume" until it completes, is
 * paused or cancelled, fails, or the tab goes away. Finished units are skipped; the unit in
 * flight is replayed, its finished generations coming from the generation cache; every
 * sample and unit is written to IndexedDB as it finishes. Holds a Web Lock named after the
 * run while it works, so any tab can tell a live run from one whose tab was closed.
 */
import type { EngineInfo } from '../client/engine-types';
import { DatasetsRepo } from '../lib/db/datasets-repo';
import { StorageFullError } from '../lib/db/errors';
import { ExperimentsRepo } from '../lib/db/experiments-repo';
import { IdbGenerationCache } from '../lib/db/generation-cache';
import type { ThinkbenchDb } from '../lib/db/open';
import type { ExperimentRecord } from '../lib/db/records';
import { cachedGenerate, generationIdentity, isCachedSample } from '../lib/experiments/cache';
import { buildMatrix, sliceProblems, type MatrixUnit } from '../lib/experiments/matrix';
import { runExperiment, type RunProgress } from '../lib/experiments/runner';
import { validateSpec } from '../lib/experiments/spec';
import type { ExperimentStatus, ModelRef } from '../lib/experiments/types';
import { reasoningFormat, type ReasoningFormatSpec } from '../lib/formats/reasoning-format';
import type { Generate } from '../lib/generate';

export interface SessionDeps {
  db: ThinkbenchDb;
  /** The model's Generate (the inference worker's, in the app). */
  generate: Generate;
  /** Loads the run's model on its device and dtype, unless already loaded (for a server run: checks it is connected). */
  ensureModel(model: ModelRef): Promise<EngineInfo | void>;
  reasoningOf(modelId: string): ReasoningFormatSpec;
  /** The model's median full chain, for thinking budgets given as a fraction of it (read after the other units ran). */
  medianChainTokens(): Promise<number | undefined>;
}

/** budgeted-cot with a fractional budget needs the median chain, known only once the chains have run. */
function needsMedianChain(unit: MatrixUnit): boolean {
  const { setting } = unit.resolved;
  return setting.id === 'budgeted-cot' && setting.config.budget <= 1 && setting.config.medianChainTokens === undefined;
}

export interface SessionUpdate {
  record: ExperimentRecord;
  /** This session's pace; null before the runner has reported. */
  progress: RunProgress | null;
}

export type StopReason = 'paused' | 'cancelled';

export function runLockName(experimentId: string): string {
  return `thinkbench-run-${experimentId}`;
}

export class RunSession {
  readonly #controller = new AbortController();
  #stopAs: StopReason = 'paused';
  #storageError: StorageFullError | null = null;

  constructor(
    readonly experimentId: string,
    private readonly deps: SessionDeps,
    private readonly onUpdate: (update: SessionUpdate) => void,
  ) {}

  /** Asks the run to stop after the current decode step; the unit in flight is dropped unfinished. */
  stop(as: StopReason): void {
    this.#stopAs = as;
    this.#controller.abort();
  }

  /** Runs until done or stopped; resolves with the run's final record (never rejects for run errors). */
  run(): Promise<ExperimentRecord> {
    const locks = globalThis.navigator?.locks;
    if (!locks) return this.#run();
    return locks.request(runLockName(this.experimentId), () => this.#run()).then((record) => record);
  }

  async #run(): Promise<ExperimentRecord> {
    const repo = new ExperimentsRepo(this.deps.db);
    const startedMs = performance.now();
    let record = await repo.setStatus(this.experimentId, 'running', { error: undefined });
    let progress: RunProgress | null = null;
    const pending = new Set<Promise<unknown>>();
    const publish = async () => {
      record = (await repo.get(this.experimentId)) ?? record;
      this.onUpdate({ record, progress });
    };
    this.onUpdate({ record, progress });

    let final: ExperimentStatus;
    let error: { name: string; message: string } | undefined;
    try {
      const { spec } = record;
      const dataset = await new DatasetsRepo(this.deps.db).get(spec.dataset.id);
      if (!dataset) throw new Error(`the dataset of this run (${spec.dataset.id}) was deleted`);
      const units = buildMatrix(validateSpec(spec), sliceProblems(dataset.problems, spec.dataset));
      const engine = await this.deps.ensureModel(spec.model);
      const done = await repo.doneUnitIds(this.experimentId);
      // Keyed by the loaded files' fingerprint and device, not the model id: a retrained model
      // under the same id must not be answered with the old weights' outputs. A server's weights
      // cannot be identified from here (it may swap them under one name), so its runs are not cached.
      const identity = engine ? generationIdentity({ ...engine, modelId: spec.model.id }) : null;
      const generate = cachedGenerate(this.deps.generate, new IdbGenerationCache(this.deps.db, this.experimentId), identity);
      const seqByUnit = new Map<string, number>();

      // Two phases: everything else first, then the fractional budgets with the median chain
      // measured in phase one (the same stored chains give the same median on a resume).
      const phases = [units.filter((unit) => !needsMedianChain(unit)), units.filter(needsMedianChain)];
      let status: 'completed' | 'aborted' = 'completed';
      for (const [phase, phaseUnits] of phases.entries()) {
        if (phaseUnits.length === 0 || status === 'aborted') continue;
        const median = phase === 1 ? await this.deps.medianChainTokens() : undefined;
        if (phase === 1 && median === undefined) {
          throw new Error('a thinking budget given as a fraction needs the median chain: add cot to this experiment, or give budgets in tokens (budget=32)');
        }
        const outcome = await runExperiment({
          units: phaseUnits,
          ...(median !== undefined ? { medianChainTokens: median } : {}),
          generate,
          format: reasoningFormat(this.deps.reasoningOf(spec.model.id)),
          maxNewTokens: spec.maxNewTokens,
          signal: this.#controller.signal,
          isDone: (unit) => done.has(unit.id),
          onSample: (unit, sample) => {
            const seq = seqByUnit.get(unit.id) ?? 0;
            seqByUnit.set(unit.id, seq + 1);
            const write = repo
              .writeSample(this.experimentId, { unitId: unit.id, seq, sample, cached: isCachedSample(sample) })
              .then(publish, (failure: unknown) => this.#failWrite(failure))
              .finally(() => pending.delete(write));
            pending.add(write);
          },
          onUnitDone: async (result) => {
            // A unit is stored only after all its samples are: the done count never runs ahead.
            await Promise.all([...pending]);
            if (this.#storageError) throw this.#storageError;
            await repo.writeUnit(this.experimentId, result);
            await publish();
          },
          onProgress: (next) => {
            progress = next;
            this.onUpdate({ record, progress });
          },
        });
        await Promise.all([...pending]);
        if (this.#storageError) throw this.#storageError;
        status = outcome.status;
      }
      final = status === 'completed' ? 'completed' : this.#stopAs;
    } catch (failure) {
      await Promise.allSettled([...pending]);
      const cause = this.#storageError ?? failure;
      // Storage full pauses the run: free space, then resume; anything else fails it.
      final = cause instanceof StorageFullError ? 'paused' : 'failed';
      error = cause instanceof Error ? { name: cause.name, message: cause.message } : { name: 'Error', message: String(cause) };
    }
    record = await repo.setStatus(this.experimentId, final, {
      addActiveMs: performance.now() - startedMs,
      ...(error ? { error } : {}),
    });
    this.onUpdate({ record, progress });
    return record;
  }

  #failWrite(failure: unknown): void {
    if (failure instanceof StorageFullError) {
      this.#storageError ??= failure;
      this.#controller.abort();
      return;
    }
    throw failure;
  }
}
