/**
 * The catalog's real model layouts in real Chromium, on random-weight twins (tools/zoo): tiny
 * Qwen3 and Gemma 3 twins (GroupQueryAttention, MatMulNBits q4, fp32 with external data, tied
 * embeddings, Gemma's sliding window) are published on a fake hub, downloaded through the
 * Models page, then loaded from Cache Storage in offline mode by the app's own inference worker
 * on WASM and on WebGPU (SwiftShader). There they run greedy decoding and a seeded batch with a
 * budget cut and per-row stops (WebGPU a subset: `CHECKS`), and must give what the fp32 twin
 * gives on onnxruntime-node in this process: the same tokens, log-probabilities within a
 * per-dtype tolerance, the same rows.
 *
 * The twins are built once into .tmp/zoo-twins and shared with tests/tools/zoo.test.ts. Needs
 * /usr/bin/python3 with torch and onnx: skips without it, fails without it under CI=true.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { Page } from 'playwright-core';
import type { GenerateParams, LoadParams, WorkerMessage } from '../../src/client/protocol';
import type { Sample } from '../../src/lib/generate';
import type { ModelDtype } from '../../src/lib/models/dtype';
import { loadNodeEngine } from '../../workers/engine/node';
import { startFakeHub, type FakeHub } from '../fixtures/hub/fake-hub';
import { twinRepo } from '../fixtures/hub/twin-repo';
import { tinyTwin, type ZooFamily } from '../fixtures/zoo/twins';
import { pythonProblem } from '../tools/python';
import { launchBrowser, openApp, repoRoot, startAppServer, type BrowserSession } from './harness';
import type { StaticServer } from './static-server';

const FAMILIES: readonly ZooFamily[] = ['qwen3', 'gemma3'];
const DTYPES = ['fp32', 'q4'] as const satisfies readonly ModelDtype[];
type TestedDtype = (typeof DTYPES)[number];

/**
 * Largest difference (nats) of a generated token's log-probability from onnxruntime-node's fp32
 * run. The twins' q4 weights equal their fp32 weights exactly (tools/zoo/weights.py), so both
 * dtypes differ from Node only by float32 arithmetic in other kernels.
 */
const LOGPROB_TOLERANCE: Record<TestedDtype, number> = { fp32: 1e-3, q4: 1e-3 };

const PROMPT = { kind: 'chat', messages: [{ role: 'user', content: 'What is 17 + 21?' }] } as const;
const GREEDY: GenerateParams = { prompt: PROMPT, n: 1, maxNewTokens: 10, sampling: { temperature: 0 }, logprobs: { topK: 0 } };
const FORCED_TEXT = '\n</think>\n\n';

/**
 * A seeded batch whose rows are cut after `budget` thinking tokens and then each stop at their
 * own first `stop`. WebGPU gets a smaller one: every decode step on the software adapter
 * (SwiftShader) costs seconds.
 */
interface BatchShape {
  n: number;
  budget: number;
  maxNewTokens: number;
}
const BATCH: Record<'wasm' | 'webgpu', BatchShape> = {
  wasm: { n: 3, budget: 4, maxNewTokens: 12 },
  webgpu: { n: 2, budget: 2, maxNewTokens: 6 },
};

function batchRequest(shape: BatchShape, stop?: string): GenerateParams {
  return {
    prompt: PROMPT,
    n: shape.n,
    maxNewTokens: shape.maxNewTokens,
    sampling: { temperature: 1.5, topK: 50, seed: 3 },
    thinking: { endMarker: '</think>', budgetTokens: shape.budget, forcedText: FORCED_TEXT },
    stop: stop ? [stop] : [],
    logprobs: { topK: 0 },
  };
}

type Check = 'greedy' | 'batch' | 'first token';

