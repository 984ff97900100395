/**
 * The page's one way to run inference. The UI and the stores see `InferenceClient` only, so
 * they don't know (or care) that inference runs in a Web Worker.
 *
 * `WorkerInferenceClient` owns the worker's life: a failed load or run poisons a
 * Transformers.js worker (its ONNX sessions are chained on one promise), so after any error
 * reply the worker is terminated and a fresh one started; the error still reaches the caller.
 */
import type { GenerateRequest, Sample } from '../lib/generate';
import { fromWire, InferenceError } from './errors';
import type {
  EngineInfo,
  EventOf,
  LoadParams,
  LoadProgress,
  MethodName,
  ParamsOf,
  ResultOf,
  WorkerMessage,
  WorkerRequest,
} from './protocol';

export interface CallOptions<M extends MethodName> {
  onEvent?: (event: EventOf<M>) => void;
  /** Aborting sends an `abort` request; the call still settles with the worker's reply. */
  signal?: AbortSignal;
}

export interface InferenceClient {
  /** The model the current worker holds, or null (none loaded yet, or the worker was replaced). */
  readonly loaded: EngineInfo | null;
  load(params: LoadParams, onProgress?: (progress: LoadProgress) => void): Promise<EngineInfo>;
  generate(request: GenerateRequest): Promise<Sample[]>;
  /** Any protocol method; what `load`/`generate` use, and how new methods (e.g. strategies) are called. */
  call<M extends MethodName>(method: M, params: ParamsOf<M>, options?: CallOptions<M>): Promise<ResultOf<M>>;
  /** Subscribes to worker replacements (after a failure); returns the unsubscribe function. */
  onRestart(listener: () => void): () => void;
  dispose(): void;
}

/** The part of `Worker` the client uses, so tests can hand it a fake. */
export interface WorkerLike {
  postMessage(message: WorkerRequest): void;
  terminate(): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerMessage>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
}

interface Pending {
  method: MethodName;
  resolve: (result: never) => void;
  reject: (error: InferenceError) => void;
  onEvent?: (event: never) => void;
}

export class WorkerInferenceClient implements InferenceClient {
  #createWorker: () => WorkerLike;
  #worker: WorkerLike;
  #nextId = 1;
  #pending = new Map<number, Pending>();
  #loaded: EngineInfo | null = null;
  /** The device the current worker's ONNX runtime was started for (its first load); null before. */
  #runtimeDevice: LoadParams['device'] | null = null;
  #restartListeners = new Set<() => void>();

  constructor(createWorker: () => WorkerLike) {
    this.#createWorker = createWorker;
    this.#worker = this.#start();
  }

  get loaded(): EngineInfo | null {
    return this.#loaded;
  }

  /**
   * Loads a model, replacing the one held. A load still in progress is cancelled by replacing
   * the worker: session creation cannot be interrupted, and waiting for a model nobody wants
   * any more (e.g. WebGPU chosen on open, then WASM forced) would only delay this one.
   */
  async load(params: LoadParams, onProgress?: (progress: LoadProgress) => void): Promise<EngineInfo> {
    if ([...this.#pending.values()].some((pending) => pending.method === 'load')) {
      this.#failAll(new InferenceError('LoadCancelledError', `Loading was cancelled: ${params.modelId} is loaded instead.`));
      this.#restart();
    } else if (this.#runtimeDevice !== null && this.#runtimeDevice !== params.device) {
      // The worker's runtime build is per device (workers/inference.worker.ts): a new device needs a new worker.
      this.#failAll(new InferenceError('WorkerCrashedError', `The inference worker was replaced to run on ${params.device}.`));
      this.#restart();
    }
    this.#runtimeDevice = params.device;
    this.#loaded = null;
    const info = await this.call('load', params, { onEvent: onProgress });
    this.#loaded = info;
    return info;
  }

  generate(request: GenerateRequest): Promise<Sample[]> {
    const { signal, onToken, stopWhen, ...params } = request;
    // A function cannot be posted to the worker; failing here names the cause (postMessage would throw DataCloneError).
    if (stopWhen) return Promise.reject(new TypeError('stopWhen cannot cross to the worker: run the strategy inside it'));
    return this.call('generate', params, {
      signal,
      onEvent: onToken ? (event) => onToken(event.row, event.token) : undefined,
    });
  }

  call<M extends MethodName>(method: M, params: ParamsOf<M>, options: CallOptions<M> = {}): Promise<ResultOf<M>> {
    const id = this.#nextId++;
    const { signal, onEvent } = options;
    return new Promise<ResultOf<M>>((resolve, reject) => {
      const onAbort = () => this.#post({ kind: 'request', id: this.#nextId++, method: 'abort', params: { targetId: id } });
      const settle = () => signal?.removeEventListener('abort', onAbort);
      this.#pending.set(id, {
        method,
        resolve: ((result: ResultOf<M>) => (settle(), resolve(result))) as (result: never) => void,
        reject: (error) => (settle(), reject(error)),
        onEvent: onEvent as ((event: never) => void) | undefined,
      });
      this.#post({ kind: 'request', id, method, params } as WorkerRequest);
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  onRestart(listener: () => void): () => void {
    this.#restartListeners.add(listener);
    return () => this.#restartListeners.delete(listener);
  }

  dispose(): void {
    this.#failAll(new InferenceError('WorkerCrashedError', 'The inference client was disposed.'));
    this.#worker.terminate();
  }

  #start(): WorkerLike {
    const worker = this.#createWorker();
    worker.addEventListener('message', (event) => {
      if (worker === this.#worker) this.#receive(event.data);
    });
    worker.addEventListener('error', (event) => {
      if (worker !== this.#worker) return;
      const error = new InferenceError('WorkerCrashedError', `The inference worker crashed: ${event.message || 'no details'}`);
      this.#failAll(error);
      this.#restart();
    });
    return worker;
  }

  #post(request: WorkerRequest): void {
    this.#worker.postMessage(request);
  }

  #receive(message: WorkerMessage): void {
    const pending = this.#pending.get(message.id);
    if (!pending) return; // a reply to a fire-and-forget abort
    if (message.kind === 'event') {
      pending.onEvent?.(message.event as never);
      return;
    }
    this.#pending.delete(message.id);
    if (message.kind === 'result') {
      pending.resolve(message.result as never);
      return;
    }
    // Any failed load or run poisons the worker: replace it before anyone can use it again.
    this.#failAll(fromWire(message.error), pending);
    this.#restart();
  }

  /**
   * Rejects `first` with `error`, and every other pending call with `error` too when there is no
   * `first`, else as collateral of the restart `first`'s failure causes.
   */
  #failAll(error: InferenceError, first?: Pending): void {
    first?.reject(error);
    const others = [...this.#pending.values()];
    this.#pending.clear();
    const collateral = first
      ? new InferenceError('WorkerCrashedError', `The inference worker was restarted after an error (${error.name}).`)
      : error;
    for (const pending of others) pending.reject(collateral);
  }

  #restart(): void {
    this.#worker.terminate();
    this.#loaded = null;
    this.#runtimeDevice = null;
    this.#worker = this.#start();
    for (const listener of this.#restartListeners) listener();
  }
}

/** The app's client: a real module worker built by Vite. */
export function createWorkerClient(): InferenceClient {
  return new WorkerInferenceClient(
    () => new Worker(new URL('../../workers/inference.worker.ts', import.meta.url), { type: 'module', name: 'inference' }),
  );
}
