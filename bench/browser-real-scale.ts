/**
 * Speed at real-model scale in Chromium against Node native, in one run (BENCHMARKS.md §10):
 * decode tokens/s at batch 1, greedy, of a random-weight twin (tools/zoo) on
 *   - Node: onnxruntime-node on the CPU (its own thread pool);
 *   - Chromium WASM, single-threaded: the app's worker on a page served without COOP/COEP;
 *   - Chromium WASM, multi-threaded: the same on a page served with public/_headers (cross-origin
 *     isolated), where the worker picks one thread per core (src/client/wasm-threads.ts);
 *   - then, bounded by a timeout, Chromium WebGPU (SwiftShader here) against Node on the same tokens.
 * Node and the two WASM pages take turns within each round (the order rotates every round), so
 * drift in the machine's load falls on all of them; the 1-minute load average is printed with
 * each measurement. The limit line and the fraction of it reached: bench/limit-line.ts.
 *
 *   npx tsx bench/browser-real-scale.ts --model DIR --dtype q4|q8 [--tokens 32] [--rounds 3]
 *                                       [--nodeThreads 0]   (one Node side per entry: 1,2 = one on
 *                                                            1 thread, one on 2; 0 = ORT's default)
 *                                       [--pages single,multi]   (the WASM pages to run: unisolated, isolated)
 *                                       [--webgpu 1] [--webgpuTokens 4] [--webgpuTimeoutS 600]
 * Browser over native is against the first Node side.
 */
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Prompt, Sample } from '../src/lib/generate';
import { chromiumArgs, chromiumPath, repoRoot } from '../tests/e2e/harness';
import { startStaticServer, type StaticServer } from '../tests/e2e/static-server';
import { readHeadersFile } from '../tools/headers-file';
import type { Device, Dtype, Engine } from '../workers/engine/engine';
import { loadNodeEngine } from '../workers/engine/node';
import { buildBenchPages } from './bench-pages';
import { machine, round } from './common';
import { copyBandwidthBytesPerS, weightBytesPerToken } from './limit-line';
import type { RealScaleApi } from './browser/real-scale';

const { values } = parseArgs({
  options: Object.fromEntries(['model', 'dtype', 'tokens', 'rounds', 'nodeThreads', 'pages', 'webgpu', 'webgpuTokens', 'webgpuTimeoutS'].map((name) => [name, { type: 'string' as const }])),
  strict: true,
});
if (!values.model) throw new Error('--model DIR (a twin built by tools.zoo.build) is required');
const modelDir = resolve(values.model);
const dtype = (values.dtype ?? 'q4') as Dtype;
const tokens = Number(values.tokens ?? 32);
const rounds = Number(values.rounds ?? 3);
/** onnxruntime-node's intra-op threads per Node side; 0 = the runtime's own default. */
const nodeThreads = (values.nodeThreads ?? '0').split(',').map(Number);
const pages = (values.pages ?? 'single,multi').split(',');
const webgpuTokens = Number(values.webgpuTokens ?? 4);
const webgpuTimeoutMs = Number(values.webgpuTimeoutS ?? 600) * 1000;
/** The id the pages load the twin under (served at /models/<id>/). */
const MODEL_ID = 'zoo/twin';
const prompt: Prompt = { kind: 'chat', messages: [{ role: 'user', content: 'Count from one to twenty, please.' }] };

