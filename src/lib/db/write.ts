import type { IDBPTransaction, StoreNames } from 'idb';
import { StorageFullError, isQuotaError } from './errors';
import type { ThinkbenchDb } from './open';
import type { ThinkbenchSchema } from './schema';

type Stores = StoreNames<ThinkbenchSchema>;
export type WriteTx<S extends Stores[]> = IDBPTransaction<ThinkbenchSchema, S, 'readwrite'>;

/**
 * Runs `body` in one readwrite transaction and resolves when it has committed: all of its
 * writes land or none do. `body` must await only requests on `tx` (anything else lets the
 * transaction auto-commit early). A quota failure becomes a `StorageFullError`.
 */
export async function writeAtomically<S extends Stores[]>(
  db: ThinkbenchDb,
  stores: S,
  what: string,
  body: (tx: WriteTx<S>) => Promise<void>,
): Promise<void> {
  const tx = db.transaction(stores, 'readwrite');
  // Observed once here so a failed body does not also surface as an unhandled rejection.
  const done = tx.done.then(
    () => null,
    (error: unknown) => error ?? tx.error ?? new Error('transaction aborted'),
  );
  try {
    await body(tx);
  } catch (error) {
    abortQuietly(tx);
    await done;
    throw translate(error, what);
  }
  const failure = await done;
  if (failure !== null) throw translate(failure, what);
}

function abortQuietly(tx: { abort(): void }): void {
  try {
    tx.abort();
  } catch {
    // Already finished or aborted by the failed request: nothing left to undo.
  }
}

function translate(error: unknown, what: string): unknown {
  return isQuotaError(error) ? new StorageFullError(what, { cause: error }) : error;
}
