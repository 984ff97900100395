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
import { createArithmeticDataset, launchBrowser, openApp, runExperiment, startAppServer, type BrowserSession } from './harness';

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
    await createArithmeticDataset(page, server.origin, { questions: QUESTIONS, steps: 1, seed: 5 });
    const status = await runExperiment(page, server.origin, {
      name: 'confidence',
      questions: QUESTIONS,
      maxNewTokens: 64,
      strategies: [DEEPCONF, SC],
      only: true,
      timeoutMs: RUN_TIMEOUT_MS,
    });
    assert.equal(status, 'completed');
    await openApp(page, server.origin, '#/results');
    const rows = page.getByRole('table', { name: 'Results by strategy' }).locator('tbody tr[data-strategy]');
    await rows.first().waitFor();
    assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-strategy'))), [DEEPCONF, SC], 'only the two strategies ran');
    const byTokens = page.getByRole('figure', { name: 'Accuracy against mean tokens for sampling methods' });
    await byTokens.locator('svg circle').first().waitFor();
    // Both rows replayed over their first j = 1, 2, 3 chains: three points each.
    assert.equal(await byTokens.locator('svg circle').count(), 2 * 3);

    const calibrationChart = page.getByRole('figure', { name: 'Calibration of trace confidence against correctness' });
    assert.ok((await calibrationChart.locator('svg circle').count()) >= 1, 'at least one confidence bin is drawn');
    const table = page.getByRole('table', { name: 'AUROC of trace confidence' });
    const aurocRows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
    // Plain self-consistency asks for no logprobs, so only DeepConf has a trace confidence.
    assert.equal(aurocRows.length, 1, JSON.stringify(aurocRows));
    const [strategy, signal, chains, value] = aurocRows[0];
    assert.equal(strategy, DEEPCONF);
    assert.equal(signal, 'lowest group confidence');
    assert.match(chains, new RegExp(`^${QUESTIONS * 3} \\(\\d\\)$`), 'every chain of both questions, none terminated offline');
    assert.match(value, /^(0\.\d{3}|1\.000|—)$/);
  });
});
