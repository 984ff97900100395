/**
 * The Models page end to end in real Chromium against a fake hub on 127.0.0.1 (another port
 * than the app, so downloads are cross-origin as from the real hub): adding a hub id by hand,
 * a download with per-file and total progress, cancel, completion into the real Cache Storage
 * under the URLs Transformers.js reads, survival across a reload, delete, a wrong-size file and
 * an unsupported architecture refused before any download, and offline mode.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startFakeHub, type FakeHub, type FakeRepo } from '../fixtures/hub/fake-hub';
import { tinyRepo } from '../fixtures/hub/tiny-repo';
import {
  answerText,
  chooseDevice,
  launchBrowser,
  openApp,
  repoRoot,
  startAppServer,
  startPrompt,
  waitForModelReady,
  waitForRunEnd,
} from './harness';
import type { StaticServer } from './static-server';

const WEIGHTS_BYTES = 2_000_000;
const repo = tinyRepo({ onnxBytes: WEIGHTS_BYTES, quantizedBytes: WEIGHTS_BYTES });
const SLOW = { chunkDelayMs: 60 };

/** The embedded model's real files, published on the fake hub as if it were a hub model. */
function embeddedModelRepo(): FakeRepo {
  const dir = join(repoRoot, 'public/models/thinkbench/tinythink');
  const file = (path: string, lfs = false) => ({ content: readFileSync(join(dir, path)), lfs });
  return {
    'config.json': file('config.json'),
    'generation_config.json': file('generation_config.json'),
    'tokenizer.json': file('tokenizer.json'),
    'tokenizer_config.json': file('tokenizer_config.json'),
    'onnx/model.onnx': file('onnx/model.onnx', true),
    'onnx/model_quantized.onnx': file('onnx/model_quantized.onnx', true),
  };
}

let server: StaticServer;
let hub: FakeHub;

before(async () => {
  server = await startAppServer();
  hub = await startFakeHub({
    'test/tiny': repo,
    'test/vision': tinyRepo({ modelType: 'qwen2_vl' }),
    'test/tinythink': embeddedModelRepo(),
  });
});
after(async () => {
  await hub.close();
  await server.close();
});

function slowWeights(faults: object): void {
  hub.faults.set('test/tiny/onnx/model_q4.onnx', faults);
  hub.faults.set('test/tiny/onnx/model_quantized.onnx', faults);
}

async function cachedUrls(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const cache = await caches.open('transformers-cache');
    return (await cache.keys()).map((request) => request.url).sort();
  });
}

const card = (page: Page, label: string) => page.getByRole('article', { name: label, exact: true });

/** Goes online with `endpoint` as the hub host and adds the hub model `id` by hand. */
async function addHubModel(page: Page, endpoint: string, id: string): Promise<void> {
  const settings = page.getByRole('region', { name: 'Hub settings' });
  await settings.getByRole('checkbox').uncheck();
  await settings.getByLabel("Hub host (a mirror's URL)").fill(endpoint);
  await settings.getByRole('button', { name: 'Save host' }).click();
  await page.getByLabel('Add a hub model by id').fill(id);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
}

/** Waits for a model card's state; on timeout says what the card and the hub saw instead. */
async function waitForState(page: Page, label: string, state: string, timeoutMs = 30_000): Promise<void> {
  try {
    await page.locator(`article[aria-label="${label}"][data-state="${state}"]`).waitFor({ timeout: timeoutMs });
  } catch (error) {
    const shown = await card(page, label).innerText().catch(() => '(no card)');
    const seen = hub.requests.slice(-12).map((r) => `${r.method} ${r.path} ${r.range ?? ''} → ${r.status}`);
    throw new Error(`"${label}" never became ${state}.\nCard:\n${shown}\nLast hub requests:\n${seen.join('\n')}`, { cause: error });
  }
}

describe('Models page visit', () => {
  it('asks the app only about the models it serves: no 404s', async () => {
    const s = await launchBrowser();
    const { page } = s;
    const notFound: string[] = [];
    s.context.on('response', (response) => {
      if (response.status() === 404) notFound.push(response.url());
    });
    try {
      await openApp(page, server.origin, '#/models');
      await settledCards(page);
      await page.locator('article[data-model-id="thinkbench/tinythink"][data-state="local"]').waitFor();
      assert.deepEqual(notFound, []);
      assert.deepEqual(s.consoleErrors.filter((line) => /404|Not Found/i.test(line)), []);
      // The embedded model is still found (it is in models/served.json), and nothing else was probed.
      const probes = s.requestedUrls.filter((url) => url.startsWith(`${server.origin}/models/`) && url.endsWith('/config.json'));
      assert.deepEqual([...new Set(probes)], [`${server.origin}/models/thinkbench/tinythink/config.json`]);
    } finally {
      await s.close();
    }
  });
});