/**
 * What runs where. WASM: 10 greedy tokens and the seeded batch, both dtypes. On the software GPU
 * adapter (SwiftShader) every decode step costs seconds, a q4 one (MatMulNBits) more still
 * (tools/zoo/README.md), so WebGPU runs the batch in fp32 and q4's first token.
 * The seeded batch gives Node's tokens only if the logits agree, so it checks them as greedy does.
 */
const CHECKS: Record<'wasm' | 'webgpu', Record<TestedDtype, readonly Check[]>> = {
  wasm: { fp32: ['greedy', 'batch'], q4: ['greedy', 'batch'] },
  webgpu: { fp32: ['batch'], q4: ['first token'] },
};

/** What must match between runtimes: a sample without its timings. */
interface Outcome {
  text: string;
  tokens: number;
  thinkingTokens: number;
  finishReason: string;
  budgetCut: boolean;
  tokenIds: number[];
  logprobs: number[];
}

/** A sample as far as `outcome` reads it (typed arrays or, from the page, plain ones). */
type SampleView = Pick<Sample, 'text' | 'tokens' | 'thinkingTokens' | 'finishReason' | 'budgetCut'> & {
  logprobs?: { tokenIds: ArrayLike<number>; logprobs: ArrayLike<number> };
};

function outcome(sample: SampleView): Outcome {
  return {
    text: sample.text,
    tokens: sample.tokens,
    thinkingTokens: sample.thinkingTokens,
    finishReason: sample.finishReason,
    budgetCut: sample.budgetCut,
    tokenIds: Array.from(sample.logprobs?.tokenIds ?? []),
    logprobs: Array.from(sample.logprobs?.logprobs ?? []),
  };
}

interface Reference {
  greedy: Outcome;
  batches: Record<'wasm' | 'webgpu', { stop: string; rows: Outcome[] }>;
}

/**
 * A stop string only row 0 writes, after the forced text: with it row 0 stops early while the
 * others run to the token limit, so the batch has rows that finish at different steps.
 */
function stopOnlyRowZeroWrites(rows: Outcome[]): string {
  const [thinking, answer] = rows[0].text.split(FORCED_TEXT);
  // One character (code point) after the first: the sampled text is any script at all.
  for (const candidate of Array.from(answer).slice(1)) {
    const elsewhere = [thinking, FORCED_TEXT, ...rows.slice(1).map((row) => row.text)];
    if (candidate.trim() !== '' && !elsewhere.some((text) => text.includes(candidate))) return candidate;
  }
  throw new Error(`no stop string found in ${JSON.stringify(answer)}`);
}

/** The fp32 twin on onnxruntime-node through the app's Node engine: what every browser run must give. */
async function nodeReference(dir: string, family: ZooFamily): Promise<Reference> {
  const engine = await loadNodeEngine({ modelDir: dir, dtype: 'fp32', modelId: `zoo/${family}-fp32` });
  try {
    const [greedy] = await engine.generate(GREEDY);
    const batch = async (shape: BatchShape) => {
      const stop = stopOnlyRowZeroWrites((await engine.generate(batchRequest(shape))).map(outcome));
      const rows = (await engine.generate(batchRequest(shape, stop))).map(outcome);
      // The browser checks are only worth something if the rows really end differently.
      assert.deepEqual(
        rows.map((row) => [row.finishReason, row.budgetCut, row.thinkingTokens]),
        rows.map((_, i) => [i === 0 ? 'stop' : 'length', true, shape.budget]),
        `${family}: the reference batch should cut every row at ${shape.budget} tokens and stop row 0 early`,
      );
      assert.ok(rows[0].tokens < rows[1].tokens);
      return { stop, rows };
    };
    return { greedy: outcome(greedy), batches: { wasm: await batch(BATCH.wasm), webgpu: await batch(BATCH.webgpu) } };
  } finally {
    await engine.dispose();
  }
}

/** The first `tokens` generated tokens of a greedy outcome (its text is not cut: unused). */
function truncate(greedy: Outcome, tokens: number): Outcome {
  return { ...greedy, tokens, tokenIds: greedy.tokenIds.slice(0, tokens), logprobs: greedy.logprobs.slice(0, tokens) };
}

