/**
 * The Playground end to end in real Chromium (SwiftShader WebGPU and WASM) with the embedded
 * model: device detection, streamed runs with metrics and the token confidence heatmap, Stop,
 * typed failures and recovery, and the offline guarantee. Loading a model on the software adapter takes tens of seconds, so each
 * test is one fresh browser profile walking through several steps (reported as subtests).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { StaticServer } from './static-server';
import {
  answerText,
  chooseDevice,
  launchBrowser,
  metricNumber,
  openApp,
  repoRoot,
  readMetrics,
  requestsLeavingOrigin,
  selectEmbeddedModel,
  selectLocalModel,
  shownError,
  startAppServer,
  startPrompt,
  waitForModelReady,
  waitForRunEnd,
  type BrowserSession,
} from './harness';

// Short prompts and few tokens: generation on the software GPU adapter is slow.
const QUESTION = 'What is 12 + 7?';
const SHORT_RUN = { prompt: QUESTION, thinking: false, maxNewTokens: 12 };

let server: StaticServer;

before(async () => {
  server = await startAppServer();
});
after(async () => {
  await server.close();
});

/** Records the page's Content-Security-Policy violations (installed before the app loads). */
async function recordCspViolations(s: BrowserSession): Promise<() => Promise<string[]>> {
  await s.page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.effectiveDirective} blocked ${event.blockedURI}`));
  });
  return () => s.page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

/**
 * Opens the Playground in a fresh browser profile, runs `steps`, closes the browser. Every test
 * doubles as an offline check (nothing may leave the page's origin) and a Content-Security-Policy
 * check (the policy is in force and nothing the app does violates it).
 */
async function withPlayground(steps: (s: BrowserSession) => Promise<void>): Promise<void> {
  const s = await launchBrowser();
  try {
    const cspViolations = await recordCspViolations(s);
    await openApp(s.page, server.origin);
    const policy = await s.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.match(policy ?? '', /script-src 'self' 'wasm-unsafe-eval'/, 'the built page carries its Content-Security-Policy');
    await steps(s);
    assert.deepEqual(await cspViolations(), [], 'Content-Security-Policy violations');
    assert.deepEqual(s.consoleErrors.filter((line) => /Content Security Policy/i.test(line)), []);
    assert.deepEqual(requestsLeavingOrigin(s.requestedUrls, server.origin), [], 'requests left 127.0.0.1');
  } finally {
    await s.close();
  }
}

/** Installs a recorder of how the streamed text grows, to prove it arrives token by token. */
async function recordStreaming(s: BrowserSession): Promise<() => Promise<number>> {
  await s.page.evaluate(() => {
    const lengths = new Set<number>();
    const observer = new MutationObserver(() => {
      const thinking = document.querySelector('[data-testid="thinking-text"]')?.textContent ?? '';
      const answer = document.querySelector('[data-testid="answer-text"]')?.textContent ?? '';
      if (thinking || answer) lengths.add(thinking.length + answer.length);
    });
    observer.observe(document.body, { subtree: true, characterData: true, childList: true });
    (window as unknown as { streamedLengths: Set<number> }).streamedLengths = lengths;
  });
  return () => s.page.evaluate(() => (window as unknown as { streamedLengths: Set<number> }).streamedLengths.size);
}

/** Runs the short prompt and checks the streamed answer and every metric. */
async function runAndCheck(t: TestContext, s: BrowserSession, device: 'webgpu' | 'wasm'): Promise<void> {
  const streamedUpdates = await recordStreaming(s);
  await startPrompt(s.page, SHORT_RUN);
  await waitForRunEnd(s.page);
  assert.equal(await s.page.getByRole('alert').count(), 0, 'no error is shown');
  assert.match((await s.page.getByTestId('model-ready').textContent()) ?? '', new RegExp(device));
  const answer = await answerText(s.page);
  assert.ok(answer.length > 0, 'an answer was streamed');
  assert.ok((await streamedUpdates()) > 3, 'the text grew token by token, not all at once');
  const metrics = await readMetrics(s.page);
  assert.ok(metricNumber(metrics, 'Prompt tokens') > QUESTION.length, 'the prompt was templated and counted');
  assert.equal(metricNumber(metrics, 'Thinking tokens'), 0, 'thinking was off');
  assert.ok(metricNumber(metrics, 'Answer tokens') > 0);
  assert.ok(metricNumber(metrics, 'Time to first token') > 0);
  assert.ok(metricNumber(metrics, 'Decode rate') > 0);
  assert.ok(metricNumber(metrics, 'Total time') >= metricNumber(metrics, 'Time to first token'));
  t.diagnostic(`${device}: answer ${JSON.stringify(answer)}; ${JSON.stringify(metrics)}`);
}

/**
 * The per-token confidence heatmap of the last run (the Playground always asks for logprobs):
 * one coloured cell per generated token, and hovering one names it with its probability,
 * entropy and the top alternatives.
 */
async function checkHeatmap(t: TestContext, s: BrowserSession): Promise<void> {
  const metrics = await readMetrics(s.page);
  const card = s.page.locator('section.card', { has: s.page.getByRole('heading', { name: 'Token confidence' }) });
  const cells = card.getByTestId('heatmap-answer').locator('span');
  assert.equal(await cells.count(), metricNumber(metrics, 'Answer tokens'), 'one cell per answer token');
  const detail = card.getByTestId('token-detail');
  const line = async () => ((await detail.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  assert.match(await line(), /Hover a token/);
  // Tokens with something to see (a newline token has no box to hover).
  const visible = cells.filter({ hasText: /\S/ });
  const token = visible.nth(1);
  await token.hover();
  const shown = await line();
  // `"4" p = 93.1%, entropy 0.31 nats · "4" 93.1% · "5" 4.2% · …`: the Playground asks for the top 5.
  assert.ok(shown.startsWith(JSON.stringify(await token.textContent())), `names the hovered token: ${shown}`);
  assert.match(shown, /p = \d+(\.\d+)?%, entropy \d+\.\d\d nats/);
  const alternatives = shown.split(' · ').slice(1);
  assert.ok(alternatives.length >= 2 && alternatives.length <= 5, `lists the alternatives: ${shown}`);
  for (const alternative of alternatives) assert.match(alternative, /^".*" \d+(\.\d+)?%$/);
  await visible.first().hover();
  assert.notEqual(await line(), shown, 'another token, another line');
  t.diagnostic(`hovered: ${shown}`);
}

describe('Playground in Chromium', () => {
  it('the built app ships the embedded model and no test fixtures', () => {
    assert.ok(existsSync(join(repoRoot, 'dist/models/thinkbench/tinythink/config.json')));
    assert.ok(!existsSync(join(repoRoot, 'dist/models/test')), 'fixture models leaked into dist/');
  });

  it('on WebGPU: detects the adapter, loads the embedded model, streams a run, stops one, stays on 127.0.0.1', { timeout: 900_000 }, (t) =>
    withPlayground(async (s) => {

      await t.test('the page loads and detects the SwiftShader WebGPU adapter; WebGPU is chosen by hand', async () => {
        await s.page.getByLabel('Prompt', { exact: true }).waitFor();
        for (const name of ['Run', 'Stop']) await s.page.getByRole('button', { name, exact: true }).waitFor();
        await s.page.getByTestId('adapter-name').waitFor();
        assert.match((await s.page.getByTestId('adapter-name').textContent()) ?? '', /swiftshader/i);
        // Automatic passes the software adapter over (tests/e2e/first-run.test.ts); force it.
        await chooseDevice(s.page, 'webgpu');
        assert.equal(await s.page.getByTestId('device-in-use').textContent(), 'WebGPU');
        await s.page.getByRole('button', { name: 'Load model' }).click();
      });

      await t.test('the embedded model is selected and loads on WebGPU', async () => {
        await s.page.getByTestId('model-ready').filter({ hasText: 'webgpu' }).waitFor({ timeout: 300_000 });
        const ready = await waitForModelReady(s.page);
        assert.match(ready, /thinkbench\/tinythink/);
      });

      await t.test('a prompt streams its answer with metrics', (tt) => runAndCheck(tt, s, 'webgpu'));

      await t.test('Stop halts generation promptly and keeps what was produced', async (tt) => {
        await startPrompt(s.page, { prompt: 'What is 12 + 34 - 5 + 67 - 8 + 90?', thinking: true, maxNewTokens: 400 });
        await s.page.getByTestId('thinking-text').waitFor({ timeout: 120_000 });
        const clickedAt = Date.now();
        await s.page.getByRole('button', { name: 'Stop', exact: true }).click();
        await waitForRunEnd(s.page, 30_000);
        const stopMs = Date.now() - clickedAt;
        const metrics = await readMetrics(s.page);
        assert.match(metrics['Finish reason'] ?? '', /aborted/);
        const kept = ((await s.page.getByTestId('thinking-text').textContent()) ?? '').trim();
        assert.ok(kept.length > 0, 'the chain produced before Stop is kept');
        const generated = metricNumber(metrics, 'Thinking tokens') + metricNumber(metrics, 'Answer tokens');
        assert.ok(generated < 400, `stopped early (${generated} tokens)`);
        // One decode step on the software adapter is well under a second; allow for a loaded machine.
        assert.ok(stopMs < 10_000, `stopped ${stopMs} ms after the click`);
        tt.diagnostic(`stopped after ${generated} tokens, ${stopMs} ms after the click`);
      });

      await t.test('the ONNX runtime and the model came from the app; nothing left 127.0.0.1', () => {
        assert.deepEqual(requestsLeavingOrigin(s.requestedUrls, server.origin), []);
        const served = server.requests.map((request) => request.path);
        assert.ok(served.some((path) => /ort-wasm-simd-threaded\.asyncify.*\.wasm$/.test(path)), 'runtime wasm served by the app');
        assert.ok(served.some((path) => path.startsWith('/models/thinkbench/tinythink/onnx/')), 'weights served by the app');
      });
    }));

  it('on WASM when forced: streams a run with metrics and a token confidence heatmap', { timeout: 600_000 }, (t) =>
    withPlayground(async (s) => {
      await chooseDevice(s.page, 'wasm');
      assert.equal(await s.page.getByTestId('device-in-use').textContent(), 'WASM');
      await runAndCheck(t, s, 'wasm');
      await checkHeatmap(t, s);
    }));

  it('failures: typed errors naming model and file, a replaced worker, then the good model runs', { timeout: 600_000 }, (t) =>
    withPlayground(async (s) => {
      // WASM loads fastest; the failures are the same on either device.
      await chooseDevice(s.page, 'wasm');

      await t.test('a corrupt weights file', async () => {
        await selectLocalModel(s.page, 'test/broken-model');
        await startPrompt(s.page, SHORT_RUN);
        const error = await shownError(s.page);
        await waitForRunEnd(s.page);
        assert.equal(error.name, 'ModelFileError', error.text);
        assert.match(error.text, /test\/broken-model/);
        assert.match(error.text, /onnx\/model(_quantized)?\.onnx/, 'names the weights file for the chosen dtype');
      });

      await t.test('a missing weights file', async () => {
        await selectLocalModel(s.page, 'test/missing-weights');
        await startPrompt(s.page, SHORT_RUN);
        const error = await shownError(s.page);
        await waitForRunEnd(s.page);
        assert.equal(error.name, 'ModelFileError', error.text);
        assert.match(error.text, /test\/missing-weights/);
        assert.match(error.text, /onnx\/model(_quantized)?\.onnx/, 'names the weights file for the chosen dtype');
      });

      await t.test('an unsupported architecture', async () => {
        await selectLocalModel(s.page, 'test/unsupported-arch');
        await startPrompt(s.page, SHORT_RUN);
        const error = await shownError(s.page);
        await waitForRunEnd(s.page);
        assert.equal(error.name, 'UnsupportedArchitectureError', error.text);
        assert.match(error.text, /test\/unsupported-arch/);
      });

      await t.test("the next run on the embedded model succeeds, from the app's files, not a stale cached copy", async () => {
        // What a copy cached before the folder was rebuilt looks like to Transformers.js: entries
        // keyed by the files' paths under /models/. If the loader read them, this load would fail.
        await s.page.evaluate(async () => {
          const cache = await caches.open('transformers-cache');
          for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx']) {
            await cache.put(`/models/thinkbench/tinythink/${file}`, new Response('stale'));
          }
        });
        await selectEmbeddedModel(s.page);
        await startPrompt(s.page, SHORT_RUN);
        await waitForRunEnd(s.page);
        assert.equal(await s.page.getByRole('alert').count(), 0, 'the error is gone');
        assert.ok((await answerText(s.page)).length > 0, 'the good model answers in the replaced worker');
      });
    }));
});
