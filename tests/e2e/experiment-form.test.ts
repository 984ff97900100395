/**
 * The Experiments form in real Chromium with real IndexedDB: a preview of the questions a run
 * will ask, the hint when the embedded model meets word problems, the form kept across a
 * reload, and a run's wall time counted from its stored start through a reload and a resume.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { StaticServer } from './static-server';
import { launchBrowser, openApp, startAppServer, type BrowserSession } from './harness';

const RUN_TIMEOUT_MS = 600_000;
const WORD_PROBLEMS = [
  { question: 'Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether in April and May?', answer: 'She sold 48/2 = 24 in May.\n#### 72' },
  { question: 'Weng earns $12 an hour for babysitting. Yesterday, she just did 50 minutes of babysitting. How much did she earn?', answer: 'She earned 12/60*50 = 10.\n#### 10' },
];

let server: StaticServer;
before(async () => {
  server = await startAppServer();
});
after(async () => {
  await server.close();
});

async function createBuiltinDataset(page: Page, questions: number): Promise<void> {
  await openApp(page, server.origin, '#/datasets');
  await page.getByLabel('Questions', { exact: true }).fill(String(questions));
  await page.getByLabel('Min steps').fill('1');
  await page.getByLabel('Max steps').fill('1');
  await page.getByLabel('Seed', { exact: true }).fill('7');
  await page.getByRole('button', { name: 'Generate dataset' }).click();
  await page.getByRole('cell', { name: /built-in arithmetic/ }).first().waitFor();
}

async function importWordProblems(page: Page): Promise<void> {
  await openApp(page, server.origin, '#/datasets');
  await page.getByLabel('Format').selectOption('gsm8k');
  await page.getByLabel('Dataset file', { exact: true }).setInputFiles({
    name: 'gsm8k-two.jsonl',
    mimeType: 'application/jsonl',
    buffer: Buffer.from(WORD_PROBLEMS.map((problem) => JSON.stringify(problem)).join('\n')),
  });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByRole('cell', { name: /gsm8k-two/ }).first().waitFor();
}

/** The preview table's rows as [question, reference]. */
async function previewRows(page: Page): Promise<string[][]> {
  const table = page.getByRole('table', { name: 'Dataset preview' });
  await table.locator('tbody tr').first().waitFor();
  return table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((cell) => (cell.textContent ?? '').trim())));
}

/** Seconds in a duration such as `42s` or `1m 05s`. */
function seconds(text: string): number {
  const match = /^(?:(\d+)m )?(\d+)s$/.exec(text.trim());
  if (!match) throw new Error(`not a duration: ${JSON.stringify(text)}`);
  return Number(match[1] ?? 0) * 60 + Number(match[2]);
}

describe('the Experiments form', { timeout: 2 * RUN_TIMEOUT_MS }, () => {
  it('previews the questions, hints when the embedded model meets word problems, and keeps its values across a reload', async () => {
    const s: BrowserSession = await launchBrowser();
    try {
      const { page } = s;
      await createBuiltinDataset(page, 5);
      await openApp(page, server.origin, '#/experiments');
      await page.getByLabel('Questions (n)').fill('4');
      const rows = await previewRows(page);
      assert.equal(rows.length, 3, 'the first three questions of the slice');
      for (const [question, reference] of rows) {
        assert.match(question, /\d+ [-+] \d+|has \d+/, `an arithmetic question: ${question}`);
        assert.match(reference, /^\d+$/, 'with its reference answer');
      }
      assert.equal(await page.getByTestId('skills-hint').count(), 0, 'no hint on arithmetic');

      await importWordProblems(page);
      await openApp(page, server.origin, '#/experiments');
      const datasetSelect = page.getByLabel('Dataset', { exact: true });
      const wordDataset = await datasetSelect.locator('option', { hasText: 'gsm8k-two' }).getAttribute('value');
      await datasetSelect.selectOption(wordDataset ?? '');
      const hint = (await page.getByTestId('skills-hint').textContent()) ?? '';
      assert.match(hint, /tinythink.*integer arithmetic.*word problems/s);
      assert.deepEqual((await previewRows(page)).map((row) => row[1]), ['72', '10'], 'the references of the imported questions');

      // The form as a user left it …
      await page.getByLabel('Name (optional)').fill('kept across reloads');
      await page.getByLabel('Questions (n)').fill('2');
      await page.getByLabel('Slice seed').fill('9');
      await page.getByLabel('Max new tokens').fill('48');
      await page.getByLabel('Device', { exact: true }).selectOption('wasm');
      await page.getByRole('textbox', { name: /type a setting/ }).fill('self-consistency:k=3');
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.getByRole('list', { name: 'Chosen strategies' }).getByText('self-consistency:k=3').waitFor();
      // … is there after a reload.
      await page.reload();
      await page.getByTestId('matrix-preview').getByText('units').waitFor();
      assert.equal(await page.getByLabel('Name (optional)').inputValue(), 'kept across reloads');
      assert.equal(await page.getByLabel('Questions (n)').inputValue(), '2');
      assert.equal(await page.getByLabel('Slice seed').inputValue(), '9');
      assert.equal(await page.getByLabel('Max new tokens').inputValue(), '48');
      assert.equal(await page.getByLabel('Device', { exact: true }).inputValue(), 'wasm');
      assert.match((await page.getByLabel('Dataset', { exact: true }).locator('option:checked').textContent()) ?? '', /gsm8k-two/);
      const chosen = await page.getByRole('list', { name: 'Chosen strategies' }).locator('code').allTextContents();
      assert.deepEqual(chosen, ['direct', 'cot', 'self-consistency:k=3']);
    } finally {
      await s.close();
    }
  });

  it('a run’s wall time counts from its start through a reload and a resume', async () => {
    const s = await launchBrowser();
    try {
      const { page } = s;
      await createBuiltinDataset(page, 3);
      await openApp(page, server.origin, '#/experiments');
      await page.getByLabel('Device', { exact: true }).selectOption('wasm');
      await page.getByLabel('Name (optional)').fill('clock');
      await page.getByLabel('Questions (n)').fill('3');
      await page.getByLabel('Max new tokens').fill('40');
      await page.getByRole('button', { name: 'Start experiment' }).click();
      const startedAt = Date.now();
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="samples-done"]')?.textContent ?? '0') >= 1, undefined, {
        timeout: RUN_TIMEOUT_MS,
      });
      await page.reload();
      await page.getByRole('row', { name: /clock/ }).getByText('interrupted').waitFor({ timeout: 30_000 });
      const beforeResumeS = (Date.now() - startedAt) / 1000;
      await page.getByRole('button', { name: 'Resume clock' }).click();
      const wall = page.getByTestId('wall-time');
      await wall.waitFor();
      const shownS = seconds((await wall.textContent()) ?? '');
      // Counted from the stored start: at least the time before the reload (the old panel restarted near 0).
      assert.ok(shownS >= Math.floor(beforeResumeS) - 1, `wall time ${shownS} s shown, ${beforeResumeS.toFixed(1)} s had passed`);
      await page.getByTestId('run-status').filter({ hasText: /completed|failed|paused/ }).waitFor({ timeout: RUN_TIMEOUT_MS });
      assert.equal(await page.getByTestId('run-status').textContent(), 'completed');
    } finally {
      await s.close();
    }
  });
});
