/** Loads the engine in the browser (the inference worker) on WebGPU or WASM. */
import { env } from '@huggingface/transformers';
import { createEngine, type Device, type Dtype, type Engine, type LoadProgress } from './engine';
import { ModelLoadError } from './errors';
import { loadModelParts } from './load-parts';
import { browserWeightsFingerprint } from './browser-weights';
import { onnxFile, requiredModelFiles } from './model-files';
import { chooseWasmThreads } from '../../src/client/wasm-threads';

export interface BrowserEngineOptions {
  /** Catalog id, resolved under `localModelPath` (and `remoteHost` when allowed). */
  modelId: string;
  device: Device;
  dtype: Dtype;
  /** Where local models are served, e.g. '/models/'. */
  localModelPath: string;
  allowRemoteModels: boolean;
  remoteHost?: string;
  /** The ONNX runtime's wasm files served by the app; without them ORT fetches from a CDN. */
  wasmPaths?: { mjs: string; wasm: string };
  /** Copy fetched files into Cache Storage (default true). */
  useBrowserCache?: boolean;
  onProgress?: (progress: LoadProgress) => void;
}

export async function loadBrowserEngine(options: BrowserEngineOptions): Promise<Engine> {
  configureEnv(options);
  if (options.device === 'webgpu' && (options.dtype === 'fp16' || options.dtype === 'q4f16')) await requireShaderF16(options);
  const loaded = new Set<string>(requiredModelFiles(options.dtype));
  const parts = await loadModelParts({
    modelId: options.modelId,
    source: options.modelId,
    device: options.device,
    dtype: options.dtype,
    onProgress: (progress) => {
      loaded.add(progress.file);
      options.onProgress?.(progress);
    },
  });
  const weights = await weightsOf(options, [...loaded]);
  // Read back after the runtime started: ONNX Runtime lowers it to 1 where threads cannot run.
  const threads = env.backends.onnx.wasm?.numThreads;
  return createEngine(parts, {
    modelId: options.modelId,
    device: options.device,
    dtype: options.dtype,
    ...(weights ? { weights } : {}),
    ...(typeof threads === 'number' ? { threads } : {}),
  });
}

/**
 * The loaded files' fingerprint for the generation cache; undefined (no caching for this model)
 * when a file cannot be identified, rather than failing a load that worked.
 */
async function weightsOf(options: BrowserEngineOptions, files: string[]): Promise<string | undefined> {
  const location = {
    modelId: options.modelId,
    localModelPath: options.localModelPath,
    remoteHost: options.allowRemoteModels ? (options.remoteHost ?? env.remoteHost) : null,
  };
  try {
    return await browserWeightsFingerprint(location, files);
  } catch (error) {
    console.warn(`thinkbench: generation cache off for ${options.modelId}: ${(error as Error).message}`);
    return undefined;
  }
}

/** `env` is global and file lookups are memoised per process: set it before every load. */
function configureEnv(options: BrowserEngineOptions): void {
  env.allowLocalModels = true;
  env.localModelPath = options.localModelPath;
  env.allowRemoteModels = options.allowRemoteModels;
  if (options.remoteHost) env.remoteHost = options.remoteHost;
  env.useBrowserCache = options.useBrowserCache ?? true;
  const wasm = env.backends.onnx.wasm;
  if (options.wasmPaths && wasm) wasm.wasmPaths = { mjs: options.wasmPaths.mjs, wasm: options.wasmPaths.wasm };
  // Read by the runtime when it starts (the worker's first load); later settings are ignored.
  if (wasm) wasm.numThreads = chooseWasmThreads(globalThis).threads;
}

async function requireShaderF16(options: BrowserEngineOptions): Promise<void> {
  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter?.features.has('shader-f16')) {
    throw new ModelLoadError({
      modelId: options.modelId,
      file: onnxFile(options.dtype),
      reason: 'fp16-unsupported',
      detail: `${options.dtype} weights need the shader-f16 feature, which this WebGPU adapter does not offer`,
    });
  }
}
