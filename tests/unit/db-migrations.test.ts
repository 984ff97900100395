import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openThinkbenchDb } from '../../src/lib/db/open';
import { LATEST_VERSION, MIGRATIONS } from '../../src/lib/db/migrations';
import { DatasetsRepo } from '../../src/lib/db/datasets-repo';
import { ExperimentsRepo } from '../../src/lib/db/experiments-repo';
import { IdbGenerationCache } from '../../src/lib/db/generation-cache';
import { dataset, experiment, freshDbName, sample, unit } from './db-fixtures';

describe('database schema', () => {
  it('creates every store and index at the latest version', async () => {
    const db = await openThinkbenchDb({ name: freshDbName() });
    expect(db.version).toBe(LATEST_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['datasets', 'experiments', 'generations', 'samples', 'servers', 'units']);
    const tx = db.transaction(['units', 'generations', 'samples']);
    expect([...tx.objectStore('units').indexNames]).toEqual(['by-experiment']);
    expect([...tx.objectStore('generations').indexNames]).toEqual(['by-model']);
    expect([...tx.objectStore('samples').indexNames]).toEqual(['by-experiment']);
    db.close();
  });

  it('refuses a version it has no migrations for', async () => {
    await expect(openThinkbenchDb({ name: freshDbName(), version: LATEST_VERSION + 1 })).rejects.toThrow(RangeError);
  });
});

describe('migrations keep the data of an older database', () => {
  it('v1 → latest: datasets, runs and units survive; the cache and sample stores appear', async () => {
    expect(MIGRATIONS.length).toBeGreaterThanOrEqual(3);
    const name = freshDbName();
    const v1 = await openThinkbenchDb({ name, version: 1 });
    expect([...v1.objectStoreNames].sort()).toEqual(['datasets', 'experiments', 'units']);
    await new DatasetsRepo(v1).save(dataset());
    const runs = new ExperimentsRepo(v1);
    await runs.create(experiment());
    await runs.writeUnit('exp-1', unit('direct', 'p1'));
    v1.close();

    const latest = await openThinkbenchDb({ name });
    expect(latest.version).toBe(LATEST_VERSION);
    expect((await new DatasetsRepo(latest).get('ds-1'))?.problems).toEqual(dataset().problems);
    const upgraded = new ExperimentsRepo(latest);
    expect((await upgraded.get('exp-1'))?.unitsDone).toBe(1);
    expect([...(await upgraded.doneUnitIds('exp-1'))]).toEqual(['direct|p1']);
    // The new stores work on the upgraded database.
    const cache = new IdbGenerationCache(latest);
    await cache.put('k', { modelId: 'm', dtype: 'fp32', device: 'cpu', weights: 'w1' }, [sample()]);
    expect(await cache.get('k')).toEqual([sample()]);
    latest.close();
  });

  it('v2 → latest: cached generations survive', async () => {
    const name = freshDbName();
    const v2 = await openThinkbenchDb({ name, version: 2 });
    expect(v2.objectStoreNames.contains('samples')).toBe(false);
    await new IdbGenerationCache(v2).put('key-1', { modelId: 'm', dtype: 'q8', device: 'cpu', weights: 'w1' }, [sample('a'), sample('b')]);
    v2.close();

    const latest = await openThinkbenchDb({ name });
    expect((await new IdbGenerationCache(latest).get('key-1'))?.map((s) => s.text)).toEqual(['a', 'b']);
    expect(await latest.count('samples')).toBe(0);
    latest.close();
  });
});

describe('another tab upgrading', () => {
  it('closes the old connection instead of blocking the upgrade forever, and says so', async () => {
    const name = freshDbName();
    let closedForUpgrade = 0;
    const old = await openThinkbenchDb({ name, version: 2, onClosedForUpgrade: () => (closedForUpgrade += 1) });
    await new IdbGenerationCache(old).put('kept', { modelId: 'm', dtype: 'q8', device: 'cpu', weights: 'w1' }, [sample()]);

    // Opening the newer version resolves only because the old connection closed itself.
    const newer = await openThinkbenchDb({ name });
    expect(closedForUpgrade).toBe(1);
    expect(newer.version).toBe(LATEST_VERSION);
    expect(await new IdbGenerationCache(newer).get('kept')).toHaveLength(1);
    newer.close();
  });
});
