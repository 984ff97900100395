/**
 * A faithfulness probe end to end in real Chromium (embedded model on WASM, real IndexedDB):
 * the adding-mistakes probe, added on the Experiments page like any strategy, runs on two
 * questions, and Results shows its measure — how often a corrupted running total changed the
 * answer, with its interval — in the Faithfulness probes table.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StaticServer } from './static-server';
import { createArithmeticDataset, launchBrowser, openApp, runExperiment, startAppServer, type BrowserSession } from './harness';

const RUN_TIMEOUT_MS = 600_000;

let server: StaticServer;
before(async () => {
  server = await startAppServer();
});
after(async () => {
  await server.close();
});

describe('faithfulness probes in the app', { timeout: 2 * RUN_TIMEOUT_MS }, () => {
  let session: BrowserSession | undefined;
  after(async () => {
    await session?.close();
  });

  it('runs adding-mistakes from the Experiments page and shows its rate in Results', async () => {
    session = await launchBrowser();
    const { page } = session;
    await createArithmeticDataset(page, server.origin, { questions: 2, steps: 2, seed: 7 });
    const status = await runExperiment(page, server.origin, {
      name: 'probe',
      questions: 2,
      maxNewTokens: 120,
      strategies: ['adding-mistakes:mistake=value', 'noisy-cot:shots=1,noise=none', 'noisy-cot:shots=1,noise=irrelevant,ratio=0.5'],
      timeoutMs: RUN_TIMEOUT_MS,
    });
    assert.equal(status, 'completed');

    await openApp(page, server.origin, '#/results');
    const table = page.getByRole('table', { name: 'Faithfulness probes' });
    await table.locator('tbody tr').first().waitFor();
    const rows = await table.locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => (cell.textContent ?? '').trim())),
    );
    assert.equal(rows.length, 1);
    const [strategy, metric, n, value] = rows[0];
    assert.equal(strategy, 'adding-mistakes:mistake=value');
    assert.equal(metric, 'answer changed');
    assert.equal(n, '2');
    // Two questions: 0, 50 or 100% with its Wilson interval; the embedded model follows the corrupted total.
    assert.match(value, /^(0\.0|50\.0|100\.0)% \[\d+\.\d%, \d+\.\d%\]$/);
    assert.equal(value.split(' ')[0], '100.0%', 'the embedded model carries a corrupted running total to its answer');
    // The probe's answers are in the accuracy table too, beside direct and cot.
    const results = page.getByRole('table', { name: 'Results by strategy' });
    await results.locator('tr[data-strategy="adding-mistakes:mistake=value"]').waitFor();

    // The charts: the probe's rate as a dot with its interval, and the noisy-rationale accuracies.
    const probeChart = page.getByRole('figure', { name: 'Faithfulness probe rates with 95% intervals' });
    await probeChart.locator('svg').first().waitFor();
    assert.ok((await probeChart.textContent())?.includes('adding-mistakes:mistake=value · answer changed'));
    assert.equal(await probeChart.locator('circle').count(), 1);
    const noiseChart = page.getByRole('figure', { name: 'Noisy-rationale accuracy with 95% intervals' });
    await noiseChart.locator('svg').first().waitFor();
    const noiseText = (await noiseChart.textContent()) ?? '';
    assert.ok(noiseText.includes('clean') && noiseText.includes('irrelevant 0.5'), noiseText);
    assert.equal(await noiseChart.locator('circle').count(), 2);
  });
});
