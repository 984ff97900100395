/**
 * The Playground end to end in real Chromium (SwiftShader WebGPU and WASM) with the embedded
 * model: device detection, streamed runs with metrics, Stop, typed failures and recovery, and
 * the offline guarantee.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it, type TestContext } from 'node:test';
import type { StaticServer } from './static-server';
import {
  answerText,
  chooseDevice,
  launchBrowser,
  metricNumber,
  openApp,
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
const SHORT_RUN = { prompt: QUESTION, thinking: false, maxNewTokens: 24 };

let server: StaticServer;
let session: BrowserSession | null = null;

before(async () => {
  server = await startAppServer();
});
after(async () => {
  await server.close();
});
afterEach(async () => {
  // Every test doubles as an offline check: nothing may leave the page's origin.
  if (session) {
    const leaked = requestsLeavingOrigin(session.requestedUrls, server.origin);
    await session.close();
    session = null;
    assert.deepEqual(leaked, [], 'requests left 127.0.0.1');
  }
});

async function openPlayground(): Promise<BrowserSession> {
  session = await launchBrowser();
  await openApp(session.page, server.origin);
  return session;
}

/** Installs a recorder of how the streamed text grows, to prove it arrives token by token. */
async function recordStreaming(s: BrowserSession): Promise<() => Promise<number>> {
  await s.page.evaluate(() => {
    const lengths = new Set<number>();
    const main = document.querySelector('main');
    const observer = new MutationObserver(() => {
      const thinking = document.querySelector('[data-testid="thinking-text"]')?.textContent ?? '';
      const answer = document.querySelector('[data-testid="answer-text"]')?.textContent ?? '';
      if (thinking || answer) lengths.add(thinking.length + answer.length);
    });
    if (main) observer.observe(main, { subtree: true, characterData: true, childList: true });
    (window as unknown as { streamedLengths: Set<number> }).streamedLengths = lengths;
  });
  return () => s.page.evaluate(() => (window as unknown as { streamedLengths: Set<number> }).streamedLengths.size);
}

async function runAndCheck(t: TestContext, s: BrowserSession, device: 'webgpu' | 'wasm'): Promise<void> {
  const streamedUpdates = await recordStreaming(s);
  await startPrompt(s.page, SHORT_RUN);
  await waitForRunEnd(s.page);
  assert.equal(await s.page.getByRole('alert').count(), 0, 'no error is shown');
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
  assert.match(await s.page.getByTestId('model-ready').textContent() ?? '', new RegExp(device));
  t.diagnostic(`${device}: answer ${JSON.stringify(answer)}; ${JSON.stringify(metrics)}`);
}

describe('Playground in Chromium', { timeout: 600_000 }, () => {
  it('loads with the embedded model ready on the detected SwiftShader WebGPU adapter', async () => {
    const s = await openPlayground();
    assert.equal(await s.page.getByTestId('device-in-use').textContent(), 'WebGPU');
    assert.match((await s.page.getByTestId('adapter-name').textContent()) ?? '', /swiftshader/i);
    const ready = await waitForModelReady(s.page);
    assert.match(ready, /thinkbench\/tinythink/);
    assert.match(ready, /webgpu/);
    await s.page.getByLabel('Prompt', { exact: true }).waitFor();
    for (const name of ['Run', 'Stop']) await s.page.getByRole('button', { name, exact: true }).waitFor();
  });

  it('runs a prompt on WebGPU and streams the answer with its metrics', async (t) => {
    const s = await openPlayground();
    await waitForModelReady(s.page);
    await runAndCheck(t, s, 'webgpu');
  });

  it('runs a prompt on WASM when forced', async (t) => {
    const s = await openPlayground();
    await chooseDevice(s.page, 'wasm');
    await runAndCheck(t, s, 'wasm');
    assert.equal(await s.page.getByTestId('device-in-use').textContent(), 'WASM');
  });

  it('Stop halts generation promptly and keeps what was produced', async (t) => {
    const s = await openPlayground();
    await waitForModelReady(s.page);
    await startPrompt(s.page, { prompt: 'What is 12 + 34 - 5 + 67 - 8 + 90?', thinking: true, maxNewTokens: 400 });
    await s.page.getByTestId('thinking-text').waitFor({ timeout: 120_000 });
    const stoppedAt = Date.now();
    await s.page.getByRole('button', { name: 'Stop', exact: true }).click();
    await waitForRunEnd(s.page, 30_000);
    const stopMs = Date.now() - stoppedAt;
    const metrics = await readMetrics(s.page);
    assert.match(metrics['Finish reason'] ?? '', /aborted/);
    const kept = ((await s.page.getByTestId('thinking-text').textContent()) ?? '').trim();
    assert.ok(kept.length > 0, 'the chain produced before Stop is kept');
    const generated = metricNumber(metrics, 'Thinking tokens') + metricNumber(metrics, 'Answer tokens');
    assert.ok(generated < 400, `stopped early (${generated} tokens)`);
    t.diagnostic(`stopped after ${generated} tokens, ${stopMs} ms after the click`);
  });

  it('shows a typed error naming the model and file for a corrupt model, then runs the good model', async () => {
    const s = await openPlayground();
    await waitForModelReady(s.page);
    await selectLocalModel(s.page, 'test/broken-model');
    await startPrompt(s.page, SHORT_RUN);
    const error = await shownError(s.page);
    assert.equal(error.name, 'ModelFileError');
    assert.match(error.text, /test\/broken-model/);
    assert.match(error.text, /onnx\/model\.onnx/);
    await waitForRunEnd(s.page);

    await selectEmbeddedModel(s.page);
    await startPrompt(s.page, SHORT_RUN);
    await waitForRunEnd(s.page);
    assert.equal(await s.page.getByRole('alert').count(), 0, 'the error is gone');
    assert.ok((await answerText(s.page)).length > 0, 'the good model answers in the replaced worker');
  });

  it('names a missing weights file and an unsupported architecture', async () => {
    const s = await openPlayground();
    await waitForModelReady(s.page);
    await selectLocalModel(s.page, 'test/missing-weights');
    await startPrompt(s.page, SHORT_RUN);
    const missing = await shownError(s.page);
    assert.equal(missing.name, 'ModelFileError');
    assert.match(missing.text, /test\/missing-weights/);
    assert.match(missing.text, /model\.onnx/);
    await waitForRunEnd(s.page);

    await selectLocalModel(s.page, 'test/unsupported-arch');
    await startPrompt(s.page, SHORT_RUN);
    const unsupported = await shownError(s.page);
    assert.equal(unsupported.name, 'UnsupportedArchitectureError');
    assert.match(unsupported.text, /test\/unsupported-arch/);
  });

  it('keeps every request on 127.0.0.1 and serves the ONNX runtime from the app', async () => {
    const s = await openPlayground();
    await waitForModelReady(s.page);
    await startPrompt(s.page, SHORT_RUN);
    await waitForRunEnd(s.page);
    assert.ok(s.requestedUrls.length > 0);
    assert.deepEqual(requestsLeavingOrigin(s.requestedUrls, server.origin), []);
    const served = server.requests.map((r) => r.path);
    assert.ok(served.some((path) => /ort-wasm-simd-threaded\.asyncify.*\.wasm$/.test(path)), 'the runtime wasm came from the app');
    assert.ok(served.some((path) => path.startsWith('/models/thinkbench/tinythink/')), 'the model came from the app');
  });
});
