/**
 * Reusable pieces for end-to-end tests in real Chromium: the app server (built app + test-only
 * fixture models), a fresh browser per test that records every request it makes, and page
 * helpers that drive the app through its accessible names — the same names screen-reader users
 * rely on, so keep them stable.
 *
 * Expects `npm run build` to have produced dist/ (tests/e2e/run.mjs does that first).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { readHeadersFile } from '../../tools/headers-file';
import { startStaticServer, type StaticServer } from './static-server';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const chromiumPath = process.env.THINKBENCH_CHROMIUM ?? '/usr/bin/chromium';

/** The flags that give a SwiftShader WebGPU adapter headless and keep Chromium off the network. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Serves dist/ with the headers of its `_headers` file (cross-origin isolation, as a static host
 * sends them) and, at /models/test/, the fixture models (which never ship in the app).
 */
export async function startAppServer(mounts: Record<string, string> = {}): Promise<StaticServer> {
  const root = join(repoRoot, 'dist');
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`${root}/index.html is missing: build the app first (npm run build, or run via npm run test:e2e)`);
  }
  return startStaticServer({
    root,
    headerRules: readHeadersFile(join(root, '_headers')),
    mounts: { '/models/test/': join(repoRoot, 'tests/e2e/fixtures/models/test'), ...mounts },
  });
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Every URL the page and its workers requested, in order. */
  requestedUrls: string[];
  /** Console errors and uncaught page errors, for assertions and for debugging failures. */
  consoleErrors: string[];
  close(): Promise<void>;
}

