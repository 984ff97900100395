import type { Dataset } from '../datasets/types';
import type { ThinkbenchDb } from './open';
import type { DatasetRecord } from './records';
import { writeAtomically } from './write';

/** Stored datasets. A dataset is written whole, in one transaction: never half-imported. */
export class DatasetsRepo {
  constructor(private readonly db: ThinkbenchDb) {}

  async save(dataset: Dataset): Promise<DatasetRecord> {
    const record: DatasetRecord = {
      ...dataset,
      createdAt: Date.now(),
      sizeBytes: new TextEncoder().encode(JSON.stringify(dataset.problems)).length,
    };
    await writeAtomically(this.db, ['datasets'], `dataset ${dataset.name}`, async (tx) => {
      await tx.objectStore('datasets').put(record);
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
