import { copySample, type GenerationCache, type GenerationIdentity } from '../experiments/cache';
import type { Sample } from '../generate';
import type { ThinkbenchDb } from './open';
import type { GenerationRecord } from './records';
import { writeAtomically } from './write';

/**
 * The generation cache over the `generations` store (keys: `generationKey()` of the experiments
 * core). An entry commits before `put` resolves, so a sample a strategy has seen is on disk.
 *
 * With `countFor`, each entry written also adds its samples to that run's `generatedSamples`,
 * in the same transaction: a run's count of model generations is exactly what reached disk,
 * which is how a resumed run proves it generated no finished sample twice.
 */
export class IdbGenerationCache implements GenerationCache {
  constructor(
    private readonly db: ThinkbenchDb,
    private readonly countFor?: string,
  ) {}

  async get(key: string): Promise<Sample[] | undefined> {
    return (await this.db.get('generations', key))?.samples;
  }

  async put(key: string, identity: GenerationIdentity, samples: readonly Sample[]): Promise<void> {
    const record: GenerationRecord = {
      key,
      modelId: identity.modelId,
      dtype: identity.dtype,
      samples: samples.map(copySample),
      createdAt: Date.now(),
    };
    const runId = this.countFor;
    if (runId === undefined) {
      await writeAtomically(this.db, ['generations'], 'generation cache entry', async (tx) => {
        await tx.objectStore('generations').put(record);
      });
      return;
    }
    await writeAtomically(this.db, ['generations', 'experiments'], 'generation cache entry', async (tx) => {
      const runs = tx.objectStore('experiments');
      const run = await runs.get(runId);
      await tx.objectStore('generations').put(record);
      if (run) await runs.put({ ...run, generatedSamples: run.generatedSamples + samples.length, updatedAt: Date.now() });
    });
  }

  async count(): Promise<number> {
    return this.db.count('generations');
  }

  /** Bytes the cache holds (as JSON), for the storage view. */
  async sizeBytes(): Promise<number> {
    let bytes = 0;
    let cursor = await this.db.transaction('generations').store.openCursor();
    while (cursor) {
      bytes += new TextEncoder().encode(JSON.stringify(cursor.value)).length;
      cursor = await cursor.continue();
    }
    return bytes;
  }

  async clear(): Promise<void> {
    await this.db.clear('generations');
  }
}