/** Largest log-probability difference (nats) between two runs of the same tokens. */
function logprobError(got: Outcome[], want: Outcome[]): number {
  return Math.max(...got.flatMap((row, r) => row.logprobs.map((value, i) => Math.abs(value - want[r].logprobs[i]))));
}

/** The app's built inference worker script (dist/assets/inference.worker-<hash>.js). */
function workerUrl(origin: string): string {
  const name = readdirSync(join(repoRoot, 'dist/assets')).find((file) => /^inference\.worker-.*\.js$/.test(file));
  if (!name) throw new Error('dist/assets has no inference.worker-*.js: build the app first');
  return `${origin}/assets/${name}`;
}

/**
 * Starts the app's inference worker in the page, as its client does (a module worker), and
 * installs `window.zooCall(method, params)`: one protocol request, its result or its error.
 */
async function startWorker(page: Page, url: string): Promise<void> {
  await page.evaluate((scriptUrl) => {
    const worker = new Worker(scriptUrl, { type: 'module', name: 'inference' });
    const pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
    let nextId = 1;
    worker.addEventListener('message', (event: MessageEvent<WorkerMessage>) => {
      const message = event.data;
      if (message.kind === 'event') return;
      const call = pending.get(message.id);
      pending.delete(message.id);
      if (message.kind === 'result') call?.resolve(message.result);
      else call?.reject(new Error(`${message.error.name}: ${message.error.message} ${message.error.hint ?? ''}`));
    });
    const zoo = window as unknown as { zooCall: unknown; zooWorker: Worker };
    zoo.zooWorker = worker;
    zoo.zooCall = (method: string, params: unknown) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ kind: 'request', id, method, params });
      });
  }, url);
}

async function stopWorker(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { zooWorker: Worker }).zooWorker.terminate());
}

async function workerLoad(page: Page, params: LoadParams): Promise<void> {
  await page.evaluate(async (load) => {
    await (window as unknown as { zooCall: (method: string, params: unknown) => Promise<unknown> }).zooCall('load', load);
  }, params);
}

/** Generates in the worker; the page sends the log-probabilities as plain arrays (typed ones do not cross). */
async function workerGenerate(page: Page, request: GenerateParams): Promise<Outcome[]> {
  const samples = await page.evaluate(async (params) => {
    const call = (window as unknown as { zooCall: (method: string, params: unknown) => Promise<Sample[]> }).zooCall;
    return (await call('generate', params)).map(({ logprobs, ...sample }) => ({
      ...sample,
      logprobs: logprobs && { tokenIds: Array.from(logprobs.tokenIds), logprobs: Array.from(logprobs.logprobs) },
    }));
  }, request);
  return samples.map(outcome);
}

const problem = pythonProblem('zoo twins e2e test');
const twins = new Map<ZooFamily, string>();
const references = new Map<ZooFamily, Promise<Reference>>();
let server: StaticServer;
let hub: FakeHub;

before(() => {
  if (problem) return;
  for (const family of FAMILIES) twins.set(family, tinyTwin(family));
});

