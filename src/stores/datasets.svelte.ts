/**
 * The datasets this browser holds: the built-in generator, file imports (GSM8K JSONL, JSONL or
 * CSV through a field mapping) and the Hugging Face rows API. Parsing happens before anything
 * is written, and a dataset is written in one transaction, so a bad file leaves nothing behind.
 */
import { arithmeticDataset } from '../lib/datasets/arithmetic';
import type { FieldMapping, ReferenceFormat } from '../lib/datasets/fields';
import { parseGsm8kJsonl } from '../lib/datasets/gsm8k';
import { loadHfDataset, type HfRowsProgress } from '../lib/datasets/hf-rows';
import { parseTabular } from '../lib/datasets/tabular';
import type { Dataset } from '../lib/datasets/types';
import { DatasetsRepo } from '../lib/db/datasets-repo';
import type { DatasetRecord } from '../lib/db/records';
import { database, type DatabaseStore } from './database.svelte';

export type FileFormat = 'gsm8k' | 'jsonl' | 'csv';

export interface FileImport {
  fileName: string;
  text: string;
  format: FileFormat;
  /** Needed for jsonl/csv; GSM8K files have a fixed mapping. */
  mapping?: FieldMapping;
  referenceFormat?: ReferenceFormat;
  split?: string;
}

export interface HfImport {
  dataset: string;
  config: string;
  split: string;
  mapping: FieldMapping;
  referenceFormat: ReferenceFormat;
  limit?: number;
}

/** An error for the page: its kind (`DatasetParseError`, `HfRowsError`, `StorageFullError`, …) and message. */
export interface DatasetError {
  name: string;
  message: string;
}

export class DatasetsStore {
  #list = $state.raw<DatasetRecord[]>([]);
  #error = $state<DatasetError | null>(null);
  #busy = $state(false);
  #hfProgress = $state<HfRowsProgress | null>(null);
  #hfController: AbortController | null = null;
  #database: DatabaseStore;

  constructor(db: DatabaseStore = database) {
    this.#database = db;
  }

  /** Saved data cannot be read now (another tab, see DatabaseNotice): lists are unknown, not empty. */
  get storageUnavailable(): boolean {
    return this.#database.notice !== null;
  }

  get list(): readonly DatasetRecord[] {
    return this.#list;
  }

  get error(): DatasetError | null {
    return this.#error;
  }

  get busy(): boolean {
    return this.#busy;
  }

  get hfProgress(): HfRowsProgress | null {
    return this.#hfProgress;
  }

  async refresh(): Promise<void> {
    try {
      this.#list = await (await this.#repo()).list();
    } catch (error) {
      // The app-wide database notice already says why storage is unreadable.
      if (!this.storageUnavailable) this.#error = toDatasetError(error);
    }
  }

  /** Stores a seeded set of the embedded model's arithmetic problems. */
  generateBuiltin(options: { n: number; minSteps: number; maxSteps: number; seed: number }): Promise<DatasetRecord | null> {
    return this.#store(async () => {
      const dataset = arithmeticDataset(options);
      return dataset;
    });
  }

  importFile(file: FileImport): Promise<DatasetRecord | null> {
    return this.#store(async () => {
      if (file.format === 'gsm8k') return parseGsm8kJsonl(file.text, { fileName: file.fileName });
      if (!file.mapping) throw new Error('choose which fields hold the question and the reference answer');
      return parseTabular(file.text, {
        format: file.format,
        fileName: file.fileName,
        mapping: file.mapping,
        referenceFormat: file.referenceFormat,
        split: file.split,
      });
    });
  }

  loadFromHub(request: HfImport): Promise<DatasetRecord | null> {
    const controller = new AbortController();
    this.#hfController = controller;
    this.#hfProgress = { loadedRows: 0, totalRows: 0 };
    return this.#store(() =>
      loadHfDataset({ ...request, signal: controller.signal, onProgress: (progress) => (this.#hfProgress = progress) }),
    ).finally(() => {
      this.#hfController = null;
      this.#hfProgress = null;
    });
  }

  cancelHubLoad(): void {
    this.#hfController?.abort();
  }

  async remove(id: string): Promise<void> {
    await (await this.#repo()).delete(id);
    await this.refresh();
  }

  dismissError(): void {
    this.#error = null;
  }

  async #store(make: () => Promise<Dataset>): Promise<DatasetRecord | null> {
    this.#busy = true;
    this.#error = null;
    try {
      const record = await (await this.#repo()).save(await make());
      await this.refresh();
      return record;
    } catch (error) {
      this.#error = toDatasetError(error);
      return null;
    } finally {
      this.#busy = false;
    }
  }

  async #repo(): Promise<DatasetsRepo> {
    return new DatasetsRepo(await this.#database.open());
  }
}

function toDatasetError(error: unknown): DatasetError {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

export const datasets = new DatasetsStore();
