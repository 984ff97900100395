/** The Server source's API key: in memory by default, in IndexedDB only when the user asks. */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openThinkbenchDb, type ThinkbenchDb } from '../../src/lib/db/open';
import { ServersRepo } from '../../src/lib/db/servers-repo';
import { DatabaseStore } from '../../src/stores/database.svelte';
import { ServerStore } from '../../src/stores/server.svelte';
import { freshDbName } from './db-fixtures';
import { startFakeServer, type FakeServer } from '../fixtures/openai/fake-server';

class TestDatabase extends DatabaseStore {
  readonly #db: Promise<ThinkbenchDb> = openThinkbenchDb({ name: freshDbName() });
  override open(): Promise<ThinkbenchDb> {
    return this.#db;
  }
}

let fixture: FakeServer;

beforeAll(async () => {
  fixture = await startFakeServer('llama.cpp');
});
afterAll(() => fixture.close());

async function connected(database: DatabaseStore, options: { apiKey: string; remember: boolean }): Promise<ServerStore> {
  const store = new ServerStore(database);
  store.baseUrl = fixture.baseUrl;
  store.apiKey = options.apiKey;
  store.rememberKey = options.remember;
  await store.connect();
  expect(store.error).toBeNull();
  expect(store.state).toBe('connected');
  return store;
}

describe('ServerStore API key', () => {
  it('is sent to the server and kept only in memory by default', async () => {
    const database = new TestDatabase();
    await connected(database, { apiKey: 'sk-memory', remember: false });
    expect(fixture.authorizations).toContain('Bearer sk-memory');
    expect(await new ServersRepo(await database.open()).get(fixture.baseUrl)).toBeUndefined();
    const reloaded = new ServerStore(database);
    reloaded.baseUrl = fixture.baseUrl;
    await reloaded.restore();
    expect(reloaded.apiKey).toBe('');
    expect(reloaded.rememberKey).toBe(false);
  });

  it('survives a reload when the user asks, and is deleted when they untick it', async () => {
    const database = new TestDatabase();
    await connected(database, { apiKey: 'sk-kept', remember: true });
    const reloaded = new ServerStore(database);
    reloaded.baseUrl = fixture.baseUrl;
    await reloaded.restore();
    expect(reloaded).toMatchObject({ apiKey: 'sk-kept', rememberKey: true });

    reloaded.rememberKey = false;
    await reloaded.connect();
    expect(await new ServersRepo(await database.open()).get(fixture.baseUrl)).toBeUndefined();
  });
});
