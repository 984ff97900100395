import type { Dataset } from '../datasets/types';
import type { ThinkbenchDb } from './open';
import type { DatasetRecord } from './records';
import { writeAtomically } from './write';

/** Stored datasets. A dataset is written whole, in one transaction: never half-imported. */
export class DatasetsRepo {
  constructor(private readonly db: ThinkbenchDb) {}

  /** Stores a dataset, replacing one of the same id (ids follow content, see content-id.ts). */
  async save(dataset: Dataset): Promise<DatasetRecord> {
    const record = toRecord(dataset);
    await writeAtomically(this.db, ['datasets'], `dataset ${dataset.name}`, async (tx) => {
      await tx.objectStore('datasets').put(record);
    });
    return record;
  }

  /** Stores a dataset whose id must be new: fails (ConstraintError) rather than replace one. */
  async add(dataset: Dataset): Promise<DatasetRecord> {
    const record = toRecord(dataset);
    await writeAtomically(this.db, ['datasets'], `dataset ${dataset.name}`, async (tx) => {
      await tx.objectStore('datasets').add(record);
    });
    return record;
  }

  async list(): Promise<DatasetRecord[]> {
    const all = await this.db.getAll('datasets');
    return all.sort((a, b) => a.createdAt - b.createdAt);
  }

  async get(id: string): Promise<DatasetRecord | undefined> {
    return this.db.get('datasets', id);
  }

  async delete(id: string): Promise<void> {
    await this.db.delete('datasets', id);
  }
}

function toRecord(dataset: Dataset): DatasetRecord {
  return { ...dataset, createdAt: Date.now(), sizeBytes: new TextEncoder().encode(JSON.stringify(dataset.problems)).length };
}
