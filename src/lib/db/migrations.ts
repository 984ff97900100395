import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { ThinkbenchSchema } from './schema';

type UpgradeDb = IDBPDatabase<ThinkbenchSchema>;
type UpgradeTx = IDBPTransaction<ThinkbenchSchema, StoreNames<ThinkbenchSchema>[], 'versionchange'>;

/**
 * One migration per database version, append-only: `MIGRATIONS[i]` upgrades version i to i+1.
 * A shipped migration is never edited — users have databases that already ran it. Change the
 * schema by appending a new one (and bumping nothing else: the version is the list's length).
 *
 * Migrations only create or reshape stores and indexes (or rewrite records through `tx`);
 * they must not await anything but IndexedDB requests on `tx`.
 */
export const MIGRATIONS: readonly ((db: UpgradeDb, tx: UpgradeTx) => void | Promise<void>)[] = [
  // v1: datasets, experiments (spec, manifest, status) and finished units (one strategy on one question).
  (db) => {
    db.createObjectStore('datasets', { keyPath: 'id' });
    db.createObjectStore('experiments', { keyPath: 'id' });
    const units = db.createObjectStore('units', { keyPath: ['experimentId', 'unitId'] });
    units.createIndex('by-experiment', 'experimentId');
  },
  // v2: the generation cache — a request's samples keyed by model, dtype, prompt, sampling and seed.
  (db) => {
    const generations = db.createObjectStore('generations', { keyPath: 'key' });
    generations.createIndex('by-model', 'modelId');
  },
  // v3: every sample as it finishes (before its unit is done), so a closed tab loses no finished
  // sample and the done count is read back from disk, never recomputed downwards.
  (db) => {
    const samples = db.createObjectStore('samples', { keyPath: ['experimentId', 'unitId', 'seq'] });
    samples.createIndex('by-experiment', 'experimentId');
  },
  // v4: servers whose API key the user asked this browser to remember, by base URL.
  (db) => {
    db.createObjectStore('servers', { keyPath: 'baseUrl' });
  },
];

export const LATEST_VERSION = MIGRATIONS.length;
