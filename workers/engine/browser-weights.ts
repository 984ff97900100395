/**
 * The weights fingerprint in the browser (see src/lib/models/weights-fingerprint.ts for what is
 * trusted and why): for each file the worker loaded, headers from Cache Storage, where
 * Transformers.js keeps hub downloads (no network, so it works offline), else a HEAD request to
 * where the file was served; bytes are hashed only when neither gives an ETag / Last-Modified.
 * A multi-GB ONNX is therefore never read twice when the server tags it, which the hub and
 * static servers do.
 */
import { TRANSFORMERS_CACHE } from '../../src/lib/models/model-cache';
import {
  fileIdentity,
  weightsFingerprint,
  type FileSources,
  type HeaderLike,
} from '../../src/lib/models/weights-fingerprint';

export interface WeightsLocation {
  modelId: string;
  /** Where the app serves local models, e.g. '/models/'. */
  localModelPath: string;
  /** The hub, when remote models are allowed (e.g. 'https://huggingface.co/'). */
  remoteHost: string | null;
}

export function fileUrls(location: WeightsLocation, file: string, base: string): string[] {
  const urls = [new URL(`${location.localModelPath}${location.modelId}/${file}`, base).href];
  if (location.remoteHost) urls.unshift(new URL(`${location.modelId}/resolve/main/${file}`, location.remoteHost).href);
  return urls;
}

export const browserFileSources: FileSources = {
  async cachedHeaders(url) {
    if (typeof caches === 'undefined') return null;
    const cache = await caches.open(TRANSFORMERS_CACHE);
    const response = await cache.match(url);
    return response ? (response.headers as HeaderLike) : null;
  },
  async headHeaders(url) {
    try {
      const response = await fetch(url, { method: 'HEAD' });
      return response.ok ? response.headers : null;
    } catch {
      return null; // offline, or not served here
    }
  },
  async bytes(url) {
    try {
      const response = await fetch(url);
      return response.ok ? await response.arrayBuffer() : null;
    } catch {
      return null;
    }
  },
};

export async function browserWeightsFingerprint(
  location: WeightsLocation,
  files: readonly string[],
  sources: FileSources = browserFileSources,
  base: string = globalThis.location?.href ?? 'http://localhost/',
): Promise<string> {
  const identities = [];
  for (const file of new Set(files)) identities.push(await fileIdentity(file, fileUrls(location, file, base), sources));
  return weightsFingerprint(identities);
}
