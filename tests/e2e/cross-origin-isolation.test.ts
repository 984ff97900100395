/**
 * Cross-origin isolation end to end: the app served with its public/_headers (COOP/COEP, as a
 * static host sends them) is cross-origin isolated and its worker runs ONNX Runtime's WASM on the
 * threads the policy picks (half the cores); served without them it runs on one, and says why. The Vite dev and
 * preview servers send the same headers. (Hub downloads under COEP: models.test.ts, whose fake
 * hub sends CORS but no Cross-Origin-Resource-Policy, runs against the isolated app server.)
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { createServer, preview } from 'vite';
import { chooseWasmThreads } from '../../src/client/wasm-threads';
import { headersFor, readHeadersFile } from '../../tools/headers-file';
import {
  answerText,
  chooseDevice,
  launchBrowser,
  openApp,
  repoRoot,
  selectEmbeddedModel,
  startAppServer,
  startPrompt,
  waitForModelReady,
  waitForRunEnd,
} from './harness';
import { startStaticServer, type StaticServer } from './static-server';

const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

let isolated: StaticServer;
let plain: StaticServer;

before(async () => {
  isolated = await startAppServer();
  plain = await startStaticServer({ root: join(repoRoot, 'dist') });
});
after(async () => {
  await isolated.close();
  await plain.close();
});

interface ThreadsSeen {
  crossOriginIsolated: boolean;
  cores: number;
  /** What the Device panel says before a model loads, and why. */
  panel: number;
  reason: string;
  /** What the worker reported after loading (ONNX Runtime's thread count once started). */
  ready: string;
  /** ONNX Runtime's thread pool: emscripten starts threads − 1 workers from blob: URLs. */
  threadWorkers: number;
  answer: string;
}

/** Opens the Playground on `origin`, loads the embedded model on WASM and runs a short prompt. */
async function runOnWasm(t: TestContext, origin: string): Promise<ThreadsSeen> {
  const s = await launchBrowser();
  try {
    await openApp(s.page, origin);
    await chooseDevice(s.page, 'wasm');
    const panel = Number(await s.page.getByTestId('wasm-threads').textContent());
    const reason = (await s.page.getByTestId('threads-reason').textContent()) ?? '';
    await selectEmbeddedModel(s.page);
    await waitForModelReady(s.page);
    const ready = (await s.page.getByTestId('model-threads').textContent()) ?? '';
    await startPrompt(s.page, { prompt: 'What is 12 + 7?', thinking: false, maxNewTokens: 12 });
    await waitForRunEnd(s.page);
    assert.equal(await s.page.getByRole('alert').count(), 0, 'no error is shown');
    assert.deepEqual(s.consoleErrors, [], 'console errors');
    const seen: ThreadsSeen = {
      crossOriginIsolated: await s.page.evaluate(() => crossOriginIsolated),
      cores: await s.page.evaluate(() => navigator.hardwareConcurrency),
      panel,
      reason,
      ready,
      threadWorkers: s.page.workers().filter((worker) => worker.url().startsWith('blob:')).length,
      answer: await answerText(s.page),
    };
    t.diagnostic(JSON.stringify(seen));
    return seen;
  } finally {
    await s.close();
  }
}

describe('cross-origin isolation', () => {
  it('public/_headers isolates every path of the app', () => {
    const rules = readHeadersFile(join(repoRoot, 'public/_headers'));
    for (const path of ['/', '/index.html', '/assets/inference.worker.js', '/models/thinkbench/tinythink/onnx/model.onnx']) {
      const headers = Object.fromEntries(Object.entries(headersFor(rules, path)).map(([name, value]) => [name.toLowerCase(), value]));
      assert.deepEqual(headers, ISOLATION, path);
    }
  });

  it('with the headers: the page is isolated and WASM runs on half the cores', { timeout: 600_000 }, async (t) => {
    const seen = await runOnWasm(t, isolated.origin);
    assert.equal(seen.crossOriginIsolated, true);
    // The policy itself is unit-tested (tests/unit/wasm-threads.test.ts); here: the page, the
    // worker and ONNX Runtime agree on it. On a 2-core machine that is 1 thread (no thread workers).
    const expected = chooseWasmThreads({ crossOriginIsolated: true, navigator: { hardwareConcurrency: seen.cores } }).threads;
    assert.equal(seen.panel, expected, 'the Device panel says half the cores');
    assert.match(seen.reason, /page is cross-origin isolated/);
    assert.equal(seen.ready, `${expected} thread${expected === 1 ? '' : 's'}`, 'the worker reports the threads ONNX Runtime started');
    assert.equal(seen.threadWorkers, expected - 1, 'ONNX Runtime started its thread workers');
    assert.ok(seen.answer.length > 0, 'the model answered on the threaded runtime');
  });

  it('without them: one thread, and the panel says why', { timeout: 600_000 }, async (t) => {
    const seen = await runOnWasm(t, plain.origin);
    assert.equal(seen.crossOriginIsolated, false);
    assert.equal(seen.panel, 1);
    assert.match(seen.reason, /not cross-origin isolated.*COOP\/COEP/);
    assert.equal(seen.ready, '1 thread');
    assert.equal(seen.threadWorkers, 0);
    assert.ok(seen.answer.length > 0);
  });

  it('the Vite dev and preview servers send the headers', { timeout: 120_000 }, async () => {
    const configFile = join(repoRoot, 'vite.config.ts');
    const dev = await createServer({ configFile, logLevel: 'silent', server: { port: 0, strictPort: false } });
    await dev.listen();
    const previewServer = await preview({ configFile, logLevel: 'silent', preview: { port: 0, strictPort: false } });
    try {
      for (const url of [dev.resolvedUrls?.local[0], previewServer.resolvedUrls?.local[0]]) {
        assert.ok(url, 'the server has a local URL');
        const response = await fetch(url);
        assert.equal(response.status, 200, url);
        for (const [name, value] of Object.entries(ISOLATION)) assert.equal(response.headers.get(name), value, `${name} from ${url}`);
      }
    } finally {
      await dev.close();
      await new Promise<void>((resolve) => previewServer.httpServer.close(() => resolve()));
    }
  });
});
