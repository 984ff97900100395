/** Builds the benchmark pages (bench/browser/) for the Chromium benchmarks; returns the folder to serve. */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { repoRoot } from '../tests/e2e/harness';

export function buildBenchPages(): string {
  const built = spawnSync(process.execPath, [resolve(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'bench/browser/vite.config.ts'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  if (built.status !== 0) throw new Error('building the benchmark pages failed');
  return resolve(repoRoot, '.tmp/bench-browser');
}
