import { HubError, httpError } from './hub-errors';

/**
 * What the hub says about a file before sending it. For LFS files (weights) the resolve URL
 * answers with a redirect to the CDN carrying `X-Linked-Size` and `X-Linked-ETag` (the file's
 * sha256 in quotes); small git files answer directly with `Content-Length` and an ETag that is
 * the git blob id (not a content hash we check).
 */
export interface FileMetadata {
  sizeBytes?: number;
  /** Lower-case hex, only when the hub gave an LFS sha256. */
  sha256?: string;
}

const SHA256 = /^[0-9a-f]{64}$/;

function normalizeEtag(etag: string | null): string | undefined {
  if (!etag) return undefined;
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '').toLowerCase();
}

function parseSize(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

export function parseFileMetadata(headers: Headers): FileMetadata {
  const linkedEtag = normalizeEtag(headers.get('x-linked-etag'));
  const sizeBytes = parseSize(headers.get('x-linked-size')) ?? parseSize(headers.get('content-length'));
  const sha256 = linkedEtag && SHA256.test(linkedEtag) ? linkedEtag : undefined;
  return { sizeBytes, sha256 };
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** The global fetch as a FetchLike: it must be called unbound, for passed on as `options.fetch`
 * and called as a method it throws "Illegal invocation". */
export const globalFetch: FetchLike = (input, init) => fetch(input, init);

/**
 * HEAD without following the CDN redirect, so the hub's own headers are read (what
 * huggingface_hub does). Returns null for a missing optional file.
 */
export async function headFile(
  fetchImpl: FetchLike,
  url: string,
  repo: string,
  options: { optional: boolean; signal?: AbortSignal },
): Promise<FileMetadata | null> {
  let response: Response;
  try {
    response = await fetchImpl(url, { method: 'HEAD', redirect: 'manual', signal: options.signal });
  } catch (error) {
    throw networkError(url, error, options.signal);
  }
  // In a browser a manual redirect is opaque (status 0, no headers): the file exists, its
  // LFS metadata is unreadable there (the tree API gives it instead, see hub-tree.ts).
  if (response.type === 'opaqueredirect') return {};
  if (response.status >= 300 && response.status < 400) return parseFileMetadata(response.headers);
  if (response.ok) return parseFileMetadata(response.headers);
  if (options.optional && response.status === 404 && response.headers.get('x-error-code') !== 'RepoNotFound') {
    return null;
  }
  throw httpError(response.status, url, repo, response.headers.get('x-error-code'));
}

export function networkError(url: string, error: unknown, signal?: AbortSignal): HubError {
  if (signal?.aborted) return new HubError('DownloadCancelled', 'Download cancelled.', { cause: error });
  if (error instanceof HubError) return error; // already typed (e.g. a stall from withIdleTimeout)
  const detail = error instanceof Error ? error.message : String(error);
  return new HubError(
    'HubNetworkError',
    `Could not reach ${new URL(url).origin} (${detail}). Check the connection or the hub endpoint (HF_ENDPOINT / mirror setting).`,
    { cause: error },
  );
}
