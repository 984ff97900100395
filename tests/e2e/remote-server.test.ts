/**
 * An experiment in real Chromium on the "Server" model source against `thinkbench serve` (the
 * real embedded model, real HTTP on 127.0.0.1, a different origin than the app: CORS for real).
 * The probe's findings are shown, the run says it talks to the server, completes, and the
 * browser never loads the model itself; an unreachable server is explained (CORS named).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { engineHasLogprobs, startServer, type RunningServer } from '../../cli/serve/server';
import { EMBEDDED_MODEL_DIR, loadNodeEngine } from '../../workers/engine/node';
import type { Engine } from '../../workers/engine/engine';
import type { StaticServer } from './static-server';
import { launchBrowser, openApp, requestsLeavingOrigin, startAppServer, type BrowserSession } from './harness';

const RUN_TIMEOUT_MS = 300_000;

let app: StaticServer;
let engine: Engine;
let serve: RunningServer;
let session: BrowserSession | undefined;

before(async () => {
  app = await startAppServer();
  engine = await loadNodeEngine({ modelDir: EMBEDDED_MODEL_DIR });
  serve = await startServer({ engine, host: '127.0.0.1', port: 0, queueLimit: 8, logprobs: await engineHasLogprobs(engine) });
});

after(async () => {
  await session?.close();
  await serve.close();
  await engine.dispose();
  await app.close();
});

describe('experiments on a server', { timeout: 2 * RUN_TIMEOUT_MS }, () => {
  it('explains an unreachable server, then runs an experiment on thinkbench serve', async () => {
    session = await launchBrowser();
    const { page } = session;
    // Weights fetched, not probed: the Models store HEADs the embedded model's files for their sizes.
    const weightFetches: string[] = [];
    session.context.on('request', (request) => {
      if (request.url().includes('.onnx') && request.method() !== 'HEAD') weightFetches.push(`${request.method()} ${request.url()}`);
    });
    await openApp(page, app.origin, '#/datasets');
    await page.getByLabel('Questions', { exact: true }).fill('2');
    await page.getByLabel('Min steps').fill('1');
    await page.getByLabel('Max steps').fill('1');
    await page.getByLabel('Seed', { exact: true }).fill('7');
    await page.getByRole('button', { name: 'Generate dataset' }).click();
    await page.getByRole('cell', { name: /built-in arithmetic/ }).first().waitFor();

    await openApp(page, app.origin, '#/experiments');
    await page.getByRole('radio', { name: /Server/ }).check();
    await page.getByTestId('matrix-preview').getByText(/Connect to a server first/).waitFor();
    await page.getByRole('note').getByText(/send every prompt to/).waitFor();

    // Nothing listens on port 9: the browser reports it as it reports a CORS refusal, so both are named.
    await page.getByLabel('Server URL').fill('http://127.0.0.1:9/v1');
    await page.getByRole('button', { name: 'Connect' }).click();
    const alert = page.getByTestId('server-panel').getByRole('alert');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /cannot reach http:\/\/127\.0\.0\.1:9\/v1\/models.*CORS/s);

    await page.getByLabel('Server URL').fill(serve.baseUrl);
    await page.getByRole('button', { name: 'Connect' }).click();
    const caps = page.getByTestId('server-capabilities');
    await caps.waitFor({ timeout: 60_000 });
    const capsText = (await caps.textContent()) ?? '';
    assert.match(capsText, /thinkbench\/tinythink/);
    assert.match(capsText, /honoured/);

    await page.getByLabel('Name (optional)').fill('remote');
    await page.getByLabel('Questions (n)').fill('2');
    await page.getByLabel('Max new tokens').fill('60');
    await page.getByTestId('matrix-preview').getByText('4 units').waitFor();
    await page.getByRole('button', { name: 'Start experiment' }).click();
    const status = page.getByTestId('run-status').filter({ hasText: /completed|failed|paused/ });
    await status.waitFor({ timeout: RUN_TIMEOUT_MS });
    assert.equal(await status.textContent(), 'completed');
    assert.match((await page.getByTestId('run-location').textContent()) ?? '', new RegExp(`On the server ${serve.baseUrl.replace(/[./]/g, '\\$&')}`));
    assert.equal(await page.getByTestId('units-done').textContent(), '4 / 4');

    await openApp(page, app.origin, '#/results');
    const table = page.getByRole('table', { name: 'Results by strategy' });
    await table.locator('tbody tr').first().waitFor();
    const strategies = await table.locator('tbody tr th, tbody tr td:first-child').allTextContents();
    assert.ok(strategies.some((text) => text.includes('cot')), `results list cot: ${strategies.join(', ')}`);

    const left = requestsLeavingOrigin(session.requestedUrls, app.origin);
    assert.ok(left.length > 0, 'the run talked to the server');
    assert.deepEqual(left.filter((url) => !url.startsWith('http://127.0.0.1:9/') && !url.startsWith(`${serve.baseUrl}/`)), [], 'requests went only to the server');
    assert.deepEqual(weightFetches, [], 'the browser loaded no model');
  });
});
