/**
 * The page's one IndexedDB connection, opened on first use. It exists so every store shares a
 * connection and so the "another tab upgraded the database" and "an older tab blocks the
 * upgrade" situations reach the UI instead of hanging silently.
 */
import { openThinkbenchDb, type ThinkbenchDb } from '../lib/db/open';
import { DatabaseUpgradedElsewhereError } from '../lib/db/errors';

export class DatabaseStore {
  #closedForUpgrade = $state(false);
  #blocked = $state(false);
  #opening: Promise<ThinkbenchDb> | null = null;
  readonly #name: string | undefined;

  /** `name` only for tests, which each use a database of their own. */
  constructor(options: { name?: string } = {}) {
    this.#name = options.name;
  }

  /** True once another tab's newer version made this tab close its connection: reload to go on. */
  get closedForUpgrade(): boolean {
    return this.#closedForUpgrade;
  }

  /** True while an older tab keeps the database open at an older version. */
  get blocked(): boolean {
    return this.#blocked;
  }

  open(): Promise<ThinkbenchDb> {
    if (this.#closedForUpgrade) return Promise.reject(new DatabaseUpgradedElsewhereError());
    this.#opening ??= openThinkbenchDb({
      name: this.#name,
      onBlocked: () => (this.#blocked = true),
      onClosedForUpgrade: () => {
        this.#closedForUpgrade = true;
        this.#opening = null;
      },
    }).then((db) => {
      this.#blocked = false;
      return db;
    });
    return this.#opening;
  }
}

export const database = new DatabaseStore();
