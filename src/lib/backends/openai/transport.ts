/**
 * One POST to the server with the API key, retried with exponential backoff when the server is
 * busy (429) or failing (5xx) — each retry reported through `onRetry`, never silent — and
 * cancelled by the caller's AbortSignal (during the request and during a backoff wait).
 */
import { RemoteHttpError, RemoteNetworkError } from './errors';
import { abortReason } from './limiter';
import { errorMessageOf } from './wire';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** The first wait; each later wait doubles (a server's Retry-After wins when longer). */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 20_000 };

export interface RetryNotice {
  url: string;
  status: number;
  attempt: number;
  delayMs: number;
}

export interface Connection {
  /** Ends in `/v1` (no trailing slash), e.g. `http://127.0.0.1:8000/v1`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …` to this server only. */
  apiKey?: string;
  fetch?: FetchLike;
  retry?: RetryPolicy;
  onRetry?: (notice: RetryNotice) => void;
}

/** `http://host:8000/v1/` or `http://host:8000` → `http://host:8000/v1`. */
export function normalizeBaseUrl(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, '');
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    throw new TypeError(`"${url}" is not a URL; expected something like http://127.0.0.1:8000/v1`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError(`"${url}" must start with http:// or https://`);
  return /\/v\d+$/.test(trimmed) ? trimmed : `${trimmed}/v1`;
}

const RETRYABLE = (status: number) => status === 429 || status >= 500;

export async function request(
  connection: Connection,
  path: string,
  init: { method: 'GET' } | { method: 'POST'; body: unknown },
  signal?: AbortSignal,
): Promise<Response> {
  const url = `${connection.baseUrl}${path}`;
  const doFetch = connection.fetch ?? ((input, options) => globalThis.fetch(input, options));
  const policy = connection.retry ?? DEFAULT_RETRY;
  const headers: Record<string, string> = { accept: 'application/json, text/event-stream' };
  if (init.method === 'POST') headers['content-type'] = 'application/json';
  if (connection.apiKey) headers.authorization = `Bearer ${connection.apiKey}`;
  for (let attempt = 1; ; attempt += 1) {
    signal?.throwIfAborted();
    let response: Response;
    try {
      response = await doFetch(url, {
        method: init.method,
        headers,
        ...(init.method === 'POST' ? { body: JSON.stringify(init.body) } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      throw new RemoteNetworkError(url, error instanceof Error ? error.message : String(error), typeof document !== 'undefined');
    }
    if (response.ok) return response;
    const body = await response.text();
    if (!RETRYABLE(response.status) || attempt >= policy.attempts) {
      throw new RemoteHttpError(response.status, errorMessageOf(body), url);
    }
    const delayMs = backoffMs(policy, attempt, response.headers.get('retry-after'));
    connection.onRetry?.({ url, status: response.status, attempt, delayMs });
    await sleep(delayMs, signal);
  }
}

export function backoffMs(policy: RetryPolicy, attempt: number, retryAfter: string | null): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(policy.maxDelayMs, Math.max(exponential, seconds * 1000)) : exponential;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
