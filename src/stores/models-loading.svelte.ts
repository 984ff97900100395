/**
 * What the inference worker holds and how loading it is going: progress (files, bytes), the
 * loaded model, or the error that stopped it. Pages ask for a model with `ensure()`; it loads
 * only when the worker holds something else (e.g. after a failure replaced the worker).
 */
import { needsShaderF16 } from '../lib/models/dtype';
import type { Device, Dtype, EngineInfo, LoadProgress } from '../client/engine-types';
import { InferenceError } from '../client/errors';
import type { InferenceClient } from '../client/inference-client';
import { globalFetch } from '../lib/models/hub-metadata';
import { modelsBaseUrl, probeLocalModel } from '../lib/models/local-models';
import { inspectCache, TRANSFORMERS_CACHE } from '../lib/models/model-cache';
import { inferenceClient } from './inference';
import { settings } from './settings.svelte';

export interface LoadTarget {
  modelId: string;
  device: Device;
  dtype: Dtype;
  /** Whether the adapter has shader-f16 (only matters for fp16 weights on WebGPU). */
  hasShaderF16: boolean;
}

export type LoadState =
  | { status: 'idle' }
  | { status: 'loading'; target: LoadTarget; progress: LoadProgress | null }
  | { status: 'ready'; info: EngineInfo; loadMs: number }
  | { status: 'failed'; target: LoadTarget; error: InferenceError };

type ModelKey = Pick<EngineInfo, 'modelId' | 'device' | 'dtype'>;

function sameModel(a: ModelKey, b: ModelKey): boolean {
  return a.modelId === b.modelId && a.device === b.device && a.dtype === b.dtype;
}

/** Where the app serves local models, relative to the page (works under any base path). */
function localModelPath(): string {
  return new URL('models/', document.baseURI).pathname;
}

/** Where a model's files would come from: the app's own /models/, the browser cache, or nowhere offline. */
export type ModelSource = 'served' | 'cached' | 'missing';

export interface LoadingDeps {
  /** Where `target`'s files are; the default asks the app server, then Cache Storage. */
  source: (target: LoadTarget) => Promise<ModelSource>;
  offline: () => boolean;
  /** The URL path the app serves public/models/ under. */
  localModelPath: () => string;
}

/**
 * Whether Transformers.js may use Cache Storage for this model. It looks every file up there
 * before fetching it, and copies the files of a folder the app serves there too; a copy cached
 * before that folder was rebuilt (a retrained embedded model, a newer `thinkbench pull`) would
 * then shadow the new files for good. So the app's own models are always read from the app,
 * and only hub models go through the cache (which is also what makes them work offline).
 */
async function modelSource(target: LoadTarget): Promise<ModelSource> {
  const base = modelsBaseUrl(document.baseURI);
  if (await probeLocalModel(globalFetch, base, target.modelId, target.dtype)) return 'served';
  // A folder the app serves but with files missing still counts as served: the engine's error
  // then names the missing file, which is the useful message for it.
  if (await servesConfig(base, target.modelId)) return 'served';
  if (typeof caches === 'undefined') return 'missing';
  try {
    const ref = { id: target.modelId, revision: 'main', dtype: target.dtype, endpoint: settings.remoteHost };
    return (await inspectCache(await caches.open(TRANSFORMERS_CACHE), ref)).complete ? 'cached' : 'missing';
  } catch {
    return 'missing'; // an unusable hub host setting: nothing can be cached under it
  }
}

async function servesConfig(base: string, id: string): Promise<boolean> {
  const response = await globalFetch(`${base}${id}/config.json`, { method: 'HEAD', cache: 'no-store' }).catch(() => null);
  return response !== null && response.ok && !(response.headers.get('content-type') ?? '').includes('text/html');
}

const browserDeps: LoadingDeps = { source: modelSource, offline: () => settings.offline, localModelPath };

export class ModelsLoadingStore {
  #state = $state<LoadState>({ status: 'idle' });
  #client: () => InferenceClient;
  #inFlight: { target: LoadTarget; promise: Promise<EngineInfo> } | null = null;
  /** Counts loads; only the latest one may write the state (an older one was superseded). */
  #generation = 0;
  #watched: InferenceClient | null = null;

  #deps: LoadingDeps;

  constructor(client: () => InferenceClient = inferenceClient, deps: LoadingDeps = browserDeps) {
    this.#client = client;
    this.#deps = deps;
  }

  get state(): LoadState {
    return this.#state;
  }

  /** Loads `target` unless the worker already holds it; rejects with an `InferenceError`. */
  ensure(target: LoadTarget): Promise<EngineInfo> {
    const client = this.#client();
    this.#watch(client);
    if (client.loaded && sameModel(client.loaded, target)) {
      if (this.#state.status !== 'ready') this.#state = { status: 'ready', info: client.loaded, loadMs: 0 };
      return Promise.resolve(client.loaded);
    }
    if (this.#inFlight && sameModel(this.#inFlight.target, target)) return this.#inFlight.promise;
    const promise = this.#load(client, target);
    this.#inFlight = { target, promise };
    const clear = () => {
      if (this.#inFlight?.promise === promise) this.#inFlight = null;
    };
    promise.then(clear, clear);
    return promise;
  }

  /** A replaced worker holds no model: stop saying "ready" (the next `ensure` reloads). */
  #watch(client: InferenceClient): void {
    if (this.#watched === client) return;
    this.#watched = client;
    client.onRestart(() => {
      if (this.#state.status === 'ready') this.#state = { status: 'idle' };
    });
  }

  async #load(client: InferenceClient, target: LoadTarget): Promise<EngineInfo> {
    const generation = ++this.#generation;
    const current = () => generation === this.#generation;
    this.#state = { status: 'loading', target, progress: null };
    const startedAt = performance.now();
    try {
      if (target.device === 'webgpu' && needsShaderF16(target.dtype) && !target.hasShaderF16) {
        throw new InferenceError(
          'Fp16UnsupportedError',
          `${target.modelId} (${target.dtype}) needs shader-f16, which this WebGPU adapter does not have.`,
          { modelId: target.modelId },
        );
      }
      const source = await this.#deps.source(target);
      if (source === 'missing' && this.#deps.offline()) {
        // Offline, Transformers.js would fetch the hub files from the app's /models/, where a
        // static server may answer index.html ("Unexpected token '<' … damaged"): say what is wrong.
        throw new InferenceError('ModelNotDownloadedError', `${target.modelId} (${target.dtype}) is not downloaded, and offline mode is on.`, {
          modelId: target.modelId,
        });
      }
      const useBrowserCache = source !== 'served';
      const info = await client.load(
        {
          modelId: target.modelId,
          device: target.device,
          dtype: target.dtype,
          localModelPath: this.#deps.localModelPath(),
          allowRemoteModels: !this.#deps.offline(),
          // Also used offline: Transformers.js looks cached hub files up under this host.
          remoteHost: settings.remoteHost,
          useBrowserCache,
        },
        (progress) => {
          if (current() && this.#state.status === 'loading') this.#state = { ...this.#state, progress };
        },
      );
      if (current()) this.#state = { status: 'ready', info, loadMs: performance.now() - startedAt };
      return info;
    } catch (error) {
      const typed =
        error instanceof InferenceError
          ? error
          : new InferenceError('EngineError', String(error), { modelId: target.modelId });
      if (current()) this.#state = { status: 'failed', target, error: typed };
      throw typed;
    }
  }
}

export const modelsLoading = new ModelsLoadingStore();
