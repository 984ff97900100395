import type { ExperimentStatus, UnitResult } from '../experiments/types';
import type { SampleRecord } from '../strategies/types';
import type { ThinkbenchDb } from './open';
import type { ExperimentRecord, SampleRow, UnitRecord } from './records';
import { writeAtomically } from './write';

/** Every key of one experiment in a store keyed `[experimentId, …]` (arrays sort after strings and numbers). */
function experimentRange(experimentId: string): IDBKeyRange {
  return IDBKeyRange.bound([experimentId], [experimentId, []]);
}

export interface SampleWrite {
  unitId: string;
  seq: number;
  sample: SampleRecord;
  cached: boolean;
}

/**
 * Runs, their finished units and their samples. Each write is one transaction, so a unit and
 * the counter that says it is done land together or not at all.
 */
export class ExperimentsRepo {
  constructor(private readonly db: ThinkbenchDb) {}

  async create(record: ExperimentRecord): Promise<void> {
    await writeAtomically(this.db, ['experiments'], `experiment ${record.name}`, async (tx) => {
      await tx.objectStore('experiments').add(record);
    });
  }

  async list(): Promise<ExperimentRecord[]> {
    const all = await this.db.getAll('experiments');
    return all.sort((a, b) => b.createdAt - a.createdAt);
  }

  async get(id: string): Promise<ExperimentRecord | undefined> {
    return this.db.get('experiments', id);
  }

  /** Changes a run's status and adds generating time, reading and writing in one transaction. */
  async setStatus(
    id: string,
    status: ExperimentStatus,
    extra: { addActiveMs?: number; error?: { name: string; message: string } } = {},
  ): Promise<ExperimentRecord> {
    let updated: ExperimentRecord | undefined;
    await writeAtomically(this.db, ['experiments'], 'run status', async (tx) => {
      const store = tx.objectStore('experiments');
      const record = await store.get(id);
      if (!record) throw new Error(`experiment ${id} does not exist`);
      updated = {
        ...record,
        status,
        activeMs: record.activeMs + (extra.addActiveMs ?? 0),
        error: extra.error,
        updatedAt: Date.now(),
      };
      await store.put(updated);
    });
    return updated as ExperimentRecord;
  }

  /** Sets (or clears) the strategy the results table compares the others with. */
  async setBaseline(id: string, baseline: string | undefined): Promise<void> {
    await writeAtomically(this.db, ['experiments'], 'baseline', async (tx) => {
      const store = tx.objectStore('experiments');
      const record = await store.get(id);
      if (record) await store.put({ ...record, baseline });
    });
  }

  /**
   * Stores one finished sample. A sample seen again (the unfinished unit replayed from the
   * cache after a resume) is left as it was, so counters count each sample once.
   * Returns whether it was new.
   */
  async writeSample(experimentId: string, write: SampleWrite): Promise<boolean> {
    let added = false;
    await writeAtomically(this.db, ['samples', 'experiments'], 'sample', async (tx) => {
      const samples = tx.objectStore('samples');
      if (await samples.getKey([experimentId, write.unitId, write.seq])) return;
      const runs = tx.objectStore('experiments');
      const run = await runs.get(experimentId);
      if (!run) throw new Error(`experiment ${experimentId} does not exist`);
      const row: SampleRow = { experimentId, ...write };
      await samples.put(row);
      await runs.put({
        ...run,
        samplesDone: run.samplesDone + 1,
        cachedSamples: run.cachedSamples + (write.cached ? 1 : 0),
        updatedAt: Date.now(),
      });
      added = true;
    });
    return added;
  }

  /** Stores a finished unit and advances the run's done count, atomically; a repeat is a no-op. */
  async writeUnit(experimentId: string, unit: UnitResult): Promise<ExperimentRecord> {
    let updated: ExperimentRecord | undefined;
    await writeAtomically(this.db, ['units', 'experiments'], 'unit result', async (tx) => {
      const units = tx.objectStore('units');
      const runs = tx.objectStore('experiments');
      const run = await runs.get(experimentId);
      if (!run) throw new Error(`experiment ${experimentId} does not exist`);
      updated = run;
      if (await units.getKey([experimentId, unit.unitId])) return;
      const record: UnitRecord = { ...unit, experimentId };
      await units.put(record);
      updated = { ...run, unitsDone: run.unitsDone + 1, updatedAt: Date.now() };
      await runs.put(updated);
    });
    return updated as ExperimentRecord;
  }

  /** Writes an imported run with all its units in one transaction. */
  async importRun(record: ExperimentRecord, units: readonly UnitResult[]): Promise<void> {
    await writeAtomically(this.db, ['experiments', 'units'], `imported experiment ${record.name}`, async (tx) => {
      await tx.objectStore('experiments').add(record);
      const store = tx.objectStore('units');
      for (const unit of units) await store.put({ ...unit, experimentId: record.id });
    });
  }

  async units(experimentId: string): Promise<UnitRecord[]> {
    return this.db.getAll('units', experimentRange(experimentId));
  }

  async doneUnitIds(experimentId: string): Promise<Set<string>> {
    const keys = await this.db.getAllKeys('units', experimentRange(experimentId));
    return new Set(keys.map((key) => key[1]));
  }

  async samples(experimentId: string): Promise<SampleRow[]> {
    return this.db.getAll('samples', experimentRange(experimentId));
  }

  /** Deletes a run, its units and its samples together. The generation cache is shared and stays. */
  async delete(experimentId: string): Promise<void> {
    await writeAtomically(this.db, ['experiments', 'units', 'samples'], 'deletion', async (tx) => {
      await tx.objectStore('experiments').delete(experimentId);
      await tx.objectStore('units').delete(experimentRange(experimentId));
      await tx.objectStore('samples').delete(experimentRange(experimentId));
    });
  }

  /** Bytes used by a run (its record, units and samples as JSON): what deleting it frees, roughly. */
  async sizeBytes(experimentId: string): Promise<number> {
    const [run, units, samples] = await Promise.all([
      this.get(experimentId),
      this.units(experimentId),
      this.samples(experimentId),
    ]);
    return jsonBytes(run) + jsonBytes(units) + jsonBytes(samples);
  }
}

function jsonBytes(value: unknown): number {
  return value === undefined ? 0 : new TextEncoder().encode(JSON.stringify(value)).length;
}
