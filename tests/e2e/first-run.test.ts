/**
 * The first minutes in real Chromium, whose only WebGPU adapter here is SwiftShader (a software
 * one): Automatic runs on WASM and the device panel says why, the first prompt on a fresh page
 * is answered in under 5 s from the click on Run, and WebGPU chosen by hand still works.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StaticServer } from './static-server';
import { answerText, chooseDevice, launchBrowser, openApp, readMetrics, startAppServer, startPrompt, waitForRunEnd, type BrowserSession } from './harness';

/** The issue's done criterion: the first answer on the preview build within 5 s of Run. */
const FIRST_ANSWER_LIMIT_MS = 5_000;

let server: StaticServer;
before(async () => {
  server = await startAppServer();
});
after(async () => {
  await server.close();
});

async function withFreshPage(steps: (s: BrowserSession) => Promise<void>): Promise<void> {
  const s = await launchBrowser();
  try {
    await openApp(s.page, server.origin);
    await steps(s);
  } finally {
    await s.close();
  }
}

describe('first run', () => {
  it('Automatic picks WASM over the software adapter and answers the first prompt within 5 s of Run', { timeout: 300_000 }, (t) =>
    withFreshPage(async (s) => {
      // Click Run as soon as the page can take it: the model load it triggers is part of the time.
      const run = s.page.getByRole('button', { name: 'Run', exact: true });
      await run.waitFor();
      const clickedAt = Date.now();
      await run.click();
      await s.page.getByRole('region', { name: 'Answer' }).getByTestId('answer-text').waitFor({ timeout: 120_000 });
      const firstAnswerMs = Date.now() - clickedAt;
      await waitForRunEnd(s.page);
      const ready = (await s.page.getByTestId('model-ready').textContent()) ?? '';
      // Where the time went: the model load (the Ready line) against the generation's own timings.
      const metrics = await readMetrics(s.page);
      t.diagnostic(`first answer ${firstAnswerMs} ms after Run; ${ready.replace(/\s+/g, ' ').trim()}; answer ${JSON.stringify(await answerText(s.page))}`);
      t.diagnostic(`generation: ${['Time to first token', 'Decode rate', 'Thinking tokens', 'Answer tokens', 'Total time'].map((label) => `${label} ${metrics[label]}`).join(', ')}`);
      // What the time went on: when the page and its worker fetched what, relative to the click.
      const fetched = server.requests
        .filter((request) => request.servedAt >= clickedAt - 2_000)
        .map((request) => `${request.path.split('/').pop()} ${request.receivedAt - clickedAt}→${request.servedAt - clickedAt}`);
      t.diagnostic(`requests (ms after Run): ${fetched.join('; ')}`);

      assert.equal(await s.page.getByTestId('device-in-use').textContent(), 'WASM');
      assert.match(ready, /wasm/);
      const why = (await s.page.getByTestId('device-reason').textContent()) ?? '';
      assert.match(why, /swiftshader/i, 'the panel names the adapter it passed over');
      assert.match(why, /software/i, 'and says why');
      assert.ok(firstAnswerMs < FIRST_ANSWER_LIMIT_MS, `first answer took ${firstAnswerMs} ms (limit ${FIRST_ANSWER_LIMIT_MS} ms)`);
    }));

  it('WebGPU chosen by hand runs on the software adapter', { timeout: 600_000 }, (t) =>
    withFreshPage(async (s) => {
      await chooseDevice(s.page, 'webgpu');
      assert.equal(await s.page.getByTestId('device-in-use').textContent(), 'WebGPU');
      assert.match((await s.page.getByTestId('device-reason').textContent()) ?? '', /chosen by you.*software/s);
      await startPrompt(s.page, { prompt: 'What is 12 + 7?', thinking: false, maxNewTokens: 8 });
      await waitForRunEnd(s.page, 540_000);
      assert.equal(await s.page.getByRole('alert').count(), 0, 'no error is shown');
      const ready = (await s.page.getByTestId('model-ready').textContent()) ?? '';
      assert.match(ready, /webgpu/);
      const answer = await answerText(s.page);
      assert.ok(answer.length > 0, 'an answer was streamed');
      t.diagnostic(`${ready.replace(/\s+/g, ' ').trim()}; answer ${JSON.stringify(answer)}`);
    }));
});