describe('tiny twins of the catalog layouts in Chromium', { skip: problem ?? undefined }, () => {
  before(async () => {
    // Node computes the references while Chromium downloads.
    for (const family of FAMILIES) {
      const reference = nodeReference(twins.get(family) ?? '', family);
      reference.catch(() => undefined); // awaited (and reported) by the steps that use it
      references.set(family, reference);
    }
    const repos: Record<string, ReturnType<typeof twinRepo>> = {};
    for (const family of FAMILIES) {
      const dir = twins.get(family) ?? '';
      repos[`zoo/${family}-q4`] = twinRepo(dir, ['q4']);
      repos[`zoo/${family}-fp32`] = twinRepo(dir, ['fp32']);
      repos[`zoo/${family}-f16`] = twinRepo(dir, ['fp16', 'q4f16']);
    }
    server = await startAppServer();
    hub = await startFakeHub(repos);
  });
  after(async () => {
    await hub?.close();
    await server?.close();
  });

  it('download through the Models page, load offline in the worker, match the fp32 twin on WASM and WebGPU', { timeout: 1_800_000 }, async (t) => {
    const s = await launchBrowser();
    const { page } = s;
    // Loads and downloads of tens of MB: Playwright's 30 s default is short on a busy CI machine.
    page.setDefaultTimeout(120_000);
    try {
      // The device the Models page picks weights for, as if chosen in the Playground before.
      await page.addInitScript(() => localStorage.setItem('thinkbench.device', JSON.stringify('webgpu')));
      await openApp(page, server.origin, '#/models');
      await downloadAll(t, s);
      const url = workerUrl(server.origin);
      for (const device of ['wasm', 'webgpu'] as const) {
        await t.test(`${device}: the downloaded twins load from Cache Storage offline and match the fp32 twin`, async (t) => {
          await startWorker(page, url);
          try {
            for (const family of FAMILIES) {
              for (const dtype of DTYPES) {
                await t.test(`${family} ${dtype}`, () => conformance(page, family, dtype, device));
              }
            }
          } finally {
            await stopWorker(page);
          }
        });
      }
    } finally {
      await s.close();
    }
  });
});

const card = (page: Page, label: string) => page.getByRole('article', { name: label, exact: true });

async function downloadAll(t: TestContext, s: BrowserSession): Promise<void> {
  const { page } = s;
  const settings = page.getByRole('region', { name: 'Hub settings' });
  await settings.getByRole('checkbox').uncheck();
  await settings.getByLabel("Hub host (a mirror's URL)").fill(hub.endpoint);
  await settings.getByRole('button', { name: 'Save host' }).click();
  for (const family of FAMILIES) {
    for (const dtype of DTYPES) {
      const label = `${family}-${dtype}`;
      await t.test(`Models page: add zoo/${label}, download it with progress, see it cached`, async () => {
        // The weights file slow enough to see progress move; the rest at full speed.
        hub.faults.set(`zoo/${label}/onnx/${dtype === 'q4' ? 'model_q4.onnx' : 'model.onnx_data'}`, { chunkDelayMs: 5 });
        await page.getByLabel('Add a hub model by id').fill(`zoo/${label}`);
        await page.getByRole('button', { name: 'Add', exact: true }).click();
        await page.locator(`article[aria-label="${label}"][data-state="absent"]`).waitFor({ timeout: 30_000 });
        assert.match((await card(page, label).textContent()) ?? '', new RegExp(`Weights here\\s*${dtype}\\b`));
        await page.getByRole('button', { name: `Download ${label}` }).click();
        const total = page.getByRole('progressbar', { name: `Total download of ${label}` });
        await total.waitFor();
        await page.waitForFunction((name) => Number(document.querySelector<HTMLProgressElement>(`progress[aria-label="${name}"]`)?.value) > 0, `Total download of ${label}`);
        await page.locator(`article[aria-label="${label}"][data-state="cached"]`).waitFor({ timeout: 120_000 });
      });
    }
  }
  await t.test('webgpu: fp16 weights need shader-f16, and the app says so when the adapter lacks it', () => f16Check(page, workerUrl(server.origin)));
  await t.test('offline mode: the downloads are listed as cached', async () => {
    await settings.getByRole('checkbox').check();
    for (const family of FAMILIES) for (const dtype of DTYPES) await page.locator(`article[aria-label="${family}-${dtype}"][data-state="cached"]`).waitFor();
  });
}

