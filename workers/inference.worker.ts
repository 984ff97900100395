/**
 * The inference worker: holds at most one loaded engine and answers the protocol in
 * src/client/protocol.ts. Every request gets exactly one reply; raw failures are classified
 * into typed errors that name the model and file (the client then replaces this worker).
 */
/// <reference lib="webworker" />
import ortAsyncifyMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import ortAsyncifyWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortPlainMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import ortPlainWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { loadBrowserEngine } from './engine/browser';
import type { Engine } from './engine/engine';
import { ModelLoadError, type LoadFailureReason } from './engine/errors';
import { classifyError, InferenceError, toWire, type InferenceErrorName } from '../src/client/errors';
import type { Device } from '../src/client/engine-types';
import type { EventOf, MethodName, ParamsOf, ResultOf, WorkerMessage, WorkerRequest } from '../src/client/protocol';

declare const self: DedicatedWorkerGlobalScope;

interface HandlerContext<M extends MethodName> {
  id: number;
  signal: AbortSignal;
  emit: (event: EventOf<M>) => void;
}
type Handler<M extends MethodName> = (params: ParamsOf<M>, context: HandlerContext<M>) => Promise<ResultOf<M>>;

let engine: Engine | null = null;

/**
 * The ONNX runtime build per device. WebGPU needs the asyncify build (27 MB, every call
 * instrumented so it can await the GPU); the WASM device runs the plain build (14 MB): half
 * the code to compile before the first answer, and no asyncify overhead per kernel.
 * The runtime is initialised once per worker, so a worker serves one device for its life;
 * the client starts a new worker when the device changes (see WorkerInferenceClient.load).
 */
const plainRuntime = { mjs: ortPlainMjsUrl, wasm: ortPlainWasmUrl };
const runtimeFiles: Record<Device, { mjs: string; wasm: string }> = {
  webgpu: { mjs: ortAsyncifyMjsUrl, wasm: ortAsyncifyWasmUrl },
  wasm: plainRuntime,
  cpu: plainRuntime,
};
let runtimeDevice: Device | null = null;
/** Running requests that `abort` can reach. */
const running = new Map<number, AbortController>();
/** Methods that touch the engine run one after another; `abort` must overtake them. */
const serialMethods: ReadonlySet<MethodName> = new Set(['load', 'generate', 'unload']);
let queue: Promise<unknown> = Promise.resolve();

/** One handler per method; adding a method to `Methods` without one here is a type error. */
const handlers: { [M in MethodName]: Handler<M> } = {
  async load(params, { emit }) {
    await disposeEngine();
    if (runtimeDevice !== null && runtimeDevice !== params.device) {
      throw new InferenceError('EngineError', `This inference worker runs the ${runtimeDevice} runtime; ${params.device} needs a new worker.`, {
        modelId: params.modelId,
      });
    }
    runtimeDevice = params.device;
    const files: string[] = [];
    try {
      engine = await loadBrowserEngine({
        modelId: params.modelId,
        device: params.device,
        dtype: params.dtype,
        localModelPath: params.localModelPath,
        allowRemoteModels: params.allowRemoteModels,
        remoteHost: params.remoteHost,
        useBrowserCache: params.useBrowserCache,
        // The runtime's own files come from the app, so WASM and WebGPU work offline.
        wasmPaths: runtimeFiles[params.device],
        onProgress: (progress) => {
          if (files[files.length - 1] !== progress.file) files.push(progress.file);
          emit(progress);
        },
      });
      return engine.info;
    } catch (error) {
      if (error instanceof ModelLoadError) throw fromModelLoadError(error);
      throw classifyError(error, { modelId: params.modelId, files, phase: 'load' });
    }
  },

  async generate(params, { signal, emit }) {
    const current = requireEngine();
    try {
      return await current.generate({ ...params, signal, onToken: (row, token) => emit({ row, token }) });
    } catch (error) {
      throw classifyError(error, { modelId: current.info.modelId, phase: 'generate' });
    }
  },

  async abort({ targetId }) {
    const controller = running.get(targetId);
    controller?.abort();
    return { found: controller !== undefined };
  },

  async unload() {
    await disposeEngine();
    return null;
  },
};

const errorNames: Record<LoadFailureReason, InferenceErrorName> = {
  'missing-file': 'ModelFileError',
  'corrupt-file': 'ModelFileError',
  'unsupported-architecture': 'UnsupportedArchitectureError',
  'fp16-unsupported': 'Fp16UnsupportedError',
  'out-of-memory': 'OutOfMemoryError',
  'device-lost': 'DeviceLostError',
  'runtime-unavailable': 'RuntimeUnavailableError',
  unknown: 'EngineError',
};

/** The engine already classified the failure; keep its reason, file and hint. */
function fromModelLoadError(error: ModelLoadError): InferenceError {
  // The hint travels on its own (the UI shows it as the way forward), so keep it out of the message.
  const message = error.message.endsWith(error.hint)
    ? error.message.slice(0, -error.hint.length).trim().replace(/\.\.$/, '.')
    : error.message;
  const typed = new InferenceError(errorNames[error.reason], message, {
    modelId: error.modelId,
    file: error.file ?? undefined,
    hint: error.hint,
  });
  typed.stack = error.stack;
  return typed;
}

function requireEngine(): Engine {
  if (!engine) throw new InferenceError('NoModelLoadedError', 'No model is loaded in the inference worker.');
  return engine;
}

async function disposeEngine(): Promise<void> {
  const previous = engine;
  engine = null;
  await previous?.dispose();
}

function reply(message: WorkerMessage): void {
  self.postMessage(message);
}

async function dispatch<M extends MethodName>(request: Extract<WorkerRequest, { method: M }>): Promise<void> {
  const { id, method } = request;
  const controller = new AbortController();
  running.set(id, controller);
  const handler = handlers[method] as Handler<M>;
  const invoke = () =>
    handler(request.params as ParamsOf<M>, {
      id,
      signal: controller.signal,
      emit: (event) => reply({ kind: 'event', id, method, event } as WorkerMessage),
    });
  try {
    let result: ResultOf<M>;
    if (serialMethods.has(method)) {
      const turn = queue.then(invoke);
      queue = turn.catch(() => undefined);
      result = await turn;
    } else {
      result = await invoke();
    }
    reply({ kind: 'result', id, method, result } as WorkerMessage);
  } catch (error) {
    reply({ kind: 'error', id, method, error: toWire(error) });
  } finally {
    running.delete(id);
  }
}

self.addEventListener('message', (event: MessageEvent<WorkerRequest>) => {
  void dispatch(event.data);
});
