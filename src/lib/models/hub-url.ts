/**
 * Hub addresses. The hub serves every file of a repo at
 * `{endpoint}/{repo}/resolve/{revision}/{path}`; a mirror (HF_ENDPOINT) serves the same paths.
 * Transformers.js builds the same URL from `env.remoteHost` + `{model}/resolve/{revision}/`,
 * and uses it as the Cache Storage key, so the browser download must build it identically.
 */
export const DEFAULT_HUB_ENDPOINT = 'https://huggingface.co';

/** `owner/name`, each part letters, digits, `-`, `_`, `.` (the hub's own rule, no `..`). */
const HUB_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function isValidHubId(id: string): boolean {
  return HUB_ID.test(id) && !id.includes('..') && id.length <= 96;
}

/** Strips trailing slashes so `https://hf-mirror.com/` and `https://hf-mirror.com` agree. */
export function normalizeEndpoint(endpoint: string): string {
  const trimmed = endpoint.trim().replace(/\/+$/, '');
  const url = new URL(trimmed); // throws a TypeError naming the bad URL
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`Hub endpoint must be http(s), got ${endpoint}`);
  }
  return trimmed;
}

/**
 * Whether the page may talk to this hub host: index.html's Content-Security-Policy allows
 * connections to https hosts and to http only on this machine (a local mirror). The CLI has no
 * such limit.
 */
export function pageMayConnectTo(endpoint: string): boolean {
  const url = new URL(normalizeEndpoint(endpoint));
  return url.protocol === 'https:' || url.hostname === '127.0.0.1' || url.hostname === 'localhost';
}

export function resolveUrl(endpoint: string, repo: string, revision: string, path: string): string {
  return `${normalizeEndpoint(endpoint)}/${repo}/resolve/${encodeURIComponent(revision)}/${path}`;
}

/** The value for Transformers.js `env.remoteHost` that makes it request the same URLs. */
export function remoteHostFor(endpoint: string): string {
  return `${normalizeEndpoint(endpoint)}/`;
}
