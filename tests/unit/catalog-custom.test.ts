import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { THINK_TAGS } from '../../src/lib/formats/reasoning-format';
import { inspectHubModel } from '../../src/lib/models/custom-model';
import { isHubError } from '../../src/lib/models/hub-errors';
import { startFakeHub, type FakeHub } from '../fixtures/hub/fake-hub';
import { tinyRepo } from '../fixtures/hub/tiny-repo';

const noOnnx = tinyRepo();
delete noOnnx['onnx/model_q4.onnx'];
delete noOnnx['onnx/model_quantized.onnx'];

let hub: FakeHub;
beforeAll(async () => {
  hub = await startFakeHub({
    'test/tiny': tinyRepo(),
    'test/external': tinyRepo({ externalData: true }),
    'test/bert': tinyRepo({ modelType: 'bert' }),
    'test/raw': noOnnx,
  });
});
afterAll(async () => {
  await hub.close();
});
beforeEach(() => {
  hub.requests.length = 0;
});

const inspect = (id: string) => inspectHubModel(id, { endpoint: hub.endpoint, fetch });

async function failure(id: string): Promise<unknown> {
  return inspect(id).then(
    () => new Error('expected a refusal'),
    (error: unknown) => error,
  );
}

describe('adding a hub id by hand', () => {
  it('builds an entry from config.json, the chat template and the published ONNX files', async () => {
    const { entry, onnxBytes } = await inspect('test/tiny');
    expect(entry).toMatchObject({ id: 'test/tiny', modelType: 'llama', contextTokens: 256, dtypes: ['q8', 'q4'], reasoning: THINK_TAGS });
    expect(onnxBytes).toEqual({ q8: 50_000, q4: 300_000 });
    expect(hub.requests.some((r) => r.method === 'GET' && r.path.startsWith('/cdn/'))).toBe(false);
  });

  it('falls back to HEAD requests on a mirror without the tree API', async () => {
    const mirror = await startFakeHub({ 'test/tiny': tinyRepo() }, { treeApi: false });
    try {
      const { entry, onnxBytes } = await inspectHubModel('test/tiny', { endpoint: mirror.endpoint, fetch });
      expect(entry.dtypes).toEqual(['q8', 'q4']);
      expect(onnxBytes).toEqual({ q8: 50_000, q4: 300_000 });
      expect(mirror.requests.filter((r) => r.method === 'HEAD')).toHaveLength(5);
    } finally {
      await mirror.close();
    }
  });

  it('counts the external data files config.json declares in the size of a dtype, with the tree API and with HEADs', async () => {
    // Found by the zoo twins (tests/e2e/zoo-twins.test.ts): the fp16-only twin is a 13 KB graph
    // and a 9.4 MB model_fp16.onnx_data, and its card said "Download 13.4 KB", "Parameters 0M".
    const { onnxBytes } = await inspect('test/external');
    expect(onnxBytes).toEqual({ q8: 50_000, q4: 300_000 + 200_000 });
    const mirror = await startFakeHub({ 'test/external': tinyRepo({ externalData: true }) }, { treeApi: false });
    try {
      expect((await inspectHubModel('test/external', { endpoint: mirror.endpoint, fetch })).onnxBytes).toEqual({ q8: 50_000, q4: 500_000 });
    } finally {
      await mirror.close();
    }
  });

  it('refuses an unsupported architecture with a reason, after reading only config.json', async () => {
    const error = await failure('test/bert');
    expect(isHubError(error, 'UnsupportedModelError')).toBe(true);
    expect(String(error)).toMatch(/model_type "bert" is not a text-generation architecture/);
    expect(hub.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /test/bert/resolve/main/config.json']);
  });

  it('refuses a repo without ONNX weights and says where to look', async () => {
    const error = await failure('test/raw');
    expect(isHubError(error, 'UnsupportedModelError')).toBe(true);
    expect(String(error)).toMatch(/no ONNX weights under onnx\/.*onnx-community/);
  });

  it('says an unknown id is not on the hub (the hub answers 401 RepoNotFound)', async () => {
    const error = await failure('nobody/nothing');
    expect(isHubError(error, 'HubRepoNotFound')).toBe(true);
    expect(String(error)).toMatch(/Model "nobody\/nothing" was not found on the hub/);
  });

  it('rejects a malformed id without a request', async () => {
    const error = await failure('../etc/passwd');
    expect(isHubError(error, 'HubRepoNotFound')).toBe(true);
    expect(hub.requests).toHaveLength(0);
  });

  it('reports an unreachable hub as a network error', async () => {
    const error = await inspectHubModel('test/tiny', { endpoint: 'http://127.0.0.1:9', fetch }).catch((e: unknown) => e);
    expect(isHubError(error, 'HubNetworkError')).toBe(true);
    expect(String(error)).toMatch(/Could not reach http:\/\/127\.0\.0\.1:9/);
  });
});
