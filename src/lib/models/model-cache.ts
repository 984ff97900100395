import { parseHubConfig, type HubModelConfig } from './hub-config';
import type { ModelDtype } from './dtype';
import { resolveUrl } from './hub-url';
import { CONFIG_FILE, modelFiles } from './model-files';

/**
 * What of a model is in the browser's Cache Storage. Transformers.js keys its cache
 * (`transformers-cache`) by the file's hub URL and reads it before going to the network, so a
 * model whose files are all there loads offline. This module only reads and deletes.
 */
export const TRANSFORMERS_CACHE = 'transformers-cache';

/** The subset of the Cache API used here (so Node tests can pass an in-memory one). */
export interface CacheLike {
  match(url: string): Promise<Response | undefined>;
  put(url: string, response: Response): Promise<void>;
  delete(url: string): Promise<boolean>;
}

export interface ModelRef {
  id: string;
  revision: string;
  dtype: ModelDtype;
  endpoint: string;
}

export interface CachedFiles {
  /** Every required file present. */
  complete: boolean;
  /** Files present (required or optional). */
  present: string[];
  missing: string[];
  sizeBytes: number;
}

async function responseBytes(response: Response): Promise<number> {
  const header = response.headers.get('content-length');
  if (header && /^\d+$/.test(header)) return Number(header);
  return (await response.blob()).size;
}

export async function cachedConfig(cache: CacheLike, ref: ModelRef): Promise<HubModelConfig | null> {
  const response = await cache.match(resolveUrl(ref.endpoint, ref.id, ref.revision, CONFIG_FILE));
  if (!response) return null;
  try {
    return parseHubConfig(await response.json(), `${ref.id}/config.json (cached)`);
  } catch {
    return null; // an unreadable cached config counts as not cached; a download replaces it
  }
}

export async function inspectCache(cache: CacheLike, ref: ModelRef): Promise<CachedFiles> {
  const config = await cachedConfig(cache, ref);
  if (!config) return { complete: false, present: [], missing: [CONFIG_FILE], sizeBytes: 0 };
  const present: string[] = [];
  const missing: string[] = [];
  let sizeBytes = 0;
  for (const file of modelFiles(config, ref.dtype)) {
    const response = await cache.match(resolveUrl(ref.endpoint, ref.id, ref.revision, file.path));
    if (response) {
      present.push(file.path);
      sizeBytes += await responseBytes(response);
    } else if (file.required) {
      missing.push(file.path);
    }
  }
  return { complete: missing.length === 0, present, missing, sizeBytes };
}

/** Deletes a model's files for one dtype; shared files (config, tokenizer) go too. */
export async function deleteFromCache(cache: CacheLike, ref: ModelRef): Promise<number> {
  const config = (await cachedConfig(cache, ref)) ?? { modelType: 'unknown' };
  let deleted = 0;
  for (const file of modelFiles(config, ref.dtype)) {
    if (await cache.delete(resolveUrl(ref.endpoint, ref.id, ref.revision, file.path))) deleted += 1;
  }
  return deleted;
}