describe('pickers in offline mode', () => {
  it('mark hub models that are not downloaded instead of offering them, and offer them again online', async () => {
    const s = await launchBrowser();
    const { page } = s;
    try {
      await openApp(page, server.origin, '#/playground');
      const qwen = page.getByLabel('Model', { exact: true }).locator('option[value="onnx-community/Qwen3-0.6B-ONNX"]');
      await page.waitForFunction(
        () => document.querySelector<HTMLOptionElement>('option[value="onnx-community/Qwen3-0.6B-ONNX"]')?.disabled === true,
        undefined,
        { timeout: 30_000 },
      );
      assert.match((await qwen.textContent()) ?? '', /Qwen3 0\.6B — not downloaded \(offline mode\)/);
      const embedded = page.getByLabel('Model', { exact: true }).locator('option[value="thinkbench/tinythink"]');
      assert.equal(await embedded.isDisabled(), false);

      await page.getByRole('link', { name: 'Experiments' }).click();
      const experimentQwen = page.getByLabel('Model').locator('option[value="onnx-community/Qwen3-0.6B-ONNX"]');
      await page.getByRole('heading', { name: 'New experiment' }).waitFor();
      assert.equal(await experimentQwen.isDisabled(), true);

      await page.getByRole('checkbox', { name: 'Offline mode' }).uncheck();
      assert.equal(await experimentQwen.isDisabled(), false);
      assert.doesNotMatch((await experimentQwen.textContent()) ?? '', /not downloaded/);
    } finally {
      await s.close();
    }
  });
});

/** Waits until no model card is still checking its status. */
async function settledCards(page: Page): Promise<void> {
  await page.locator('article.model').first().waitFor();
  await page.waitForFunction(() => document.querySelectorAll('article.model[data-state="checking"]').length === 0, undefined, { timeout: 30_000 });
}

