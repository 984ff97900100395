/**
 * What each IndexedDB store holds. The experiment data itself (spec, manifest, unit results) is
 * the experiments core's plain JSON; these records add only what storage needs around it.
 */
import type { Dataset } from '../datasets/types';
import type { ExperimentSpec, ExperimentStatus, RunManifest, UnitResult } from '../experiments/types';
import type { Sample } from '../generate';
import type { SampleRecord } from '../strategies/types';

export interface DatasetRecord extends Dataset {
  /** Epoch ms. */
  createdAt: number;
  /** Size of the stored problems as JSON, for the list and the storage view. */
  sizeBytes: number;
}

export interface ExperimentRecord {
  id: string;
  name: string;
  spec: ExperimentSpec;
  manifest: RunManifest;
  /**
   * As last written. A record left `running` by a tab that is gone (closed, reloaded) is read
   * back as `interrupted` by the stores.
   */
  status: ExperimentStatus;
  unitsTotal: number;
  /** Finished units; advanced in the same transaction that stores the unit, so it never runs ahead. */
  unitsDone: number;
  /** Estimated samples for the whole run (the matrix's estimate; adaptive strategies may use fewer). */
  samplesTotal: number;
  /** Generating time summed over the sessions that worked on this run (excludes paused time). */
  activeMs: number;
  /** Samples stored for this run (finished units and the unit in flight); only ever grows. */
  samplesDone: number;
  /** Samples the model generated for this run and that reached the generation cache, over all sessions. */
  generatedSamples: number;
  /** Samples this run took from the generation cache instead of generating them. */
  cachedSamples: number;
  error?: { name: string; message: string };
  /** The strategy the results table compares the others with. */
  baseline?: string;
  /** True when the run came from an exported file rather than from this browser. */
  imported: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface UnitRecord extends UnitResult {
  experimentId: string;
}

/** One sample as it finished, keyed by its position in its unit (`seq`, 0-based). */
export interface SampleRow {
  experimentId: string;
  unitId: string;
  seq: number;
  sample: SampleRecord;
  /** Taken from the generation cache rather than generated in this run. */
  cached: boolean;
}

export interface GenerationRecord {
  /** generationKey(): SHA-256 of the request's identity. */
  key: string;
  modelId: string;
  dtype: string;
  samples: Sample[];
  createdAt: number;
}

/**
 * An OpenAI-compatible server whose API key the user asked to keep (the Experiments page's
 * "Remember the key"). Stored only at the user's request; sent only to `baseUrl`.
 */
export interface ServerRecord {
  /** Normalised base URL (…/v1), the key. */
  baseUrl: string;
  apiKey: string;
  /** Epoch ms. */
  savedAt: number;
}