const load1 = () => round(loadavg()[0], 2);
const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)}Z ${line}\n`);

interface Measure {
  round: number;
  tokens: number;
  decodeMs: number;
  decodeTokensPerS: number;
  prefillMs: number;
  loadAverage: number;
  text: string;
}

/** A runtime that decodes greedily: Node, or one page's worker. */
interface Side {
  name: string;
  greedy(maxNewTokens: number): Promise<Sample>;
}

function measure(roundIndex: number, sample: Sample): Measure {
  return {
    round: roundIndex,
    tokens: sample.tokens,
    decodeMs: round(sample.timings.decodeMs, 1),
    decodeTokensPerS: round(sample.timings.decodeTokensPerS, 3),
    prefillMs: round(sample.timings.prefillMs, 1),
    loadAverage: load1(),
    text: sample.text,
  };
}

/** Decode tokens/s over all rounds: decoded tokens (all but each run's first) over decode time. */
function pooledTokensPerS(measures: readonly Measure[]): number {
  const decoded = measures.reduce((sum, m) => sum + m.tokens - 1, 0);
  const ms = measures.reduce((sum, m) => sum + m.decodeMs, 0);
  return decoded / (ms / 1000);
}

async function openPage(browser: Browser, server: StaticServer, device: Device): Promise<{ page: Page; side: Side; info: Record<string, unknown> }> {
  const page = await browser.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') log(`[browser] ${message.text()}`);
  });
  await page.goto(`${server.origin}/real-scale.html`);
  await page.waitForFunction(() => 'thinkbenchRealScale' in window);
  const info = await page.evaluate(([id, d, t]) => (window.thinkbenchRealScale as RealScaleApi).load(id, d as Device, t as Dtype), [MODEL_ID, device, dtype] as const);
  const name = device === 'webgpu' ? 'chromium-webgpu' : `chromium-wasm-${info.threads}t`;
  log(`${name}: loaded in ${round(info.loadMs / 1000, 1)} s (isolated ${info.crossOriginIsolated}, threads ${info.threads}, adapter ${info.adapter}), load ${load1()}`);
  const side: Side = {
    name,
    greedy: (maxNewTokens) => page.evaluate(([p, m]) => window.thinkbenchRealScale.greedy(p, m), [prompt, maxNewTokens] as const),
  };
  return { page, side, info: { ...info, loadMs: round(info.loadMs, 0) } };
}

/** Rejects after `ms`; the caller closes the page, which ends its worker. */
function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result after ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const pagesDir = buildBenchPages();
const mounts = { [`/models/${MODEL_ID}/`]: modelDir };
const isolatedServer = await startStaticServer({ root: pagesDir, mounts, headerRules: readHeadersFile(join(repoRoot, 'public/_headers')) });
const plainServer = await startStaticServer({ root: pagesDir, mounts });
const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
const bandwidthBefore = copyBandwidthBytesPerS();
const bytesPerToken = weightBytesPerToken(modelDir, dtype);
const results: Record<string, unknown> = { dtype, tokens, rounds, loadAverageStart: load1() };
try {
  const nodes: Side[] = [];
  const engines: Engine[] = [];
  for (const threads of nodeThreads) {
    const started = performance.now();
    const engine = await loadNodeEngine({ modelDir, dtype, ...(threads > 0 ? { threads } : {}) });
    engines.push(engine);
    const name = threads > 0 ? `node-${threads}t` : 'node';
    log(`${name}: loaded in ${round((performance.now() - started) / 1000, 1)} s, load ${load1()}`);
    nodes.push({ name, greedy: async (maxNewTokens) => (await engine.generate({ prompt, n: 1, maxNewTokens, sampling: { temperature: 0 } }))[0] });
  }
  const node = nodes[0];
  // Not isolated: the worker runs WASM on 1 thread; isolated: one per core.
  const opened = [];
  if (pages.includes('single')) opened.push(await openPage(browser, plainServer, 'wasm'));
  if (pages.includes('multi')) opened.push(await openPage(browser, isolatedServer, 'wasm'));
  results.pages = { wasm: opened.map((p) => p.info), userAgent: await browser.version() };
  const sides = [...nodes, ...opened.map((p) => p.side)];
  for (const side of sides) await side.greedy(4); // warm-up: first-run setup lands on no measured round

  const measures: Record<string, Measure[]> = Object.fromEntries(sides.map((side) => [side.name, []]));
  for (let r = 0; r < rounds; r++) {
    const order = sides.map((_, i) => sides[(i + r) % sides.length]);
    for (const side of order) {
      const m = measure(r, await side.greedy(tokens));
      measures[side.name].push(m);
      log(`round ${r} ${side.name}: ${m.tokens} tokens, decode ${m.decodeTokensPerS} tok/s, prefill ${m.prefillMs} ms, load ${m.loadAverage}`);
    }
  }
  for (const { page } of opened) await page.close();

  const bandwidth = Math.max(bandwidthBefore, copyBandwidthBytesPerS());
  const limitTokensPerS = bandwidth / bytesPerToken;
  const nodeRate = pooledTokensPerS(measures[node.name]);
  results.limit = { copyBandwidthGBPerS: round(bandwidth / 1e9, 2), weightMBPerToken: round(bytesPerToken / 1e6, 1), limitTokensPerS: round(limitTokensPerS, 2) };
  results.sides = Object.fromEntries(
    sides.map((side) => {
      const rate = pooledTokensPerS(measures[side.name]);
      const perRound = measures[side.name].map((m, i) => round(m.decodeTokensPerS / measures[node.name][i].decodeTokensPerS, 3));
      return [
        side.name,
        {
          decodeTokensPerS: round(rate, 3),
          overNative: round(rate / nodeRate, 3),
          overNativePerRound: perRound,
          /** Against every Node side: with Node on 1 and 2 threads, kernels and thread scaling apart. */
          overEachNode: Object.fromEntries(nodes.map((n) => [n.name, round(rate / pooledTokensPerS(measures[n.name]), 3)])),
          fractionOfLimit: round(rate / limitTokensPerS, 3),
          sameTextAsNode: measures[side.name].filter((m, i) => m.text === measures[node.name][i].text).length,
          measures: measures[side.name].map((m) => ({ ...m, text: undefined })),
        },
      ];
    }),
  );
  log(JSON.stringify(results.sides, (key, value) => (key === 'measures' ? undefined : value)));

  if (values.webgpu !== '0') {
    const nodeBefore = measure(0, await node.greedy(webgpuTokens));
    let webgpu: Record<string, unknown>;
    let page: Page | null = null;
    try {
      const started = performance.now();
      const gpu = await withTimeout(openPage(browser, isolatedServer, 'webgpu'), webgpuTimeoutMs, 'WebGPU load');
      page = gpu.page;
      const left = webgpuTimeoutMs - (performance.now() - started);
      const m = measure(0, await withTimeout(gpu.side.greedy(webgpuTokens), left, 'WebGPU decode'));
      const nodeAfter = measure(0, await node.greedy(webgpuTokens));
      const nodeGpuRate = pooledTokensPerS([nodeBefore, nodeAfter]);
      webgpu = { ...gpu.info, measure: { ...m, text: undefined }, node: [nodeBefore, nodeAfter].map((n) => ({ ...n, text: undefined })), overNative: round(m.decodeTokensPerS / nodeGpuRate, 4), sameTextAsNode: m.text === nodeBefore.text };
    } catch (error) {
      webgpu = { failed: (error as Error).message, nodeBefore: { ...nodeBefore, text: undefined }, loadAverage: load1() };
    } finally {
      await page?.close();
    }
    log(`webgpu: ${JSON.stringify(webgpu)}`);
    results.webgpu = webgpu;
  }
  for (const engine of engines) await engine.dispose();
} finally {
  await browser.close();
  await isolatedServer.close();
  await plainServer.close();
}
results.loadAverageEnd = load1();
console.log(JSON.stringify({ bench: 'browser-real-scale', model: modelDir, machine: machine(), at: new Date().toISOString(), results }));
