import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

/** Builds the benchmark page into .tmp/bench-browser (ignored by git); models are served by the driver. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  publicDir: false,
  logLevel: 'warn',
  build: { target: 'es2022', outDir: fileURLToPath(new URL('../../.tmp/bench-browser', import.meta.url)), emptyOutDir: true },
});