async function conformance(page: Page, family: ZooFamily, dtype: TestedDtype, device: 'wasm' | 'webgpu'): Promise<void> {
  const modelId = `zoo/${family}-${dtype}`;
  hub.requests.length = 0;
  const started = Date.now();
  // What the app's loader sends for a downloaded hub model in offline mode (models-loading.svelte.ts).
  await workerLoad(page, { modelId, device, dtype, localModelPath: '/models/', allowRemoteModels: false, remoteHost: hub.endpoint, useBrowserCache: true });
  const loadedMs = Date.now() - started;
  assert.deepEqual(hub.requests, [], 'offline: the load read Cache Storage only');

  const reference = await (references.get(family) ?? Promise.reject(new Error(`no reference for ${family}`)));
  const errors: number[] = [];
  const checks = CHECKS[device][dtype];
  if (checks.includes('greedy') || checks.includes('first token')) {
    const request = checks.includes('greedy') ? GREEDY : { ...GREEDY, maxNewTokens: 1 };
    const [greedy] = await workerGenerate(page, request);
    const want = truncate(reference.greedy, greedy.tokenIds.length);
    assert.equal(greedy.tokens, request.maxNewTokens);
    assert.deepEqual(greedy.tokenIds, want.tokenIds, 'greedy tokens equal the fp32 twin on Node');
    errors.push(logprobError([greedy], [want]));
  }
  if (checks.includes('batch')) {
    const want = reference.batches[device];
    const rows = await workerGenerate(page, batchRequest(BATCH[device], want.stop));
    const withoutLogprobs = (row: Outcome) => ({ ...row, logprobs: row.logprobs.length });
    assert.deepEqual(rows.map(withoutLogprobs), want.rows.map(withoutLogprobs), 'the seeded batch (budget cut, per-row stop) equals the fp32 twin on Node');
    errors.push(logprobError(rows, want.rows));
  }
  const worst = Math.max(...errors);
  assert.ok(worst < LOGPROB_TOLERANCE[dtype], `log-probabilities differ from Node's by ${worst} nats (tolerance ${LOGPROB_TOLERANCE[dtype]})`);
  console.log(`${modelId} on ${device} (${checks.join(', ')}): loaded in ${loadedMs} ms, ran in ${Date.now() - started - loadedMs} ms; log-prob error ${worst.toExponential(1)} nats`);
}

/**
 * SwiftShader has no shader-f16. Where the adapter lacks it, a twin that publishes only fp16 and
 * q4f16 weights cannot be downloaded for WebGPU, and the card says why; a load of q4f16 in the
 * worker fails with a typed error naming the feature rather than a shader compile failure.
 */
async function f16Check(page: Page, url: string): Promise<void> {
  const hasF16 = await page.evaluate(async () => (await navigator.gpu?.requestAdapter())?.features.has('shader-f16') ?? false);
  await page.getByLabel('Add a hub model by id').fill('zoo/qwen3-f16');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const f16 = page.locator('article[aria-label="qwen3-f16"][data-state="absent"]');
  await f16.waitFor({ timeout: 30_000 });
  const download = page.getByRole('button', { name: 'Download qwen3-f16' });
  if (hasF16) {
    assert.equal(await download.isEnabled(), true);
    return;
  }
  const shown = (await f16.textContent()) ?? '';
  assert.match(shown, /Weights here\s*fp16\b/);
  assert.match(shown, /fp16 needs the WebGPU feature shader-f16, which this adapter lacks; use q4 or fp32 weights, or WASM\./);
  // The size includes model_fp16.onnx_data (9.8 MB), not the 14 KB graph alone.
  assert.match(shown, /Download\s*9\.\d MB/);
  assert.equal(await download.isDisabled(), true);

  await startWorker(page, url);
  try {
    const params = { modelId: 'zoo/qwen3-f16', device: 'webgpu', dtype: 'q4f16', localModelPath: '/models/', allowRemoteModels: true, remoteHost: hub.endpoint, useBrowserCache: true } as const;
    await assert.rejects(workerLoad(page, params), /Fp16UnsupportedError: .*shader-f16/);
  } finally {
    await stopWorker(page);
  }
}
