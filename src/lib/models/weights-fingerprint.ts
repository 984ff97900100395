/**
 * What identifies the model files a generation came from, for the generation cache's key: a
 * retrained model keeps its id and dtype, so a key of id + dtype served the old weights' outputs.
 *
 * Per file, the cheapest identity that changes whenever the file does, in this order:
 *   1. the hub's `x-linked-etag`: the SHA-256 of an LFS file's content, computed by the hub;
 *   2. the server's `ETag`, else `Last-Modified`, each with the size: static servers (Vite, sirv,
 *      nginx) derive them from size and modification time, so a rewritten file gets new ones;
 *   3. else the SHA-256 of the bytes, read once more (costly for a large ONNX, so only when the
 *      server gives nothing better).
 * The headers are read from Cache Storage when Transformers.js cached the file (no network: the
 * stored response keeps the headers it was downloaded with), else from a HEAD request. The
 * fingerprint is the SHA-256 of all files' identities. A false *miss* (a touched but unchanged
 * file) only recomputes; a false *hit* would need a rewritten file with the same size and
 * timestamp — or the same content, which is no harm.
 */
import { canonicalJson } from '../experiments/cache';

export interface FileIdentity {
  file: string;
  kind: 'content-sha256' | 'etag' | 'last-modified' | 'bytes-sha256';
  value: string;
  bytes: number | null;
}

export interface HeaderLike {
  get(name: string): string | null;
}

/** The identity headers give, or null when they give none. */
export function identityFromHeaders(file: string, headers: HeaderLike): FileIdentity | null {
  const size = Number(headers.get('x-linked-size') ?? headers.get('content-length'));
  const bytes = Number.isFinite(size) && size > 0 ? size : null;
  const linked = headers.get('x-linked-etag');
  if (linked) return { file, kind: 'content-sha256', value: unquote(linked), bytes };
  const etag = headers.get('etag');
  if (etag) return { file, kind: 'etag', value: etag, bytes };
  const modified = headers.get('last-modified');
  if (modified) return { file, kind: 'last-modified', value: modified, bytes };
  return null;
}

function unquote(etag: string): string {
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '');
}

/** Where a file's headers and bytes can be read (Cache Storage, HEAD, GET in the browser). */
export interface FileSources {
  /** Headers of a stored response for `url`, without going to the network; null if not stored. */
  cachedHeaders(url: string): Promise<HeaderLike | null>;
  /** Headers of a HEAD request; null when it fails. */
  headHeaders(url: string): Promise<HeaderLike | null>;
  /** The file's bytes; null when it cannot be read. */
  bytes(url: string): Promise<ArrayBuffer | null>;
}

export class WeightsUnknownError extends Error {
  override readonly name = 'WeightsUnknownError';
}

/** One file's identity from the first of its URLs that gives one. */
export async function fileIdentity(file: string, urls: readonly string[], sources: FileSources): Promise<FileIdentity> {
  for (const read of [sources.cachedHeaders, sources.headHeaders]) {
    for (const url of urls) {
      const headers = await read.call(sources, url);
      const identity = headers ? identityFromHeaders(file, headers) : null;
      if (identity) return identity;
    }
  }
  for (const url of urls) {
    const body = await sources.bytes(url);
    if (body) return { file, kind: 'bytes-sha256', value: await sha256Hex(body), bytes: body.byteLength };
  }
  throw new WeightsUnknownError(`cannot identify ${file}: no headers and no bytes at ${urls.join(', ')}`);
}

/** The fingerprint of a model's files: order-independent, a short hex string. */
export async function weightsFingerprint(identities: readonly FileIdentity[]): Promise<string> {
  const sorted = [...identities].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return (await sha256Hex(new TextEncoder().encode(canonicalJson(sorted)))).slice(0, 32);
}

export async function sha256Hex(data: ArrayBuffer | Uint8Array): Promise<string> {
  const view = data instanceof Uint8Array ? data : new Uint8Array(data);
  const digest = await crypto.subtle.digest('SHA-256', view as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
