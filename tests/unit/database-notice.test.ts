import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { LATEST_VERSION, MIGRATIONS } from '../../src/lib/db/migrations';
import type { ThinkbenchSchema } from '../../src/lib/db/schema';
import { DatabaseStore } from '../../src/stores/database.svelte';
import { ResultsStore } from '../../src/stores/results.svelte';
import { freshDbName } from './db-fixtures';

/**
 * Another tab holding or upgrading the database must surface as a notice with a way forward,
 * never as an uncaught rejection behind an empty "No experiments yet" page (fake-indexeddb;
 * tests/e2e/database-tabs.test.ts does the same with two real Chromium pages).
 */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

describe('the database notice', () => {
  it('says an older tab blocks the upgrade, then clears when that tab lets go', async () => {
    const name = freshDbName();
    // An older tab's connection that does not close when asked (no versionchange handler).
    const older = await openDB<ThinkbenchSchema>(name, 1, { upgrade: (db, _old, _new, tx) => MIGRATIONS[0](db, tx) });
    const store = new DatabaseStore({ name });
    const opening = store.open();
    await until(() => store.notice?.kind === 'blocked');
    expect(store.notice).toMatchObject({ reload: false, hint: expect.stringMatching(/Close \(or reload\) the other thinkbench tabs/) });
    older.close();
    const db = await opening;
    expect(db.version).toBe(LATEST_VERSION);
    expect(store.notice).toBeNull();
    db.close();
  });

  it('says another tab upgraded the database, and the Results store stays quiet instead of throwing', async () => {
    const name = freshDbName();
    const store = new DatabaseStore({ name });
    await store.open();
    const newer = await openDB(name, LATEST_VERSION + 1); // this tab's connection closes for it
    expect(store.notice).toMatchObject({ kind: 'upgraded-elsewhere', reload: true });
    const results = new ResultsStore(store);
    await expect(results.refresh()).resolves.toBeUndefined();
    expect(results.error).toBeNull();
    expect(results.storageUnavailable).toBe(true);
    newer.close();
  });

  it('says a newer version holds the data when this tab opens after the upgrade', async () => {
    const name = freshDbName();
    (await openDB(name, LATEST_VERSION + 1)).close();
    const store = new DatabaseStore({ name });
    const results = new ResultsStore(store);
    await expect(results.refresh()).resolves.toBeUndefined();
    expect(store.notice).toMatchObject({ kind: 'newer-version', reload: true, hint: 'Reload this tab to load the newer version.' });
    expect(results.storageUnavailable).toBe(true);
  });
});
