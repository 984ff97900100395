/**
 * Typed storage errors. The UI switches on `name`, never on message text.
 */

/** The browser refused a write because the origin's storage quota is used up. */
export class StorageFullError extends Error {
  override readonly name = 'StorageFullError';
  constructor(
    /** What was being written, e.g. `unit result`, `generation cache entry`. */
    readonly what: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Storage is full: could not save the ${what}. Free space (delete experiments or the generation cache in the Storage view) and resume.`,
      options,
    );
  }
}

/** Another tab opened a newer version of the database; this connection was closed so it could upgrade. */
export class DatabaseUpgradedElsewhereError extends Error {
  override readonly name = 'DatabaseUpgradedElsewhereError';
  constructor() {
    super('thinkbench was updated in another tab. Reload this tab to keep working.');
  }
}

/** True for the browser's quota errors (a DOMException named `QuotaExceededError`, possibly wrapped). */
export function isQuotaError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth += 1) {
    if (typeof current === 'object' && 'name' in current && current.name === 'QuotaExceededError') return true;
    current = typeof current === 'object' && 'cause' in current ? current.cause : undefined;
  }
  return false;
}
