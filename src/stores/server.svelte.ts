/**
 * The "Server" model source: an OpenAI-compatible server (vLLM, SGLang, llama.cpp, Ollama,
 * `thinkbench serve`) that experiments may run on instead of this browser. Connecting probes
 * what the server can do; runs then generate through the remote `Generate` on the main thread
 * (a fetch per request; nothing to load). The API key stays in this object's memory and is sent
 * only to the server's own URL; a reload forgets it.
 */
import type { ServerCapabilities } from '../lib/backends/openai/capabilities';
import { probeServer } from '../lib/backends/openai/probe';
import { createRemoteGenerate } from '../lib/backends/openai/remote-generate';
import { normalizeBaseUrl, type Connection } from '../lib/backends/openai/transport';
import type { Generate } from '../lib/generate';

export type ServerState = 'idle' | 'probing' | 'connected' | 'error';

/** Most requests in flight when a server ignores `n` (each sample is then its own request). */
const CONCURRENCY = 4;

export class ServerStore {
  baseUrl = $state('http://127.0.0.1:8000/v1');
  apiKey = $state('');
  model = $state('');
  #state = $state<ServerState>('idle');
  #step = $state('');
  #capabilities = $state.raw<ServerCapabilities | null>(null);
  #error = $state<{ name: string; message: string } | null>(null);
  #connection: Connection | null = null;
  #generate: Generate | null = null;

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
    } catch (error) {
      this.#error = error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
      this.#state = 'error';
    } finally {
      this.#step = '';
    }
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
