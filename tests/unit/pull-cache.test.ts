import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { downloadToCache, type DownloadProgress } from '../../src/lib/models/cache-download';
import { isHubError } from '../../src/lib/models/hub-errors';
import { remoteHostFor, resolveUrl } from '../../src/lib/models/hub-url';
import { deleteFromCache, inspectCache, type CacheLike, type ModelRef } from '../../src/lib/models/model-cache';
import { startFakeHub, type FakeHub } from '../fixtures/hub/fake-hub';
import { tinyRepo } from '../fixtures/hub/tiny-repo';

/**
 * The browser download path (hub → Cache Storage), run in Node against the fake hub. The cache
 * below follows the Cache API's rule that matters here: `put` reads the whole body and stores
 * nothing if reading fails. The real Cache Storage is exercised by the e2e test.
 */
class MemoryCache implements CacheLike {
  readonly entries = new Map<string, { body: ArrayBuffer; headers: Headers }>();
  async match(url: string): Promise<Response | undefined> {
    const entry = this.entries.get(url);
    return entry ? new Response(entry.body.slice(0), { headers: entry.headers }) : undefined;
  }
  async put(url: string, response: Response): Promise<void> {
    const body = await response.arrayBuffer(); // rejects when the stream errors: nothing stored
    this.entries.set(url, { body, headers: new Headers(response.headers) });
  }
  async delete(url: string): Promise<boolean> {
    return this.entries.delete(url);
  }
}

const repo = tinyRepo({ onnxBytes: 1_000_000 });
let hub: FakeHub;
let cache: MemoryCache;
let ref: ModelRef;

beforeAll(async () => {
  hub = await startFakeHub({ 'test/tiny': repo, 'test/billion-chunks': tinyRepo({ externalDataFormat: 1e9 }) });
});
afterAll(async () => {
  await hub.close();
});
beforeEach(() => {
  hub.requests.length = 0;
  hub.faults.clear();
  cache = new MemoryCache();
  ref = { id: 'test/tiny', revision: 'main', dtype: 'q4', endpoint: hub.endpoint };
});

const weightGets = () => hub.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/cdn/'));

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a failure'),
    (error: unknown) => error,
  );
}

