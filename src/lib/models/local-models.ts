import type { ModelDtype } from './dtype';
import { parseHubConfig } from './hub-config';
import type { FetchLike } from './hub-metadata';
import { CONFIG_FILE, modelFiles } from './model-files';

/**
 * Whether the app itself serves a model (public/models/<id>/, the embedded model or a
 * `thinkbench pull`), and how big it is. A dev server answers a missing file with index.html
 * and status 200, so a file only counts when it is not HTML and config.json parses.
 */
export interface LocalModel {
  sizeBytes: number;
  files: string[];
}

/** Where the app serves public/models/, relative to the page (works under any base path). */
export function modelsBaseUrl(baseUri: string): string {
  return new URL('models/', baseUri).href;
}

/** Written at build time under models/ by vite.config.ts (servedModels): `{ "models": ["owner/name", …] }`. */
export const SERVED_MODELS_FILE = 'served.json';

/**
 * The ids the app serves, from models/served.json; null when the server has no such list (a
 * hand-rolled static setup), in which case callers fall back to probing each model.
 */
export async function fetchServedModels(fetchImpl: FetchLike, modelsBaseUrl: string): Promise<ReadonlySet<string> | null> {
  const base = modelsBaseUrl.endsWith('/') ? modelsBaseUrl : `${modelsBaseUrl}/`;
  try {
    const response = await fetchImpl(`${base}${SERVED_MODELS_FILE}`, { cache: 'no-store' });
    if (!response.ok || isHtml(response)) return null;
    const json: unknown = await response.json();
    const models = typeof json === 'object' && json !== null ? (json as { models?: unknown }).models : undefined;
    if (!Array.isArray(models) || !models.every((id): id is string => typeof id === 'string')) return null;
    return new Set(models);
  } catch {
    return null;
  }
}

function isHtml(response: Response): boolean {
  return (response.headers.get('content-type') ?? '').includes('text/html');
}

export async function probeLocalModel(fetchImpl: FetchLike, modelsBaseUrl: string, id: string, dtype: ModelDtype): Promise<LocalModel | null> {
  const base = modelsBaseUrl.endsWith('/') ? modelsBaseUrl : `${modelsBaseUrl}/`;
  let configResponse: Response;
  try {
    configResponse = await fetchImpl(`${base}${id}/${CONFIG_FILE}`, { cache: 'no-store' });
  } catch {
    return null;
  }
  if (!configResponse.ok || isHtml(configResponse)) return null;
  let config;
  try {
    config = parseHubConfig(await configResponse.json(), `${id}/${CONFIG_FILE}`);
  } catch {
    return null;
  }
  const files: string[] = [];
  let sizeBytes = 0;
  for (const file of modelFiles(config, dtype)) {
    const response = await fetchImpl(`${base}${id}/${file.path}`, { method: 'HEAD', cache: 'no-store' }).catch(() => null);
    const present = response !== null && response.ok && !isHtml(response);
    if (!present) {
      if (file.required) return null;
      continue;
    }
    files.push(file.path);
    sizeBytes += Number(response.headers.get('content-length') ?? 0);
  }
  return { sizeBytes, files };
}
