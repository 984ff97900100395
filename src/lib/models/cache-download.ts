import type { ModelDtype } from './dtype';
import { parseHubConfig } from './hub-config';
import { HubError, httpError, isStorageFull } from './hub-errors';
import { networkError, type FetchLike } from './hub-metadata';
import { fetchTree } from './hub-tree';
import { resolveUrl } from './hub-url';
import { CONFIG_FILE, modelFiles, type ModelFile } from './model-files';
import type { CacheLike, ModelRef } from './model-cache';
import { DEFAULT_IDLE_TIMEOUT_MS, withIdleTimeout } from './stall-watchdog';

/**
 * Downloads a model into Cache Storage the way Transformers.js would have cached it (same URL
 * keys), with per-file progress and cancellation. Invariants: a file enters the cache only
 * whole and of the announced length (the body is streamed into `cache.put`, which stores
 * nothing when the stream fails); a download that fails or is cancelled removes the files it
 * added, so no model is left looking complete when it is not.
 */
export interface FileProgress {
  path: string;
  loadedBytes: number;
  totalBytes: number;
  /** totalBytes is the hub's own figure (tree API), not the CDN's Content-Length. */
  announced?: boolean;
  state: 'waiting' | 'downloading' | 'done' | 'cached' | 'skipped';
}

export interface DownloadProgress {
  files: FileProgress[];
  loadedBytes: number;
  totalBytes: number;
}

export interface CacheDownloadOptions {
  fetch: FetchLike;
  cache: CacheLike;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /** Free bytes the origin may still store (navigator.storage.estimate); checked before downloading. */
  availableBytes?: () => Promise<number | undefined>;
  /** A request idle this long fails with DownloadStalled (stall-watchdog.ts); injectable for tests. */
  idleTimeoutMs?: number;
}

function snapshot(files: FileProgress[]): DownloadProgress {
  return {
    files: files.map((file) => ({ ...file })),
    loadedBytes: files.reduce((sum, file) => sum + file.loadedBytes, 0),
    totalBytes: files.reduce((sum, file) => sum + file.totalBytes, 0),
  };
}

async function request(options: CacheDownloadOptions, url: string, repo: string, method: 'GET' | 'HEAD'): Promise<Response> {
  options.signal?.throwIfAborted();
  try {
    return await options.fetch(url, { method, signal: options.signal });
  } catch (error) {
    throw networkError(url, error, options.signal);
  }
}

async function readConfig(options: CacheDownloadOptions, ref: ModelRef): Promise<Response> {
  const url = resolveUrl(ref.endpoint, ref.id, ref.revision, CONFIG_FILE);
  const response = await request(options, url, ref.id, 'GET');
  if (!response.ok) throw httpError(response.status, url, ref.id, response.headers.get('x-error-code'));
  return response;
}

/**
 * The size each file must have: the hub's tree API where the host has one, else HEAD (with
 * redirects followed, i.e. the CDN's Content-Length, which can only catch truncation).
 */
async function plan(options: CacheDownloadOptions, ref: ModelRef, files: ModelFile[]): Promise<FileProgress[]> {
  const dirs = [...new Set(files.map((file) => file.path.split('/').slice(0, -1).join('/')))];
  const tree = await fetchTree(options.fetch, ref.endpoint, ref.id, ref.revision, dirs, options.signal);
  const planned: FileProgress[] = [];
  for (const file of files) {
    const url = resolveUrl(ref.endpoint, ref.id, ref.revision, file.path);
    if (tree && !tree.has(file.path)) {
      if (!file.required) continue;
      throw new HubError('HubFileNotFound', `File not found on the hub: ${url} (not in the repo's file list).`);
    }
    if (await options.cache.match(url)) {
      planned.push({ path: file.path, loadedBytes: 0, totalBytes: 0, state: 'cached' });
      continue;
    }
    const known = tree?.get(file.path)?.sizeBytes;
    if (known !== undefined) {
      planned.push({ path: file.path, loadedBytes: 0, totalBytes: known, announced: true, state: 'waiting' });
      continue;
    }
    const response = await request(options, url, ref.id, 'HEAD');
    if (response.status === 404 && !file.required) continue;
    if (!response.ok) throw httpError(response.status, url, ref.id, response.headers.get('x-error-code'));
    const size = Number(response.headers.get('content-length') ?? 0);
    planned.push({ path: file.path, loadedBytes: 0, totalBytes: size, announced: false, state: 'waiting' });
  }
  return planned;
}

/**
 * Passes the body through, counting bytes; fails the stream if the length is wrong, and stops
 * reading the moment more than the announced length arrives. The failure is kept aside too,
 * because `cache.put` rejects with its own generic error.
 */
