/**
 * The data of an experiment, shared by the browser (IndexedDB stores, pages) and the CLI: what
 * to run (spec), what it expands to (units), and what each finished unit keeps (UnitResult).
 * All plain JSON, so it can be stored, exported and imported as is.
 */
import type { DatasetSource } from '../datasets/types';
import type { StrategyResult } from '../strategies/types';
import type { ServerCapabilities } from '../backends/openai/capabilities';

export interface ModelRef {
  /** Catalog / hub id, e.g. `thinkbench/tinythink`. */
  id: string;
  dtype: string;
  device: string;
}

/** Which questions of a dataset: `n` of them chosen with `seed` (all, in order, when n ≥ the dataset's size). */
export interface DatasetSlice {
  n: number;
  seed: number;
}

export interface ExperimentSpec {
  model: ModelRef;
  dataset: { id: string } & DatasetSlice;
  /**
   * Strategies with their settings, written `name:key=value,…` (strategies/settings.ts) — as
   * the user gave them; they name the rows of the results. No two may parse to the same setting.
   */
  strategies: string[];
  /** Upper bound on new tokens for a full chain (the strategies' `maxNewTokens`). */
  maxNewTokens: number;
}

/** One strategy on one question: the unit of work, of resume and of storage. */
export interface ExperimentUnit {
  /** `<strategy>|<problem id>`; stable across resumes. */
  id: string;
  strategy: string;
  problemId: string;
}

/** What a finished unit keeps. */
export interface UnitResult {
  unitId: string;
  strategy: string;
  problemId: string;
  /** The gold answer as the dataset gave it. */
  reference: string;
  /** The strategy's final answer (normalised), or null when none was extracted. */
  answer: string | null;
  correct: boolean;
  /** Every sample, the votes and the totals, as the strategy returned them. */
  result: StrategyResult;
  /**
   * Time spent generating for this unit. A call answered from the generation cache counts
   * with its original time, so a cached rerun reports the latency the model really has.
   */
  latencyMs: number;
  /** Samples that came from the generation cache. */
  cachedSamples: number;
  /** Epoch ms. */
  finishedAt: number;
}

export type ExperimentStatus = 'pending' | 'running' | 'paused' | 'interrupted' | 'cancelled' | 'failed' | 'completed';

/** What is needed to reproduce a run. */
export interface RunManifest {
  appVersion: string;
  /** `node v20.20.2 linux x64`, or the browser's user agent. */
  runtime: string;
  model: ModelRef & {
    /** WebGPU adapter description, when the device is webgpu. */
    adapter?: string;
    files: { path: string; bytes: number; sha256?: string }[];
  };
  dataset: { id: string; name: string; source: DatasetSource } & DatasetSlice;
  /** Each strategy as given, and the full config it parsed to (seeds included). */
  strategies: { text: string; id: string; config: Record<string, unknown> }[];
  maxNewTokens: number;
  /** Epoch ms. */
  createdAt: number;
  /** Set when the run talked to an OpenAI-compatible server: what its probe found. */
  server?: ServerCapabilities;
}
