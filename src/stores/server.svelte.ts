/**
 * The "Server" model source: an OpenAI-compatible server (vLLM, SGLang, llama.cpp, Ollama,
 * `thinkbench serve`) that experiments may run on instead of this browser. Connecting probes
 * what the server can do; runs then generate through the remote `Generate` on the main thread
 * (a fetch per request; nothing to load). The API key is sent only to the server's own URL. It
 * stays in this object's memory, and a reload forgets it, unless the user ticks "Remember the
 * key": then it is kept in IndexedDB under the server's URL until unticked.
 */
import type { ServerCapabilities } from '../lib/backends/openai/capabilities';
import { probeServer } from '../lib/backends/openai/probe';
import { createRemoteGenerate } from '../lib/backends/openai/remote-generate';
import { normalizeBaseUrl, type Connection } from '../lib/backends/openai/transport';
import type { Generate } from '../lib/generate';
import { ServersRepo } from '../lib/db/servers-repo';
import { database, type DatabaseStore } from './database.svelte';

export type ServerState = 'idle' | 'probing' | 'connected' | 'error';

/** Most requests in flight when a server ignores `n` (each sample is then its own request). */
const CONCURRENCY = 4;

export class ServerStore {
  baseUrl = $state('http://127.0.0.1:8000/v1');
  apiKey = $state('');
  /** Keep the API key in IndexedDB for this URL (only when the user asks). */
  rememberKey = $state(false);
  model = $state('');
  #state = $state<ServerState>('idle');
  #step = $state('');
  #capabilities = $state.raw<ServerCapabilities | null>(null);
  #error = $state<{ name: string; message: string } | null>(null);
  #connection: Connection | null = null;
  #generate: Generate | null = null;
  #database: DatabaseStore;

  constructor(db: DatabaseStore = database) {
    this.#database = db;
  }

  get state(): ServerState {
    return this.#state;
  }

  /** What the probe is checking now, while probing. */
  get step(): string {
    return this.#step;
  }

  get capabilities(): ServerCapabilities | null {
    return this.#capabilities;
  }

  get error(): { name: string; message: string } | null {
    return this.#error;
  }

  async connect(): Promise<void> {
    this.#state = 'probing';
    this.#error = null;
    this.#capabilities = null;
    try {
      const connection: Connection = { baseUrl: normalizeBaseUrl(this.baseUrl), ...(this.apiKey ? { apiKey: this.apiKey } : {}) };
      const capabilities = await probeServer({
        connection,
        ...(this.model.trim() ? { model: this.model.trim() } : {}),
        onStep: (step) => (this.#step = step),
      });
      this.#connection = connection;
      this.#generate = createRemoteGenerate({ connection, capabilities, concurrency: CONCURRENCY });
      this.#capabilities = capabilities;
      this.model = capabilities.model;
      this.#state = 'connected';
      await this.#storeKey(connection.baseUrl);
    } catch (error) {
      this.#error = error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
      this.#state = 'error';
    } finally {
      this.#step = '';
    }
  }

  /** Fills in the key remembered for the URL now in the form, if the user asked to keep one. */
  async restore(): Promise<void> {
    let baseUrl: string;
    try {
      baseUrl = normalizeBaseUrl(this.baseUrl);
    } catch {
      return;
    }
    const saved = await new ServersRepo(await this.#database.open()).get(baseUrl);
    if (!saved) return;
    this.apiKey = saved.apiKey;
    this.rememberKey = true;
  }

  /** Kept only when asked: unticking "Remember the key" deletes what was kept for this URL. */
  async #storeKey(baseUrl: string): Promise<void> {
    const repo = new ServersRepo(await this.#database.open());
    if (this.rememberKey && this.apiKey) await repo.remember(baseUrl, this.apiKey);
    else await repo.forget(baseUrl);
  }

  disconnect(): void {
    this.#connection = null;
    this.#generate = null;
    this.#capabilities = null;
    this.#state = 'idle';
  }

  /** The remote Generate for a run recorded with `baseUrl`; throws, with the way forward, when not connected to it. */
  generateFor(baseUrl: string): Generate {
    if (this.#generate === null || this.#connection?.baseUrl !== baseUrl) {
      throw new ServerNotConnectedError(baseUrl);
    }
    return this.#generate;
  }
}

export class ServerNotConnectedError extends Error {
  override readonly name = 'ServerNotConnectedError';
  constructor(baseUrl: string) {
    super(`this run generates on ${baseUrl}: choose "Server" as the model source on the Experiments page and connect to it, then resume`);
  }
}

/** The device recorded for runs on a server: `server <base URL>`. */
export const SERVER_DEVICE_PREFIX = 'server ';

export function serverUrlOf(device: string): string | null {
  return device.startsWith(SERVER_DEVICE_PREFIX) ? device.slice(SERVER_DEVICE_PREFIX.length) : null;
}

export const serverStore = new ServerStore();
