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

describe('ModelsLoadingStore offline', () => {
  function recordingClient() {
    const loads: string[] = [];
    const client = {
      loaded: null,
      load: async (params: { modelId: string; dtype: string; device: string }) => {
        loads.push(params.modelId);
        return { modelId: params.modelId, device: params.device, dtype: params.dtype };
      },
      onRestart: () => () => undefined,
    } as unknown as InferenceClient;
    return { client, loads };
  }

  it('says a hub model is not downloaded while offline, instead of letting the engine read an HTML page as JSON', async () => {
    const { client, loads } = recordingClient();
    const store = new ModelsLoadingStore(() => client, { source: async () => 'missing', offline: () => true, localModelPath: () => '/models/' });
    await expect(store.ensure(target)).rejects.toMatchObject({
      name: 'ModelNotDownloadedError',
      message: 'org/model (fp32) is not downloaded, and offline mode is on.',
    });
    expect(loads).toEqual([]);
    expect(store.state.status).toBe('failed');
  });

  it('loads a served or cached model offline, and a missing one online', async () => {
    for (const [source, offline] of [['served', true], ['cached', true], ['missing', false]] as const) {
      const { client, loads } = recordingClient();
      const store = new ModelsLoadingStore(() => client, { source: async () => source, offline: () => offline, localModelPath: () => '/models/' });
      await store.ensure(target);
      expect(loads, `${source}, offline ${offline}`).toEqual(['org/model']);
    }
  });
});
