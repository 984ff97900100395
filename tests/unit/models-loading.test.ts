import { describe, expect, it } from 'vitest';
import type { EngineInfo } from '../../src/client/engine-types';
import type { InferenceClient } from '../../src/client/inference-client';
import { ModelsLoadingStore, type LoadTarget } from '../../src/stores/models-loading.svelte';

/** A client that records loads; only what the store touches is real. */
function fakeClient(loaded: EngineInfo | null) {
  const loads: string[] = [];
  const client = {
    loaded,
    load: async (params: { modelId: string }) => {
      loads.push(params.modelId);
      throw new Error('not expected in this test');
    },
    onRestart: () => () => undefined,
  } as unknown as InferenceClient;
  return { client, loads };
}

const target: LoadTarget = { modelId: 'org/model', device: 'webgpu', dtype: 'fp32', hasShaderF16: false };

describe('ModelsLoadingStore', () => {
  it('refuses fp16 weights on an adapter without shader-f16, before loading anything', async () => {
    const { client, loads } = fakeClient(null);
    const store = new ModelsLoadingStore(() => client);
    await expect(store.ensure({ ...target, dtype: 'q4f16' })).rejects.toMatchObject({
      name: 'Fp16UnsupportedError',
      modelId: 'org/model',
    });
    expect(loads).toEqual([]);
    expect(store.state.status).toBe('failed');
  });

  it('does not reload what the worker already holds', async () => {
    const info: EngineInfo = { modelId: 'org/model', device: 'webgpu', dtype: 'fp32' };
    const { client, loads } = fakeClient(info);
    const store = new ModelsLoadingStore(() => client);
    await expect(store.ensure(target)).resolves.toEqual(info);
    expect(loads).toEqual([]);
    expect(store.state).toMatchObject({ status: 'ready', info });
  });
});
