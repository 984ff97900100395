/**
 * The page half of bench/browser-real-scale.ts: runs a model in the app's own inference worker
 * (workers/inference.worker.ts, through the app's client), so the numbers are the app's: its
 * runtime build per device, and its WASM thread choice (src/client/wasm-threads.ts), which
 * follows the page's cross-origin isolation. Exposed to the driver as `window.thinkbenchRealScale`.
 */
import { WorkerInferenceClient } from '../../src/client/inference-client';
import type { Device, Dtype, EngineInfo } from '../../src/client/engine-types';
import type { Prompt, Sample } from '../../src/lib/generate';

export interface RealScaleApi {
  load(modelId: string, device: Device, dtype: Dtype): Promise<EngineInfo & { loadMs: number; crossOriginIsolated: boolean; adapter: string }>;
  /** Greedy decoding of one row. */
  greedy(prompt: Prompt, maxNewTokens: number): Promise<Sample>;
}

declare global {
  interface Window {
    thinkbenchRealScale: RealScaleApi;
  }
}

const client = new WorkerInferenceClient(() => new Worker(new URL('../../workers/inference.worker.ts', import.meta.url), { type: 'module' }));

window.thinkbenchRealScale = {
  async load(modelId, device, dtype) {
    const start = performance.now();
    const info = await client.load({ modelId, device, dtype, localModelPath: '/models/', allowRemoteModels: false, useBrowserCache: false });
    const adapter = device === 'webgpu' ? await navigator.gpu?.requestAdapter() : null;
    return {
      ...info,
      loadMs: performance.now() - start,
      crossOriginIsolated,
      adapter: adapter ? `${adapter.info.vendor} ${adapter.info.architecture}` : 'none',
    };
  },
  async greedy(prompt, maxNewTokens) {
    const [sample] = await client.generate({ prompt, n: 1, maxNewTokens, sampling: { temperature: 0 } });
    return sample;
  },
};
