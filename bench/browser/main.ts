/**
 * The page half of bench/browser-bench.ts: loads the engine in the page (main thread) on WASM or
 * WebGPU and exposes the shared workloads to the driving script as `window.thinkbenchBench`.
 */
import ortWasmMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { loadBrowserEngine } from '../../workers/engine/browser';
import type { Device, Dtype, Engine } from '../../workers/engine/engine';
import { batchedVsSequential, greedyWorkload, type BatchedRow, type GreedyResult } from '../workloads';

export interface BrowserBenchApi {
  load(device: Device, dtype: Dtype): Promise<{ adapter: string }>;
  batched(questions: string[], ks: number[], maxNewTokens: number): Promise<BatchedRow[]>;
  greedy(questions: string[], maxNewTokens: number): Promise<GreedyResult>;
}

declare global {
  interface Window {
    thinkbenchBench: BrowserBenchApi;
  }
}

let engine: Engine | null = null;

function loaded(): Engine {
  if (!engine) throw new Error('call load() first');
  return engine;
}

window.thinkbenchBench = {
  async load(device, dtype) {
    await engine?.dispose();
    engine = await loadBrowserEngine({
      modelId: 'thinkbench/tinythink',
      device,
      dtype,
      localModelPath: '/models/',
      allowRemoteModels: false,
      useBrowserCache: false,
      wasmPaths: { mjs: ortWasmMjsUrl, wasm: ortWasmUrl },
    });
    const adapter = device === 'webgpu' ? await navigator.gpu?.requestAdapter() : null;
    return { adapter: adapter ? `${adapter.info.vendor} ${adapter.info.architecture}` : 'none' };
  },
  batched: (questions, ks, maxNewTokens) => batchedVsSequential(loaded().generate, questions, ks, maxNewTokens),
  greedy: (questions, maxNewTokens) => greedyWorkload(loaded().generate, questions, maxNewTokens),
};
