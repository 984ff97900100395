/**
 * Experiments end to end in real Chromium with real IndexedDB and the embedded model on WASM:
 * a tiny run (2 questions × 2 strategies, short outputs) finished without interruption; the
 * same run reloaded mid-way, shown as interrupted and resumed, ends with the same table and
 * without generating any finished sample twice; its export imported into a fresh profile gives
 * the same table; a malformed JSONL import names the bad line.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { StaticServer } from './static-server';
import { launchBrowser, openApp, startAppServer, type BrowserSession } from './harness';
import { hiddenSideways, outside } from './layout';

const RUN_TIMEOUT_MS = 600_000;

let server: StaticServer;
before(async () => {
  server = await startAppServer();
});
after(async () => {
  await server.close();
});

async function createBuiltinDataset(page: Page): Promise<void> {
  await openApp(page, server.origin, '#/datasets');
  await page.getByLabel('Questions', { exact: true }).fill('2');
  await page.getByLabel('Min steps').fill('1');
  await page.getByLabel('Max steps').fill('1');
  await page.getByLabel('Seed', { exact: true }).fill('7');
  await page.getByRole('button', { name: 'Generate dataset' }).click();
  await page.getByRole('cell', { name: /built-in arithmetic/ }).first().waitFor();
}

/** Starts direct + cot on the 2 questions, on WASM, with short outputs. */
async function startTinyExperiment(page: Page): Promise<void> {
  await openApp(page, server.origin, '#/experiments');
  await page.getByLabel('Device', { exact: true }).selectOption('wasm');
  await page.getByLabel('Name (optional)').fill('tiny');
  await page.getByLabel('Questions (n)').fill('2');
  await page.getByLabel('Max new tokens').fill('40');
  await page.getByTestId('matrix-preview').getByText('4 units').waitFor();
  await page.getByRole('button', { name: 'Start experiment' }).click();
}

async function waitForStatus(page: Page, status: RegExp): Promise<string> {
  const badge = page.getByTestId('run-status').filter({ hasText: status });
  await badge.waitFor({ timeout: RUN_TIMEOUT_MS });
  return (await badge.textContent()) ?? '';
}

/** `generated / cached` samples of the run shown in the run panel. */
async function generationCounts(page: Page): Promise<{ generated: number; cached: number }> {
  const text = (await page.getByTestId('generation-counts').textContent()) ?? '';
  const [generated, cached] = text.split('/').map((part) => Number.parseInt(part, 10));
  return { generated, cached };
}

/** The results table as text cells; `timing` false drops the columns that depend on the machine's speed. */
async function resultsTable(page: Page, timing: boolean): Promise<string[][]> {
  await openApp(page, server.origin, '#/results');
  return tableCells(page, timing);
}

/** The results table on the open Results page (see resultsTable). */
async function tableCells(page: Page, timing: boolean): Promise<string[][]> {
  const table = page.getByRole('table', { name: 'Results by strategy' });
  await table.locator('tbody tr').first().waitFor();
  const rows = await table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim())),
  );
  // Columns: strategy, n, accuracy, fallback, tokens, thinking/answer, samples/q, latency, TTFT, decode, vs baseline.
  return timing ? rows : rows.map((row) => [...row.slice(0, 7), row[10]]);
}

