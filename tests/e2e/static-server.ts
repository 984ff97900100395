/**
 * A tiny static file server for the end-to-end tests: serves the built app (dist/) on
 * 127.0.0.1, plus test-only folders mounted at URL prefixes (fixture models that must never
 * ship with the app). Missing files get a real 404 — not index.html — so a missing model file
 * looks to the app exactly as it would on a production static server; like Netlify or Cloudflare
 * Pages it can apply a `_headers` file (the app's cross-origin isolation). Every request is recorded.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { headersFor, type HeaderRule } from '../../tools/headers-file';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.onnx_data': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticServerOptions {
  /** Folder served at `/`. */
  root: string;
  /** URL prefix (e.g. `/models/test/`) → folder, checked before `root`. */
  mounts?: Record<string, string>;
  /** Headers per URL path, as a static host applies a `_headers` file (tools/headers-file.ts). */
  headerRules?: HeaderRule[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
  /** Epoch ms when the request arrived and when its response was written. */
  receivedAt: number;
  servedAt: number;
}

export interface StaticServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  origin: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Maps a URL path to a file inside one of the served folders; null when it would escape them. */
function resolvePath(urlPath: string, options: StaticServerOptions): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  for (const [prefix, folder] of Object.entries(options.mounts ?? {})) {
    if (decoded.startsWith(prefix)) return inside(folder, decoded.slice(prefix.length));
  }
  return inside(options.root, decoded === '/' ? 'index.html' : decoded);
}

function inside(folder: string, relative: string): string | null {
  const base = resolve(folder);
  const full = normalize(join(base, relative));
  return full === base || full.startsWith(base + sep) ? full : null;
}

async function handle(request: IncomingMessage, response: ServerResponse, options: StaticServerOptions): Promise<number> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405).end();
    return 405;
  }
  const file = resolvePath(url.pathname, options);
  const info = file ? await stat(file).catch(() => null) : null;
  for (const [name, value] of Object.entries(headersFor(options.headerRules ?? [], url.pathname))) response.setHeader(name, value);
  if (!file || !info?.isFile()) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return 404;
  }
  response.writeHead(200, {
    'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': 'no-store',
  });
  if (request.method === 'HEAD') {
    response.end();
  } else {
    createReadStream(file).pipe(response);
  }
  return 200;
}

export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    const receivedAt = Date.now();
    const record = (status: number) => ({ method: request.method ?? '?', path: request.url ?? '', status, receivedAt, servedAt: Date.now() });
    handle(request, response, options).then(
      (status) => requests.push(record(status)),
      (error: unknown) => {
        requests.push(record(500));
        if (!response.headersSent) response.writeHead(500);
        response.end(String(error));
      },
    );
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}