/** A fresh Chromium profile (its own user-data-dir, so caches and IndexedDB start empty). */
export async function launchBrowser(): Promise<BrowserSession> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: install Debian's chromium (apt-get install chromium)`);
  }
  const userDataDir = await mkdtemp(join(tmpdir(), 'thinkbench-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1280, height: 900 },
  });
  const requestedUrls: string[] = [];
  const consoleErrors: string[] = [];
  const debug = process.env.THINKBENCH_E2E_DEBUG === '1';
  context.on('request', (request) => requestedUrls.push(request.url()));
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
    if (debug) console.error(`[browser ${message.type()}] ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
  return {
    context,
    page,
    requestedUrls,
    consoleErrors,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** URLs that left `origin` (data: and blob: URLs stay in the page and are not counted). */
export function requestsLeavingOrigin(urls: readonly string[], origin: string): string[] {
  return urls.filter((url) => !url.startsWith(`${origin}/`) && !/^(data|blob):/.test(url));
}

export async function openApp(page: Page, origin: string, hash = '#/playground'): Promise<void> {
  await page.goto(`${origin}/${hash}`);
}

/** Waits until the Playground says the model is loaded; returns the ready line's text. */
export async function waitForModelReady(page: Page, timeoutMs = 300_000): Promise<string> {
  const ready = page.getByTestId('model-ready');
  await ready.waitFor({ state: 'visible', timeout: timeoutMs });
  return (await ready.textContent()) ?? '';
}

export async function chooseDevice(page: Page, device: 'auto' | 'webgpu' | 'wasm'): Promise<void> {
  await page.getByLabel('Device', { exact: true }).selectOption(device);
}

export interface PromptOptions {
  prompt: string;
  maxNewTokens?: number;
  thinking?: boolean;
  temperature?: number;
}

/** Fills the Playground's form and presses Run (does not wait for the end). */
export async function startPrompt(page: Page, options: PromptOptions): Promise<void> {
  await page.getByLabel('Prompt', { exact: true }).fill(options.prompt);
  if (options.maxNewTokens !== undefined) await page.getByLabel('Max new tokens').fill(String(options.maxNewTokens));
  if (options.temperature !== undefined) await page.getByLabel(/^Temperature/).fill(String(options.temperature));
  if (options.thinking !== undefined) await page.getByRole('checkbox', { name: 'Thinking' }).setChecked(options.thinking);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
}

/** Waits until a run is over: Run is enabled again and metrics or an error are shown. */
export async function waitForRunEnd(page: Page, timeoutMs = 300_000): Promise<void> {
  await page.getByRole('button', { name: 'Run', exact: true }).and(page.locator(':enabled')).waitFor({ timeout: timeoutMs });
}

export async function answerText(page: Page): Promise<string> {
  return ((await page.getByRole('region', { name: 'Answer' }).getByTestId('answer-text').textContent()) ?? '').trim();
}

/** The metrics list as label → shown value (e.g. `Decode rate` → `12.3 tokens/s`). */
export async function readMetrics(page: Page): Promise<Record<string, string>> {
  const metrics = page.getByTestId('metrics');
  await metrics.waitFor();
  return metrics.evaluate((list) => {
    const out: Record<string, string> = {};
    for (const item of list.querySelectorAll('div')) {
      const label = item.querySelector('dt')?.textContent?.trim();
      const value = item.querySelector('dd')?.textContent?.trim();
      if (label && value !== undefined) out[label] = value;
    }
    return out;
  });
}

/** The number in a metric value such as `12.3 tokens/s` or `840 ms`. */
export function metricNumber(metrics: Record<string, string>, label: string): number {
  const value = metrics[label];
  if (value === undefined) throw new Error(`no metric "${label}" (have: ${Object.keys(metrics).join(', ')})`);
  return Number.parseFloat(value);
}

/** The error shown in the Playground (role alert), with its typed name. */
export async function shownError(page: Page, timeoutMs = 120_000): Promise<{ name: string; text: string }> {
  const alert = page.getByRole('alert');
  await alert.waitFor({ timeout: timeoutMs });
  return {
    name: (await alert.getAttribute('data-error-name')) ?? '',
    text: ((await alert.textContent()) ?? '').replace(/\s+/g, ' ').trim(),
  };
}

/** Selects a model served under /models/ by id (e.g. a fixture at `test/broken-model`). */
export async function selectLocalModel(page: Page, id: string): Promise<void> {
  await page.getByLabel('Model', { exact: true }).selectOption({ label: 'Other model in /models/…' });
  await page.getByLabel('Local model id').fill(id);
  await page.getByRole('button', { name: 'Use model' }).click();
}

export async function selectEmbeddedModel(page: Page): Promise<void> {
  await page.getByLabel('Model', { exact: true }).selectOption('thinkbench/tinythink');
}

/** Generates a built-in arithmetic dataset on the Datasets page and waits until it is listed. */
export async function createArithmeticDataset(page: Page, origin: string, options: { questions: number; steps: number; seed: number }): Promise<void> {
  await openApp(page, origin, '#/datasets');
  await page.getByLabel('Questions', { exact: true }).fill(String(options.questions));
  await page.getByLabel('Min steps').fill(String(options.steps));
  await page.getByLabel('Max steps').fill(String(options.steps));
  await page.getByLabel('Seed', { exact: true }).fill(String(options.seed));
  await page.getByRole('button', { name: 'Generate dataset' }).click();
  await page.getByRole('cell', { name: /built-in arithmetic/ }).first().waitFor();
}

export interface ExperimentOptions {
  name: string;
  questions: number;
  maxNewTokens: number;
  /** Settings typed in and added, in order. */
  strategies: readonly string[];
  /** Remove the form's default strategies first, so only `strategies` run. */
  only?: boolean;
  timeoutMs?: number;
}

/** Runs an experiment from the Experiments page on WASM; returns the run's final status (`completed`, `failed`, `paused`). */
export async function runExperiment(page: Page, origin: string, options: ExperimentOptions): Promise<string> {
  await openApp(page, origin, '#/experiments');
  await page.getByLabel('Device', { exact: true }).selectOption('wasm');
  await page.getByLabel('Name (optional)').fill(options.name);
  await page.getByLabel('Questions (n)').fill(String(options.questions));
  await page.getByLabel('Max new tokens').fill(String(options.maxNewTokens));
  const chosen = page.getByRole('list', { name: 'Chosen strategies' });
  if (options.only) {
    for (const text of await chosen.locator('code').allTextContents()) await page.getByRole('button', { name: `Remove ${text}` }).click();
  }
  for (const setting of options.strategies) {
    await page.getByLabel('…or type a setting').fill(setting);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await chosen.getByText(setting, { exact: true }).waitFor();
  }
  await page.getByRole('button', { name: 'Start experiment' }).click();
  const badge = page.getByTestId('run-status').filter({ hasText: /completed|failed|paused/ });
  await badge.waitFor({ timeout: options.timeoutMs ?? 600_000 });
  return (await badge.textContent()) ?? '';
}
