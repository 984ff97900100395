/**
 * The Results page end to end in real Chromium with real IndexedDB, on a hand-made export
 * (results-fixture.ts) so every expected number is known without running a model: at a laptop
 * size (1280×800) every column of the results table and of the Runs table is inside its card;
 * self-consistency and budget charts draw curves (one point per k from one set of samples, one
 * per budget); the drill-down shows each unit's vote tally and filters the questions on which
 * strategies disagree; `key=a|b|c` adds one strategy row per value.
 *
 * THINKBENCH_E2E_SCREENSHOTS=<dir> saves screenshots of both pages there, to look at by eye.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { exportToJson } from '../../src/lib/experiments/export-format';
import type { StaticServer } from './static-server';
import { launchBrowser, openApp, startAppServer, type BrowserSession } from './harness';
import { hiddenSideways, outside } from './layout';
import { DISAGREEING, FIXTURE_NAME, QUESTIONS, SC, SC_WEIGHTED, resultsFixture } from './results-fixture';

const LAPTOP = { width: 1280, height: 800 };
/** A name with no space to break at, on an interrupted run: the widest a Runs row gets without a Resume button. */
const UNBREAKABLE_NAME = 'sc_budget_sweep_on_three_sums_with_tinythink_q8_wasm_seed_0';

let server: StaticServer;
let session: BrowserSession;
before(async () => {
  server = await startAppServer();
  session = await launchBrowser();
  await session.page.setViewportSize(LAPTOP);
  await importFixtures(session.page);
});
after(async () => {
  await session?.close();
  await server?.close();
});

async function importFile(page: Page, name: string, text: string): Promise<void> {
  await page.getByLabel('Import JSON').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

/** Imports the unbreakable-name run, then the fixture (imported last, so it is the one shown). */
async function importFixtures(page: Page): Promise<void> {
  await openApp(page, server.origin, '#/results');
  const other = resultsFixture();
  other.experiment = { ...other.experiment, id: 'unbreakable', name: UNBREAKABLE_NAME, status: 'interrupted' };
  await importFile(page, 'other.json', exportToJson(other));
  await page.getByRole('heading', { name: UNBREAKABLE_NAME }).waitFor();
  await importFile(page, 'fixture.json', exportToJson(resultsFixture()));
  await page.getByRole('heading', { name: FIXTURE_NAME }).waitFor();
}

async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.THINKBENCH_E2E_SCREENSHOTS;
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, name), fullPage: true });
}

describe('results page at a laptop size', { timeout: 180_000 }, () => {
  it('shows every column of the results table, Decode tok/s and McNemar included, inside its card', async () => {
    const { page } = session;
    await openApp(page, server.origin, '#/results');
    const card = page.locator('section.card', { has: page.getByRole('heading', { name: FIXTURE_NAME }) });
    const table = page.getByRole('table', { name: 'Results by strategy' });
    await table.locator('tbody tr').first().waitFor();
    const headers = (await table.locator('thead th').allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
    const decode = headers.indexOf('Decode tok/s');
    const vs = headers.indexOf('vs baseline');
    assert.ok(decode > 0 && vs > 0, `both columns exist (${headers.join(' | ')})`);
    const columnCells = (index: number) => table.locator(`tr > :nth-child(${index + 1})`);
    assert.equal(await columnCells(vs).count(), 8, 'a heading and seven rows');
    assert.deepEqual(await outside(card, LAPTOP.width, columnCells(decode)), []);
    assert.deepEqual(await outside(card, LAPTOP.width, columnCells(vs)), []);
    assert.deepEqual(await outside(card, LAPTOP.width, table.locator('th, td')), []);
    assert.equal(await hiddenSideways(table), 0, 'nothing to scroll to: every column is in view');
    assert.match((await columnCells(vs).nth(2).textContent()) ?? '', /\+1 \/ −0,\s*p = /, 'cot against the direct baseline');
    await screenshot(page, 'results-1280x800.png');
  });

  it('keeps the Runs table inside its card', async () => {
    const { page } = session;
    await openApp(page, server.origin, '#/experiments');
    const card = page.locator('section.card', { has: page.getByRole('heading', { name: 'Runs' }) });
    const table = card.getByRole('table');
    await table.getByText(UNBREAKABLE_NAME).waitFor();
    assert.deepEqual(await outside(card, LAPTOP.width, table.locator('th, td')), []);
    assert.equal(await hiddenSideways(table), 0, 'nothing to scroll to: every column is in view');
    await screenshot(page, 'experiments-1280x800.png');
  });

  it('draws accuracy against k from one set of samples, and against several budgets', async () => {
    const { page } = session;
    await openApp(page, server.origin, '#/results');
    const byK = page.getByRole('figure', { name: 'Accuracy against k for self-consistency' });
    await byK.locator('svg circle').first().waitFor();
    // One point per k = 1…6 for the k = 6 row and 1…3 for the weighted k = 3 row.
    assert.equal(await byK.locator('svg circle').count(), 6 + 3);
    const byBudget = page.getByRole('figure', { name: 'Accuracy against thinking budget for budgeted chain of thought' });
    assert.equal(await byBudget.locator('svg circle').count(), 3);
  });

  it('shows the vote tally of each unit and filters the questions where strategies disagree', async () => {
    const { page } = session;
    await openApp(page, server.origin, '#/results');
    const drill = page.locator('section.card', { has: page.getByRole('heading', { name: 'Per question' }) });
    await drill.locator('details').first().waitFor();
    await drill.locator('details', { hasText: SC }).locator('summary').click();
    const tally = drill.getByRole('table', { name: `Vote tally of ${SC}` });
    const rows = await tally.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
    assert.deepEqual(rows, [
      ['30', '4', '66.7%', 'won · matches the reference'],
      ['31', '2', '33.3%', ''],
    ]);
    await drill.locator('details', { hasText: SC_WEIGHTED }).locator('summary').click();
    const weighted = drill.getByRole('table', { name: `Vote tally of ${SC_WEIGHTED}` });
    assert.deepEqual(await weighted.locator('thead th').allTextContents(), ['Answer', 'Votes', 'Weight', 'Share', '']);
    const weightedRows = await weighted.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
    assert.deepEqual(weightedRows, [
      ['30', '1', '0.900', '64.3%', 'won · matches the reference'],
      ['31', '2', '0.500', '35.7%', ''],
    ]);
    await screenshot(page, 'results-drilldown.png');

    const question = drill.getByRole('combobox');
    assert.equal(await question.locator('option').count(), QUESTIONS.length);
    await drill.getByRole('checkbox', { name: /Only questions where strategies disagree/ }).check();
    const ids = await question.locator('option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    assert.deepEqual(ids, DISAGREEING);
  });

  it('adds one strategy row per value of a swept setting', async () => {
    const { page } = session;
    await openApp(page, server.origin, '#/experiments');
    await page.getByLabel('…or type a setting').fill('budgeted-cot:budget=0.25|0.5|1');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const chosen = await page.getByRole('list', { name: 'Chosen strategies' }).locator('code').allTextContents();
    assert.deepEqual(chosen.slice(-3), ['budgeted-cot:budget=0.25', 'budgeted-cot', 'budgeted-cot:budget=1']);
  });
});
