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

/**
 * Whether Transformers.js may use Cache Storage for this model. It looks every file up there
 * before fetching it, and copies the files of a folder the app serves there too; a copy cached
 * before that folder was rebuilt (a retrained embedded model, a newer `thinkbench pull`) would
 * then shadow the new files for good. So the app's own models are always read from the app,
 * and only hub models go through the cache (which is also what makes them work offline).
 */
async function mayUseBrowserCache(target: LoadTarget): Promise<boolean> {
  return (await probeLocalModel(globalFetch, modelsBaseUrl(document.baseURI), target.modelId, target.dtype)) === null;
}

export class ModelsLoadingStore {
  #state = $state<LoadState>({ status: 'idle' });
  #client: () => InferenceClient;
  #inFlight: { target: LoadTarget; promise: Promise<EngineInfo> } | null = null;
  /** Counts loads; only the latest one may write the state (an older one was superseded). */
  #generation = 0;
  #watched: InferenceClient | null = null;

  constructor(client: () => InferenceClient = inferenceClient) {
    this.#client = client;
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
      const useBrowserCache = await mayUseBrowserCache(target);
      const info = await client.load(
        {
          modelId: target.modelId,
          device: target.device,
          dtype: target.dtype,
          localModelPath: localModelPath(),
          allowRemoteModels: !settings.offline,
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