function verifyingBody(body: ReadableStream<Uint8Array>, expectedBytes: number, url: string, onBytes: (n: number) => void) {
  let seen = 0;
  let failure: HubError | undefined;
  const reader = body.getReader();
  const fail = (message: string): HubError => {
    failure = new HubError('DownloadVerificationError', `${url}: ${message}; discarded.`);
    return failure;
  };
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (error instanceof HubError) failure = error; // a stall, typed by withIdleTimeout
        throw error;
      }
      if (chunk.done) {
        if (expectedBytes > 0 && seen !== expectedBytes) throw fail(`got ${seen} bytes, the hub announced ${expectedBytes}`);
        controller.close();
        return;
      }
      seen += chunk.value.byteLength;
      if (expectedBytes > 0 && seen > expectedBytes) {
        await reader.cancel().catch(() => undefined);
        throw fail(`more than the announced ${expectedBytes} bytes arrived`);
      }
      onBytes(seen);
      controller.enqueue(chunk.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { stream, failure: () => failure };
}

async function fetchIntoCache(
  options: CacheDownloadOptions,
  ref: ModelRef,
  file: FileProgress,
  report: () => void,
): Promise<void> {
  const url = resolveUrl(ref.endpoint, ref.id, ref.revision, file.path);
  const response = await request(options, url, ref.id, 'GET');
  if (!response.ok || !response.body) throw httpError(response.status, url, ref.id, response.headers.get('x-error-code'));
  const expected = file.announced ? file.totalBytes : Number(response.headers.get('content-length') ?? file.totalBytes);
  file.totalBytes = expected;
  file.state = 'downloading';
  const body = verifyingBody(response.body, expected, url, (loaded) => {
    file.loadedBytes = loaded;
    report();
  });
  const headers = new Headers({ 'content-type': response.headers.get('content-type') ?? 'application/octet-stream' });
  if (expected > 0) headers.set('content-length', String(expected));
  try {
    // Streams straight into the cache: the entry is committed only if the body completes.
    await options.cache.put(url, new Response(body.stream, { headers }));
  } catch (error) {
    if (options.signal?.aborted) throw new HubError('DownloadCancelled', 'Download cancelled.', { cause: error });
    const failure = body.failure();
    if (failure) throw failure;
    if (error instanceof HubError) throw error;
    if (isStorageFull(error)) {
      throw new HubError('StorageFullError', `Browser storage is full while saving ${file.path}. Delete other models or experiments and try again.`, { cause: error });
    }
    throw networkError(url, error, options.signal);
  }
  file.state = 'done';
  file.loadedBytes = file.totalBytes;
  report();
}

export async function downloadToCache(ref: ModelRef & { dtype: ModelDtype }, given: CacheDownloadOptions): Promise<DownloadProgress> {
  const options = { ...given, fetch: withIdleTimeout(given.fetch, given.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS) };
  const added: string[] = [];
  try {
    const configResponse = await readConfig(options, ref);
    const configText = await configResponse.text();
    const config = parseHubConfig(JSON.parse(configText) as unknown, `${ref.id}/config.json`);
    const files = await plan(options, ref, modelFiles(config, ref.dtype).filter((f) => f.path !== CONFIG_FILE));
    const totalBytes = files.reduce((sum, file) => sum + file.totalBytes, 0);
    const available = await options.availableBytes?.();
    if (available !== undefined && totalBytes > available) {
      throw new HubError(
        'StorageFullError',
        `${ref.id} needs ${Math.ceil(totalBytes / 1e6)} MB but the browser lets this site store only ${Math.floor(available / 1e6)} MB more. Delete other models or experiments first.`,
      );
    }
    const report = () => options.onProgress?.(snapshot(files));
    report();
    for (const file of files) {
      if (file.state !== 'waiting') continue;
      await fetchIntoCache(options, ref, file, report);
      added.push(resolveUrl(ref.endpoint, ref.id, ref.revision, file.path));
    }
    // config.json last: it is what marks the model as present (see model-cache.ts).
    const configUrl = resolveUrl(ref.endpoint, ref.id, ref.revision, CONFIG_FILE);
    await options.cache.put(configUrl, new Response(configText, { headers: { 'content-type': 'application/json' } }));
    return snapshot(files);
  } catch (error) {
    await Promise.all(added.map((url) => options.cache.delete(url).catch(() => false)));
    if (options.signal?.aborted && !(error instanceof HubError && error.name === 'DownloadCancelled')) {
      throw new HubError('DownloadCancelled', 'Download cancelled.', { cause: error });
    }
    if (isStorageFull(error)) throw new HubError('StorageFullError', 'Browser storage is full. Delete other models or experiments and try again.', { cause: error });
    throw error;
  }
}
