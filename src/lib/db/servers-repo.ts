import type { ThinkbenchDb } from './open';
import type { ServerRecord } from './records';

/** Remembered server API keys (only those the user asked to keep), by normalised base URL. */
export class ServersRepo {
  readonly #db: ThinkbenchDb;

  constructor(db: ThinkbenchDb) {
    this.#db = db;
  }

  get(baseUrl: string): Promise<ServerRecord | undefined> {
    return this.#db.get('servers', baseUrl);
  }

  async remember(baseUrl: string, apiKey: string, now = Date.now()): Promise<void> {
    await this.#db.put('servers', { baseUrl, apiKey, savedAt: now });
  }

  async forget(baseUrl: string): Promise<void> {
    await this.#db.delete('servers', baseUrl);
  }
}
