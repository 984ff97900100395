/**
 * The page's one IndexedDB connection, opened on first use. It exists so every store shares a
 * connection and so the "another tab upgraded the database" and "an older tab blocks the
 * upgrade" situations reach the UI (as `notice`, shown app-wide by DatabaseNotice.svelte)
 * instead of hanging silently or leaving pages to look empty.
 */
import { openThinkbenchDb, type ThinkbenchDb } from '../lib/db/open';
import { DatabaseUpgradedElsewhereError } from '../lib/db/errors';

export type DatabaseNoticeKind = 'blocked' | 'upgraded-elsewhere' | 'newer-version' | 'failed';

export interface DatabaseNotice {
  kind: DatabaseNoticeKind;
  message: string;
  /** What the user can do; `reload` says whether reloading this tab is that way forward. */
  hint: string;
  reload: boolean;
}

export class DatabaseStore {
  #closedForUpgrade = $state(false);
  #blocked = $state(false);
  #failure = $state<{ name: string; message: string } | null>(null);
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

  /** Why stored data cannot be read right now, or null when it can. Pages hide their empty states meanwhile. */
  get notice(): DatabaseNotice | null {
    if (this.#closedForUpgrade) {
      return {
        kind: 'upgraded-elsewhere',
        message: 'thinkbench was updated in another tab, so this tab closed its connection to your saved experiments.',
        hint: 'Reload this tab to keep working; nothing saved is lost.',
        reload: true,
      };
    }
    if (this.#failure?.name === 'VersionError') {
      return {
        kind: 'newer-version',
        message: 'Your saved experiments were upgraded by a newer thinkbench (in another tab); this tab runs an older version and cannot read them.',
        hint: 'Reload this tab to load the newer version.',
        reload: true,
      };
    }
    if (this.#failure) {
      return {
        kind: 'failed',
        message: `The browser could not open thinkbench's storage (${this.#failure.name}: ${this.#failure.message}).`,
        hint: 'Reload the tab. If it keeps failing, check that the browser allows site data for this page (private windows may not).',
        reload: true,
      };
    }
    if (this.#blocked) {
      return {
        kind: 'blocked',
        message: 'Another thinkbench tab is still open with an older version and holds your saved experiments, so this tab cannot update them yet.',
        hint: 'Close (or reload) the other thinkbench tabs; this tab carries on by itself as soon as they let go.',
        reload: false,
      };
    }
    return null;
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
    }).then(
      (db) => {
        this.#blocked = false;
        this.#failure = null;
        return db;
      },
      (error: unknown) => {
        this.#blocked = false;
        this.#opening = null; // the next call tries again
        this.#failure = error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
        throw error;
      },
    );
    return this.#opening;
  }
}

export const database = new DatabaseStore();
