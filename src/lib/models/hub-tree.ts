import { HubError } from './hub-errors';
import { networkError, type FetchLike, type FileMetadata } from './hub-metadata';
import { normalizeEndpoint } from './hub-url';

/**
 * File sizes (and LFS sha256) from the hub's tree API,
 * `GET {endpoint}/api/models/{repo}/tree/{revision}/{dir}`, which answers with JSON and CORS.
 * The browser needs it: the LFS headers (X-Linked-Size/-ETag) ride on a redirect that a page
 * cannot read, so the bytes' announced size would otherwise come from the CDN response itself.
 */
interface TreeItem {
  type: string;
  path: string;
  size: number;
  lfs?: { oid: string; size: number };
}

function parseTreeItem(value: unknown, source: string): TreeItem {
  const item = value as Partial<Record<keyof TreeItem, unknown>>;
  if (typeof value !== 'object' || value === null || typeof item.path !== 'string' || typeof item.type !== 'string' || typeof item.size !== 'number') {
    throw new HubError('InvalidHubResponse', `${source}: a tree entry lacks path, type or size`);
  }
  const lfs = item.lfs as { oid?: unknown; size?: unknown } | undefined;
  return {
    type: item.type,
    path: item.path,
    size: item.size,
    lfs: lfs && typeof lfs.oid === 'string' && typeof lfs.size === 'number' ? { oid: lfs.oid, size: lfs.size } : undefined,
  };
}

export function parseTree(json: unknown, source: string): Map<string, FileMetadata> {
  if (!Array.isArray(json)) throw new HubError('InvalidHubResponse', `${source} is not a JSON array`);
  const out = new Map<string, FileMetadata>();
  for (const value of json) {
    const item = parseTreeItem(value, source);
    if (item.type !== 'file') continue;
    out.set(item.path, item.lfs ? { sizeBytes: item.lfs.size, sha256: item.lfs.oid.toLowerCase() } : { sizeBytes: item.size });
  }
  return out;
}

/** Sizes of the files in the given folders; null where the host has no tree API (a plain mirror). */
export async function fetchTree(
  fetchImpl: FetchLike,
  endpoint: string,
  repo: string,
  revision: string,
  dirs: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, FileMetadata> | null> {
  const out = new Map<string, FileMetadata>();
  for (const dir of dirs) {
    const url = `${normalizeEndpoint(endpoint)}/api/models/${repo}/tree/${encodeURIComponent(revision)}${dir ? `/${dir}` : ''}`;
    let response: Response;
    try {
      response = await fetchImpl(url, { signal });
    } catch (error) {
      throw networkError(url, error, signal);
    }
    if (!response.ok) return null;
    for (const [path, meta] of parseTree(await response.json(), url)) out.set(path, meta);
  }
  return out;
}
