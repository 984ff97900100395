import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { headersFor, readHeadersFile } from './tools/headers-file.ts';

/**
 * Vite's dev server answers a missing file with index.html and status 200, so a model file
 * that isn't there would surface as "protobuf parsing failed" or a JSON error. Under /models/
 * answer 404 instead, as any static server does, so the app names the missing file.
 */
function modelsNotFound(): Plugin {
  return {
    name: 'thinkbench-models-404',
    configureServer(server) {
      const publicDir = server.config.publicDir;
      server.middlewares.use((request, response, next) => {
        const path = decodeURIComponent((request.url ?? '').split('?', 1)[0] ?? '');
        if (!path.startsWith('/models/')) return next();
        const file = join(publicDir, path);
        if (existsSync(file) && statSync(file).isFile()) return next();
        response.statusCode = 404;
        response.end('not found');
      });
    },
  };
}

/** The name src/lib/models/local-models.ts (SERVED_MODELS_FILE) reads under models/. */
const SERVED_MODELS_FILE = 'served.json';

/**
 * The models the app itself serves: every `<owner>/<name>/` under public/models/ holding a
 * config.json (the embedded model, anything `thinkbench pull` wrote), as `{ "models": [ids] }`.
 * The Models page asks the server only about these instead of probing each catalog id's
 * config.json (a 404 apiece).
 */
function servedModelsJson(modelsDir: string): string {
  const subdirs = (path: string) => readdirSync(path).filter((name) => statSync(join(path, name)).isDirectory());
  const ids = existsSync(modelsDir)
    ? subdirs(modelsDir).flatMap((owner) =>
        subdirs(join(modelsDir, owner))
          .filter((name) => existsSync(join(modelsDir, owner, name, 'config.json')))
          .map((name) => `${owner}/${name}`),
      )
    : [];
  return `${JSON.stringify({ models: ids.sort() })}\n`;
}

/**
 * models/served.json: emitted into the build, and answered live by the dev server (so a
 * `thinkbench pull` shows up without a restart).
 */
function servedModels(): Plugin {
  let publicDir = '';
  return {
    name: 'thinkbench-served-models',
    configResolved(config) {
      publicDir = config.publicDir;
    },
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        if ((request.url ?? '').split('?', 1)[0] !== `/models/${SERVED_MODELS_FILE}`) return next();
        response.setHeader('content-type', 'application/json');
        response.end(servedModelsJson(join(publicDir, 'models')));
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: `models/${SERVED_MODELS_FILE}`, source: servedModelsJson(join(publicDir, 'models')) });
    },
  };
}

/**
 * The dev and preview servers send the headers of public/_headers, as the static hosts that read
 * that file do: cross-origin isolation, so WASM runs multi-threaded in development too. Read per
 * request, so an edit shows without a restart.
 */
function staticHostHeaders(): Plugin {
  let file = '';
  const middleware = (request: { url?: string }, response: { setHeader(name: string, value: string): void }, next: () => void) => {
    const path = (request.url ?? '/').split('?', 1)[0] ?? '/';
    for (const [name, value] of Object.entries(headersFor(readHeadersFile(file), path))) response.setHeader(name, value);
    next();
  };
  return {
    name: 'thinkbench-static-host-headers',
    configResolved(config) {
      file = join(config.publicDir, '_headers');
    },
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
  };
}

export default defineConfig({
  plugins: [svelte(), staticHostHeaders(), servedModels(), modelsNotFound()],
  worker: { format: 'es' },
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  preview: { host: '127.0.0.1', port: 4173 },
  build: { target: 'es2022' },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/model/**/*.test.ts', 'tests/tools/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
