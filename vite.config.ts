import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { SERVED_MODELS_FILE, servedModelsJson } from './tools/build/served-models';

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

/**
 * models/served.json, the list of models public/models/ holds (tools/build/served-models.ts):
 * emitted into the build, and answered live by the dev server (so a `thinkbench pull` shows up
 * without a restart).
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

export default defineConfig({
  plugins: [svelte(), servedModels(), modelsNotFound()],
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
