/**
 * Importing a results JSON in real Chromium with real IndexedDB: re-importing an export of an
 * n < N run (its dataset holds only the run's slice, under the source dataset's id) leaves the
 * stored source dataset whole, and the imported run shows its own questions.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { arithmeticDataset } from '../../src/lib/datasets/arithmetic';
import { buildExport, exportToJson } from '../../src/lib/experiments/export-format';
import { sliceProblems } from '../../src/lib/experiments/matrix';
import { launchBrowser, openApp, startAppServer } from './harness';
import type { StaticServer } from './static-server';

let server: StaticServer;

before(async () => {
  server = await startAppServer();
});
after(async () => {
  await server.close();
});

const SOURCE = arithmeticDataset({ n: 8, seed: 3 });
const SLICE = { n: 3, seed: 4 };

function partialExport(): string {
  const spec = { model: { id: 'thinkbench/tinythink', dtype: 'q8', device: 'wasm' }, dataset: { id: SOURCE.id, ...SLICE }, strategies: ['direct'], maxNewTokens: 64 };
  const dataset = { ...SOURCE, problems: sliceProblems(SOURCE.problems, SLICE) };
  return exportToJson(buildExport({ id: 'exp-partial', name: 'partial run', createdAt: 1, status: 'completed', spec, manifest: null }, dataset, []));
}

/** The stored datasets as id → number of questions, read straight from IndexedDB. */
function storedDatasets(page: Page): Promise<Record<string, number>> {
  return page.evaluate(
    () =>
      new Promise<Record<string, number>>((resolve, reject) => {
        const request = indexedDB.open('thinkbench');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const all = request.result.transaction('datasets').objectStore('datasets').getAll();
          all.onerror = () => reject(all.error);
          all.onsuccess = () => {
            request.result.close();
            resolve(Object.fromEntries((all.result as { id: string; problems: unknown[] }[]).map((d) => [d.id, d.problems.length])));
          };
        };
      }),
  );
}

describe('importing a results JSON', () => {
  it('keeps the stored source dataset whole when the export holds only its slice', async () => {
    const s = await launchBrowser();
    const { page } = s;
    try {
      await openApp(page, server.origin, '#/results');
      await page.getByText('No experiments yet').waitFor(); // the app created its database
      await page.evaluate(
        (record) =>
          new Promise<void>((resolve, reject) => {
            const request = indexedDB.open('thinkbench');
            request.onerror = () => reject(request.error);
            request.onsuccess = () => {
              const tx = request.result.transaction('datasets', 'readwrite');
              tx.objectStore('datasets').put(record);
              tx.oncomplete = () => {
                request.result.close();
                resolve();
              };
              tx.onerror = () => reject(tx.error);
            };
          }),
        { ...SOURCE, createdAt: Date.now(), sizeBytes: JSON.stringify(SOURCE.problems).length },
      );
      assert.deepEqual(await storedDatasets(page), { [SOURCE.id]: 8 });

      await page.locator('input[type="file"][accept*=".json"]').setInputFiles({
        name: 'partial-run.thinkbench.json',
        mimeType: 'application/json',
        buffer: Buffer.from(partialExport()),
      });
      await page.getByRole('heading', { name: 'partial run' }).waitFor();
      assert.deepEqual(await storedDatasets(page), { [SOURCE.id]: 8 }, 'the source dataset was replaced by the slice');
      assert.match((await page.getByText(/n = 3, seed 4/).textContent()) ?? '', /n = 3, seed 4/);
    } finally {
      await s.close();
    }
  });
});