describe('downloading a model into Cache Storage', () => {
  it('stores every file under the URL Transformers.js looks up, with progress per file and in total', async () => {
    const events: DownloadProgress[] = [];
    await downloadToCache(ref, { fetch, cache, onProgress: (p) => events.push(p) });
    const state = await inspectCache(cache, ref);
    expect(state.complete).toBe(true);
    expect(state.present.sort()).toEqual(['config.json', 'generation_config.json', 'onnx/model_q4.onnx', 'tokenizer.json', 'tokenizer_config.json']);
    const onnxUrl = resolveUrl(hub.endpoint, 'test/tiny', 'main', 'onnx/model_q4.onnx');
    expect(onnxUrl).toBe(`${hub.endpoint}/test/tiny/resolve/main/onnx/model_q4.onnx`);
    const stored = await cache.match(onnxUrl);
    expect(Buffer.from(await stored!.arrayBuffer()).equals(Buffer.from(repo['onnx/model_q4.onnx'].content))).toBe(true);
    const last = events.at(-1)!;
    expect(last.totalBytes).toBeGreaterThan(1_000_000);
    expect(last.loadedBytes).toBe(last.totalBytes);
    expect(last.files.find((f) => f.path === 'onnx/model_q4.onnx')).toMatchObject({ state: 'done', loadedBytes: 1_000_000, totalBytes: 1_000_000 });
    const totals = events.map((e) => e.loadedBytes);
    expect(totals).toEqual([...totals].sort((a, b) => a - b)); // never goes backwards
    expect(events.some((e) => e.loadedBytes > 0 && e.loadedBytes < e.totalBytes)).toBe(true);
    expect(state.sizeBytes).toBe(last.totalBytes + repo['config.json'].content.byteLength);
  });

  it('cancels mid-file and leaves nothing behind', async () => {
    hub.faults.set('test/tiny/onnx/model_q4.onnx', { chunkDelayMs: 30 });
    const controller = new AbortController();
    const error = await failure(
      downloadToCache(ref, {
        fetch,
        cache,
        signal: controller.signal,
        onProgress: (p) => {
          const onnx = p.files.find((f) => f.path === 'onnx/model_q4.onnx');
          if (onnx && onnx.loadedBytes > 0) controller.abort();
        },
      }),
    );
    expect(isHubError(error, 'DownloadCancelled')).toBe(true);
    expect(cache.entries.size).toBe(0);
    expect((await inspectCache(cache, ref)).complete).toBe(false);
  });

  it('rejects a file of the wrong size and rolls back the files it added', async () => {
    hub.faults.set('test/tiny/onnx/model_q4.onnx', { extraBytes: 7 });
    const error = await failure(downloadToCache(ref, { fetch, cache }));
    expect(isHubError(error, 'DownloadVerificationError')).toBe(true);
    expect(String(error)).toMatch(/more than the announced 1000000 bytes/);
    expect(cache.entries.size).toBe(0);
  });

  it('gives up on a file that drips one byte at a time, with nothing half-cached', async () => {
    hub.faults.set('test/tiny/onnx/model_q4.onnx', { dripMs: 20 });
    const error = await failure(downloadToCache(ref, { fetch, cache, idleTimeoutMs: 400 }));
    expect(isHubError(error, 'DownloadStalled')).toBe(true);
    expect(String(error)).toMatch(/the server sent \d+ bytes in the last 0\.4 s/);
    expect(cache.entries.size).toBe(0);
  }, 20_000);

  it('refuses a config declaring a billion external data chunks, before any weights', async () => {
    const error = await failure(downloadToCache({ ...ref, id: 'test/billion-chunks' }, { fetch, cache }));
    expect(isHubError(error, 'InvalidHubResponse')).toBe(true);
    expect(String(error)).toMatch(/declares 1000000000 external data chunks/);
    expect(weightGets()).toHaveLength(0);
  });

  it('treats a dropped connection as a network error, with nothing half-cached', async () => {
    hub.faults.set('test/tiny/onnx/model_q4.onnx', { dropAfterBytes: 300_000 });
    const error = await failure(downloadToCache(ref, { fetch, cache }));
    expect(isHubError(error, 'HubNetworkError') || isHubError(error, 'DownloadVerificationError')).toBe(true);
    expect(await cache.match(resolveUrl(hub.endpoint, 'test/tiny', 'main', 'onnx/model_q4.onnx'))).toBeUndefined();
    expect(cache.entries.size).toBe(0);
  });

  it('keeps files that were cached before a failed attempt, and a retry fetches only the rest', async () => {
    const tokenizerUrl = resolveUrl(hub.endpoint, 'test/tiny', 'main', 'tokenizer.json');
    await cache.put(tokenizerUrl, new Response(Buffer.from(repo['tokenizer.json'].content)));
    hub.faults.set('test/tiny/onnx/model_q4.onnx', { extraBytes: 1 });
    await failure(downloadToCache(ref, { fetch, cache }));
    expect([...cache.entries.keys()]).toEqual([tokenizerUrl]);
    hub.faults.clear();
    hub.requests.length = 0;
    await downloadToCache(ref, { fetch, cache });
    expect(hub.requests.some((r) => r.path.endsWith('/tokenizer.json'))).toBe(false);
    expect((await inspectCache(cache, ref)).complete).toBe(true);
  });

  it('stops before any weights when the storage quota is too small', async () => {
    const error = await failure(downloadToCache(ref, { fetch, cache, availableBytes: async () => 500_000 }));
    expect(isHubError(error, 'StorageFullError')).toBe(true);
    expect(String(error)).toMatch(/needs 2 MB but the browser lets this site store only 0 MB more/);
    expect(weightGets()).toHaveLength(0);
    expect(cache.entries.size).toBe(0);
  });

  it('names a dtype the repo does not publish (404) before downloading anything', async () => {
    const error = await failure(downloadToCache({ ...ref, dtype: 'q4f16' }, { fetch, cache }));
    expect(isHubError(error, 'HubFileNotFound')).toBe(true);
    expect(String(error)).toMatch(/File not found on the hub: .*onnx\/model_q4f16\.onnx/);
    expect(weightGets()).toHaveLength(0);
  });

  it('deletes a cached model', async () => {
    await downloadToCache(ref, { fetch, cache });
    expect(await deleteFromCache(cache, ref)).toBe(5);
    expect(cache.entries.size).toBe(0);
    expect(await inspectCache(cache, ref)).toMatchObject({ complete: false, sizeBytes: 0 });
  });
});

describe('a mirror without the hub tree API', () => {
  it('takes sizes from HEAD, downloads completely, and reports a missing dtype as a 404', async () => {
    const mirror = await startFakeHub({ 'test/tiny': repo }, { treeApi: false });
    try {
      const mirrorRef = { ...ref, endpoint: mirror.endpoint };
      const events: DownloadProgress[] = [];
      await downloadToCache(mirrorRef, { fetch, cache, onProgress: (p) => events.push(p) });
      expect((await inspectCache(cache, mirrorRef)).complete).toBe(true);
      expect(events.at(-1)?.files.find((f) => f.path === 'onnx/model_q4.onnx')?.totalBytes).toBe(1_000_000);
      const error = await failure(downloadToCache({ ...mirrorRef, dtype: 'q4f16' }, { fetch, cache }));
      expect(isHubError(error, 'HubFileNotFound')).toBe(true);
      expect(String(error)).toMatch(/onnx\/model_q4f16\.onnx \(404\)/);
    } finally {
      await mirror.close();
    }
  });
});

describe('the URL contract with Transformers.js', () => {
  it('requests exactly the URLs this module caches under, given remoteHostFor(endpoint)', async () => {
    const { AutoConfig, env } = await import('@huggingface/transformers');
    env.allowLocalModels = false;
    env.remoteHost = remoteHostFor(hub.endpoint);
    await AutoConfig.from_pretrained('test/tiny', { cache_dir: `/tmp/thinkbench-tjs-cache-${process.pid}` });
    const gets = hub.requests.filter((r) => r.method === 'GET').map((r) => `${hub.endpoint}${r.path}`);
    expect(gets).toContain(resolveUrl(hub.endpoint, 'test/tiny', 'main', 'config.json'));
  });
});
