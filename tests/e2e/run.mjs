#!/usr/bin/env node
// `npm run test:e2e`: builds the app, then runs the end-to-end tests (tests/e2e/*.test.ts) with
// node's test runner, one file at a time (each launches Chromium; the machine has few cores).
//   node tests/e2e/run.mjs [test files…]     run only these files
//   THINKBENCH_E2E_SKIP_BUILD=1               reuse the existing dist/ (while iterating)
//   THINKBENCH_E2E_DEBUG=1                    echo the browser console
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const chromium = process.env.THINKBENCH_CHROMIUM ?? '/usr/bin/chromium';

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

if (!existsSync(chromium)) {
  console.error(`e2e: Chromium not found at ${chromium}. Install Debian's chromium (apt-get install chromium).`);
  process.exit(1);
}

if (process.env.THINKBENCH_E2E_SKIP_BUILD !== '1') {
  const built = run(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn']);
  if (built !== 0) process.exit(built);
}

const e2eDir = join(root, 'tests/e2e');
const requested = process.argv.slice(2);
const files = requested.length
  ? requested
  : readdirSync(e2eDir)
      .filter((name) => name.endsWith('.test.ts'))
      .sort()
      .map((name) => relative(root, join(e2eDir, name)));

const startedAt = Date.now();
const status = run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files]);
console.log(`e2e: ${files.length} file(s) in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
process.exit(status);
