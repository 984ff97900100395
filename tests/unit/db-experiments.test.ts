import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openThinkbenchDb } from '../../src/lib/db/open';
import { ExperimentsRepo } from '../../src/lib/db/experiments-repo';
import { experiment, freshDbName, sampleRecord, unit } from './db-fixtures';

describe('ExperimentsRepo', () => {
  it('counts each sample once, even when a resumed unit replays it from the cache', async () => {
    const db = await openThinkbenchDb({ name: freshDbName() });
    const runs = new ExperimentsRepo(db);
    await runs.create(experiment());
    expect(await runs.writeSample('exp-1', { unitId: 'cot|p1', seq: 0, sample: sampleRecord(), cached: false })).toBe(true);
    expect(await runs.writeSample('exp-1', { unitId: 'cot|p1', seq: 1, sample: sampleRecord(), cached: true })).toBe(true);
    // After a reload the unit starts again; its first sample comes back from the cache.
    expect(await runs.writeSample('exp-1', { unitId: 'cot|p1', seq: 0, sample: sampleRecord(), cached: true })).toBe(false);
    const run = await runs.get('exp-1');
    expect([run?.samplesDone, run?.cachedSamples]).toEqual([2, 1]);
    expect((await runs.samples('exp-1')).map((row) => [row.seq, row.cached])).toEqual([
      [0, false],
      [1, true],
    ]);
    db.close();
  });

  it('keeps runs apart and deletes one with its units and samples', async () => {
    const db = await openThinkbenchDb({ name: freshDbName() });
    const runs = new ExperimentsRepo(db);
    await runs.create(experiment('exp-1'));
    await runs.create(experiment('exp-10'));
    await runs.writeUnit('exp-1', unit('direct', 'p1'));
    await runs.writeUnit('exp-10', unit('direct', 'p1'));
    await runs.writeSample('exp-1', { unitId: 'direct|p1', seq: 0, sample: sampleRecord(), cached: false });
    expect(await runs.sizeBytes('exp-1')).toBeGreaterThan(await runs.sizeBytes('exp-10'));

    await runs.delete('exp-1');
    expect(await runs.get('exp-1')).toBeUndefined();
    expect(await runs.units('exp-1')).toEqual([]);
    expect(await runs.samples('exp-1')).toEqual([]);
    expect(await runs.units('exp-10')).toHaveLength(1);
    db.close();
  });

  it('status changes add generating time and keep the counters', async () => {
    const db = await openThinkbenchDb({ name: freshDbName() });
    const runs = new ExperimentsRepo(db);
    await runs.create(experiment());
    await runs.writeUnit('exp-1', unit('direct', 'p1'));
    await runs.setStatus('exp-1', 'paused', { addActiveMs: 1500 });
    const paused = await runs.setStatus('exp-1', 'running', { addActiveMs: 500 });
    expect([paused.status, paused.activeMs, paused.unitsDone]).toEqual(['running', 2000, 1]);
    db.close();
  });
});
