/**
 * Trace confidence in Results end to end in real Chromium with the embedded model on WASM and
 * real IndexedDB: a small experiment — offline DeepConf and self-consistency, k = 3, on two
 * one-step sums — whose Results page draws the accuracy-against-tokens curves (one point per j
 * from the stored chains) and the calibration of trace confidence with its AUROC. (The
 * Playground's token heatmap is checked in playground.test.ts, on the model it loads anyway.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StaticServer } from './static-server';
import { launchBrowser, openApp, startAppServer, type BrowserSession } from './harness';

const RUN_TIMEOUT_MS = 300_000;
const DEEPCONF = 'deepconf:mode=offline,k=3,batch=3,window=4';
const SC = 'self-consistency:k=3,batch=3';
const QUESTIONS = 2;

let server: StaticServer;
let session: BrowserSession;
before(async () => {
  server = await startAppServer();
  session = await launchBrowser();
});
after(async () => {
  await session?.close();
  await server?.close();
});

describe('trace confidence in Results', { timeout: RUN_TIMEOUT_MS }, () => {
  it('a DeepConf and self-consistency run draws accuracy against tokens and the calibration of trace confidence', async () => {
    const { page } = session;
    await openApp(page, server.origin, '#/datasets');
    await page.getByLabel('Questions', { exact: true }).fill(String(QUESTIONS));
    await page.getByLabel('Min steps').fill('1');
    await page.getByLabel('Max steps').fill('1');
    await page.getByLabel('Seed', { exact: true }).fill('5');
    await page.getByRole('button', { name: 'Generate dataset' }).click();
    await page.getByRole('cell', { name: /built-in arithmetic/ }).first().waitFor();

    await openApp(page, server.origin, '#/experiments');
    await page.getByLabel('Device', { exact: true }).selectOption('wasm');
    await page.getByLabel('Name (optional)').fill('confidence');
    await page.getByLabel('Questions (n)').fill(String(QUESTIONS));
    await page.getByLabel('Max new tokens').fill('64');
    const chosen = page.getByRole('list', { name: 'Chosen strategies' });
    for (const text of await chosen.locator('code').allTextContents()) await page.getByRole('button', { name: `Remove ${text}` }).click();
    for (const setting of [DEEPCONF, SC]) {
      await page.getByRole('textbox', { name: /type a setting/ }).fill(setting);
      await page.getByRole('button', { name: 'Add', exact: true }).click();
    }
    assert.deepEqual(await chosen.locator('code').allTextContents(), [DEEPCONF, SC]);
    await page.getByTestId('matrix-preview').getByText(`${2 * QUESTIONS} units`).waitFor();
    await page.getByRole('button', { name: 'Start experiment' }).click();
    const status = page.getByTestId('run-status').filter({ hasText: /completed|failed|paused/ });
    await status.waitFor({ timeout: RUN_TIMEOUT_MS });
    assert.equal(await status.textContent(), 'completed');

    await openApp(page, server.origin, '#/results');
    const byTokens = page.getByRole('figure', { name: 'Accuracy against mean tokens for sampling methods' });
    await byTokens.locator('svg circle').first().waitFor();
    // Both rows replayed over their first j = 1, 2, 3 chains: three points each.
    assert.equal(await byTokens.locator('svg circle').count(), 2 * 3);

    const calibrationChart = page.getByRole('figure', { name: 'Calibration of trace confidence against correctness' });
    assert.ok((await calibrationChart.locator('svg circle').count()) >= 1, 'at least one confidence bin is drawn');
    const table = page.getByRole('table', { name: 'AUROC of trace confidence' });
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
    // Plain self-consistency asks for no logprobs, so only DeepConf has a trace confidence.
    assert.equal(rows.length, 1, JSON.stringify(rows));
    const [strategy, signal, chains, value] = rows[0];
    assert.equal(strategy, DEEPCONF);
    assert.equal(signal, 'lowest group confidence');
    assert.match(chains, new RegExp(`^${QUESTIONS * 3} \\(\\d\\)$`), 'every chain of both questions, none terminated offline');
    assert.match(value, /^(0\.\d{3}|1\.000|—)$/);
  });
});
