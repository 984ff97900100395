import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

/**
 * Builds the benchmark pages into .tmp/bench-browser (ignored by git); models are served by the
 * drivers: index.html (bench/browser-bench.ts) and real-scale.html (bench/browser-real-scale.ts).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  publicDir: false,
  logLevel: 'warn',
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: fileURLToPath(new URL('../../.tmp/bench-browser', import.meta.url)),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('index.html', import.meta.url)),
        'real-scale': fileURLToPath(new URL('real-scale.html', import.meta.url)),
      },
    },
  },
});
