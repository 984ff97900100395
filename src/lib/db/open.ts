import { openDB, type IDBPDatabase } from 'idb';
import { LATEST_VERSION, MIGRATIONS } from './migrations';
import type { ThinkbenchSchema } from './schema';

export type ThinkbenchDb = IDBPDatabase<ThinkbenchSchema>;

export const DEFAULT_DB_NAME = 'thinkbench';

export interface OpenOptions {
  name?: string;
  /** Open at an older version (tests build old databases this way); default the latest. */
  version?: number;
  /**
   * Another tab wants a newer version: this connection has been closed so that tab is not
   * blocked forever. Tell the user to reload.
   */
  onClosedForUpgrade?: () => void;
  /** An older tab still holds the database open; the open waits until it closes. */
  onBlocked?: () => void;
}

/** Opens (creating or upgrading) the thinkbench database, running each pending migration in order. */
export async function openThinkbenchDb(options: OpenOptions = {}): Promise<ThinkbenchDb> {
  const version = options.version ?? LATEST_VERSION;
  if (!Number.isInteger(version) || version < 1 || version > LATEST_VERSION) {
    throw new RangeError(`database version ${version} is not between 1 and ${LATEST_VERSION}`);
  }
  const db: ThinkbenchDb = await openDB<ThinkbenchSchema>(options.name ?? DEFAULT_DB_NAME, version, {
    async upgrade(database, oldVersion, newVersion, tx) {
      for (let v = oldVersion; v < (newVersion ?? version); v += 1) await MIGRATIONS[v](database, tx);
    },
    blocked() {
      options.onBlocked?.();
    },
    blocking() {
      // Closing is what lets the other tab's upgrade proceed; this tab must reload to go on.
      db.close();
      options.onClosedForUpgrade?.();
    },
  });
  return db;
}