describe('Models page with a fake hub', () => {
  it('adds, downloads with progress, cancels, completes, survives a reload, deletes, refuses bad files', async (t) => {
    const s = await launchBrowser();
    const { page } = s;
    try {
      await openApp(page, server.origin, '#/models');
      const settings = page.getByRole('region', { name: 'Hub settings' });

      await t.test('offline by default: nothing can be added, no request leaves the origin', async () => {
        await page.getByRole('heading', { name: 'Models' }).waitFor();
        // The app server sends public/_headers (COEP require-corp) and the fake hub sends CORS but
        // no Cross-Origin-Resource-Policy, as the real hub: the downloads below prove COEP lets them through.
        assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'the page is cross-origin isolated');
        assert.equal(await settings.getByRole('checkbox').isChecked(), true);
        assert.equal(await page.getByLabel('Add a hub model by id').count(), 0);
        assert.deepEqual(s.requestedUrls.filter((url) => url.startsWith(hub.endpoint)), []);
      });

      await t.test('a mirror host and a hand-added hub id', async () => {
        await addHubModel(page, hub.endpoint, 'test/tiny');
        await waitForState(page, 'tiny', 'absent');
        assert.match((await card(page, 'tiny').textContent()) ?? '', /Not downloaded/);
      });

      await t.test('an unsupported architecture is refused with a reason, before any download', async () => {
        await page.getByLabel('Add a hub model by id').fill('test/vision');
        await page.getByRole('button', { name: 'Add', exact: true }).click();
        const alert = page.locator('[role="alert"][data-error-name="UnsupportedModelError"]');
        await alert.waitFor();
        assert.match((await alert.textContent()) ?? '', /qwen2_vl.*vision-language/);
        assert.equal(hub.requests.filter((r) => r.path.startsWith('/cdn/')).length, 0);
      });

      await t.test('a download shows per-file and total progress and can be cancelled, leaving nothing', async () => {
        slowWeights(SLOW);
        await page.getByRole('button', { name: 'Download tiny' }).click();
        const total = page.getByRole('progressbar', { name: 'Total download of tiny' });
        await total.waitFor();
        const weights = card(page, 'tiny').locator('progress[aria-label^="onnx/model"]');
        await page.waitForFunction(
          () => [...document.querySelectorAll<HTMLProgressElement>('progress[aria-label^="onnx/model"]')].some((p) => p.value > 0),
          undefined,
          { timeout: 30_000 },
        );
        assert.equal(await weights.count(), 1);
        assert.ok(Number(await weights.getAttribute('max')) === WEIGHTS_BYTES);
        await page.getByRole('button', { name: 'Cancel download of tiny' }).click();
        await waitForState(page, 'tiny', 'absent');
        assert.deepEqual(await cachedUrls(page), []);
      });

      await t.test('a completed download sits in transformers-cache under the hub URLs, and survives a reload', async () => {
        slowWeights({});
        await page.getByRole('button', { name: 'Download tiny' }).click();
        await waitForState(page, 'tiny', 'cached');
        const urls = await cachedUrls(page);
        const base = `${hub.endpoint}/test/tiny/resolve/main/`;
        assert.ok(urls.includes(`${base}config.json`), urls.join('\n'));
        assert.ok(urls.includes(`${base}tokenizer.json`));
        assert.ok(urls.some((url) => /onnx\/model_(q4|quantized)\.onnx$/.test(url)));
        assert.match((await card(page, 'tiny').getByTestId('size-on-disk').textContent()) ?? '', /1\.9 MB/);
        await page.reload();
        await waitForState(page, 'tiny', 'cached');
      });

      await t.test('offline mode lists only local and cached models', async () => {
        await settings.getByRole('checkbox').check();
        await waitForState(page, 'tiny', 'cached');
        assert.equal(await card(page, 'Qwen3 0.6B').count(), 0);
        await settings.getByRole('checkbox').uncheck();
        await card(page, 'Qwen3 0.6B').waitFor();
      });

      await t.test('delete empties the cache', async () => {
        await page.getByRole('button', { name: 'Delete tiny' }).click();
        await waitForState(page, 'tiny', 'absent');
        assert.deepEqual(await cachedUrls(page), []);
      });

      await t.test('a file of the wrong size is rejected and nothing stays cached', async () => {
        slowWeights({ extraBytes: 5 });
        await page.getByRole('button', { name: 'Download tiny' }).click();
        const alert = card(page, 'tiny').locator('[role="alert"][data-error-name="DownloadVerificationError"]');
        await alert.waitFor({ timeout: 30_000 });
        await waitForState(page, 'tiny', 'absent');
        assert.deepEqual(await cachedUrls(page), []);
      });
    } finally {
      await s.close();
    }
  });

  it('a downloaded model loads in the Playground from Cache Storage, without fetching its files again', async (t) => {
    const s = await launchBrowser();
    const { page } = s;
    try {
      await openApp(page, server.origin, '#/playground');
      // The device control is locked while the embedded model loads on open.
      await waitForModelReady(page);
      await chooseDevice(page, 'wasm');
      await page.getByRole('link', { name: 'Models' }).click();

      await t.test('download the real tiny model from the fake hub', async () => {
        await addHubModel(page, hub.endpoint, 'test/tinythink');
        await page.getByRole('button', { name: 'Download tinythink', exact: true }).click();
        await waitForState(page, 'tinythink', 'cached', 60_000);
      });

      await t.test('the pickers list the added model; the engine reads its cache entries and generates', async () => {
        hub.requests.length = 0;
        await page.getByRole('link', { name: 'Experiments' }).click();
        await page.getByRole('heading', { name: 'New experiment' }).waitFor();
        // The form's label wraps its select, so the select's text is part of its name: not exact.
        const experimentModel = page.getByLabel('Model');
        await experimentModel.selectOption('test/tinythink');
        assert.equal(await experimentModel.inputValue(), 'test/tinythink');
        await page.getByRole('link', { name: 'Playground' }).click();
        await page.getByLabel('Model', { exact: true }).selectOption('test/tinythink');
        await startPrompt(page, { prompt: 'What is 12 + 7?', thinking: false, maxNewTokens: 16 });
        await waitForModelReady(page);
        await waitForRunEnd(page);
        assert.notEqual(await answerText(page), '');
        const refetched = hub.requests.filter((r) => r.method === 'GET' && !r.path.includes('/api/'));
        assert.deepEqual(refetched.map((r) => r.path), [], 'files were fetched again instead of read from the cache');
      });
    } finally {
      await s.close();
    }
  });
});
