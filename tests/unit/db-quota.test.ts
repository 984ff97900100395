import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { openThinkbenchDb } from '../../src/lib/db/open';
import { ExperimentsRepo } from '../../src/lib/db/experiments-repo';
import { DatasetsRepo } from '../../src/lib/db/datasets-repo';
import { IdbGenerationCache } from '../../src/lib/db/generation-cache';
import { StorageFullError, isQuotaError } from '../../src/lib/db/errors';
import { dataset, experiment, freshDbName, sample, unit } from './db-fixtures';

/** Makes `put` into the named store fail the way a browser does when the origin's quota is used up. */
function fillQuotaFor(storeName: string): () => void {
  const original = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function put(this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
    if (this.name === storeName) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return original.apply(this, args);
  };
  return () => {
    IDBObjectStore.prototype.put = original;
  };
}

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

describe('storage full', () => {
  it('recognises quota errors, also when wrapped', () => {
    const quota = new DOMException('full', 'QuotaExceededError');
    expect(isQuotaError(quota)).toBe(true);
    expect(isQuotaError(new Error('outer', { cause: quota }))).toBe(true);
    expect(isQuotaError(new DOMException('x', 'AbortError'))).toBe(false);
  });

  it('a unit write that hits the quota throws StorageFullError and leaves no half-written unit', async () => {
    const db = await openThinkbenchDb({ name: freshDbName() });
    const runs = new ExperimentsRepo(db);
    await runs.create(experiment());
    // The unit is put first; the counter update is what fails — the unit must not stay behind.
    restore = fillQuotaFor('experiments');
    const error = await runs.writeUnit('exp-1', unit('cot', 'p1')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageFullError);
    expect((error as StorageFullError).name).toBe('StorageFullError');
    expect((error as StorageFullError).message).toMatch(/Storage is full.*unit result/);
    restore();
    restore = undefined;

    expect(await runs.units('exp-1')).toEqual([]);
    expect((await runs.get('exp-1'))?.unitsDone).toBe(0);
    // Space freed: the same write now succeeds, once.
    await runs.writeUnit('exp-1', unit('cot', 'p1'));
    await runs.writeUnit('exp-1', unit('cot', 'p1'));
    expect((await runs.get('exp-1'))?.unitsDone).toBe(1);
    db.close();
  });

  it('cache entries and datasets fail the same way, and nothing is stored', async () => {
    const db = await openThinkbenchDb({ name: freshDbName() });
    restore = fillQuotaFor('generations');
    const cache = new IdbGenerationCache(db);
    await expect(cache.put('k', { modelId: 'm', dtype: 'q8', device: 'cpu', weights: 'w1' }, [sample()])).rejects.toBeInstanceOf(StorageFullError);
    expect(await cache.get('k')).toBeUndefined();
    restore();
    restore = fillQuotaFor('datasets');
    const datasets = new DatasetsRepo(db);
    await expect(datasets.save(dataset())).rejects.toThrow(/Storage is full: could not save the dataset tiny arithmetic/);
    expect(await datasets.list()).toEqual([]);
    db.close();
  });
});