describe('experiments: run, reload, resume, export, import', { timeout: 4 * RUN_TIMEOUT_MS }, () => {
  let uninterrupted: string[][] = [];
  let uninterruptedWithTiming: string[][] = [];
  let generatedUninterrupted = 0;
  let exportPath = '';
  let browserA: BrowserSession | undefined;

  after(async () => {
    await browserA?.close();
  });

  it('runs a tiny experiment to the end and stores every sample', async () => {
    browserA = await launchBrowser();
    const { page } = browserA;
    await createBuiltinDataset(page);
    await startTinyExperiment(page);
    assert.equal(await waitForStatus(page, /completed|failed|paused/), 'completed');
    assert.equal(await page.getByTestId('units-done').textContent(), '4 / 4');
    const counts = await generationCounts(page);
    assert.equal(counts.generated, 4, 'direct and cot make one sample per question');
    generatedUninterrupted = counts.generated;
    uninterrupted = await resultsTable(page, false);
    uninterruptedWithTiming = await resultsTable(page, true);
    assert.deepEqual(uninterrupted.map((row) => [row[0], row[1]]), [['direct', '2'], ['cot', '2']]);
    // Fallback share: direct answers "The answer is N." at once (a cue); cot's chains are cut
    // by the 40-token limit before any answer cue, so its answers are the chains' last numbers.
    assert.deepEqual(uninterrupted.map((row) => row[3]), ['0.0%', '100.0%']);
    // Strict mode counts those answers wrong: cot drops to 0%, direct is unchanged.
    const strict = page.getByRole('checkbox', { name: /Strict: count answers found only by the last-number fallback/ });
    await strict.check();
    const strictTable = await tableCells(page, false);
    assert.deepEqual(strictTable[0], uninterrupted[0]);
    assert.match(strictTable[1][2], /^0\.0% /);
    await strict.uncheck();
    assert.deepEqual(await tableCells(page, false), uninterrupted);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export JSON' }).click();
    exportPath = (await (await download).path()) ?? '';
    assert.ok(exportPath, 'the export was downloaded');
  });

  it('a run reloaded mid-way shows as interrupted and resumes to the same results without regenerating', async () => {
    const session = await launchBrowser();
    try {
      const { page } = session;
      await createBuiltinDataset(page);
      await startTinyExperiment(page);
      // Reload as soon as one sample is on disk, while the run is still going.
      await page.waitForFunction(() => {
        const done = Number(document.querySelector('[data-testid="samples-done"]')?.textContent ?? '0');
        return done >= 1;
      }, undefined, { timeout: RUN_TIMEOUT_MS });
      await page.reload();
      await openApp(page, server.origin, '#/experiments');
      const row = page.getByRole('row', { name: /tiny/ });
      await row.getByText('interrupted').waitFor({ timeout: 30_000 });
      // With its Resume button, the widest a Runs row gets, the table stays inside its card.
      const runsCard = page.locator('section.card', { has: page.getByRole('heading', { name: 'Runs' }) });
      assert.deepEqual(await outside(runsCard, page.viewportSize()?.width ?? 0, runsCard.locator('th, td')), []);
      assert.equal(await hiddenSideways(runsCard.getByRole('table')), 0);
      const unitsBefore = Number.parseInt((await row.locator('td').nth(2).textContent()) ?? '0', 10);
      await page.getByRole('button', { name: 'Resume tiny' }).click();
      assert.equal(await waitForStatus(page, /completed|failed|paused/), 'completed');
      const unitsAfter = Number.parseInt((await page.getByTestId('units-done').textContent()) ?? '0', 10);
      assert.ok(unitsAfter >= unitsBefore, 'counts never go backwards');
      const counts = await generationCounts(page);
      assert.equal(counts.generated, generatedUninterrupted, 'no finished sample was generated twice');
      assert.deepEqual(await resultsTable(page, false), uninterrupted);
    } finally {
      await session.close();
    }
  });

  it('an export imported into a fresh profile gives the same table; a bad JSONL line is named', async () => {
    const session = await launchBrowser();
    try {
      const { page } = session;
      await openApp(page, server.origin, '#/results');
      await page.getByLabel('Import JSON').setInputFiles({
        name: 'tiny.thinkbench.json',
        mimeType: 'application/json',
        buffer: await readFile(exportPath),
      });
      await page.getByRole('option', { name: /tiny.*imported/ }).waitFor({ state: 'attached' });
      assert.deepEqual(await resultsTable(page, true), uninterruptedWithTiming);

      await openApp(page, server.origin, '#/datasets');
      await page.getByLabel('Format').selectOption('gsm8k');
      await page.getByLabel('Dataset file', { exact: true }).setInputFiles({
        name: 'broken.jsonl',
        mimeType: 'application/jsonl',
        buffer: Buffer.from('{"question": "What is 1 + 1?", "answer": "1 + 1 = 2\\n#### 2"}\n{"question": "What is 2 + 2?", "answer": \n'),
      });
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      assert.equal(await alert.getAttribute('data-error-name'), 'DatasetParseError');
      assert.match((await alert.textContent()) ?? '', /line 2/);
      // The only stored dataset is the imported run's questions: nothing of the bad file was kept.
      assert.equal(await page.getByRole('cell', { name: 'broken.jsonl' }).count(), 0, 'nothing was half-imported');
      assert.equal(await page.locator('tbody tr').count(), 1);
    } finally {
      await session.close();
    }
  });
});
