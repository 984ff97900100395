/**
 * Benchmarks 1 (Chromium half) and 5: the shared workloads in Debian's headless Chromium on
 * onnxruntime-web — WASM, and WebGPU on the SwiftShader software adapter — and the same greedy
 * workload on Node's native onnxruntime, in one run.
 *   - batched vs sequential sampling, k = 1, 2, 4, 8, 16 (per device);
 *   - browser vs native: greedy tokens/s ratio (and whether both decode the same text).
 * The page runs the engine on its main thread without cross-origin isolation, so WASM runs
 * single-threaded — as the app does unless it is served with COOP/COEP.
 *
 *   npx tsx bench/browser-bench.ts [--model DIR] [--dtype fp32|q8] [--prompts 2] [--greedyPrompts 6] [--maxNewTokens 64]
 *                                  [--webgpu 1] [--wasm 1] [--batched 1]   (0 skips WebGPU / WASM / the batched workload)
 *                                  [--maxK 16]   (batched workload for k up to this: SwiftShader's WebGPU is slow)
 */
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { generateArithmeticProblems } from '../src/lib/datasets/arithmetic';
import { chromiumArgs, chromiumPath } from '../tests/e2e/harness';
import { startStaticServer } from '../tests/e2e/static-server';
import { loadNodeEngine } from '../workers/engine/node';
import type { Device } from '../workers/engine/engine';
import { buildBenchPages } from './bench-pages';
import { benchArgs, report, round } from './common';
import { BATCH_KS, greedyWorkload, type BatchedRow, type GreedyResult } from './workloads';
import type { BrowserBenchApi } from './browser/main';

const args = benchArgs({ prompts: 2, greedyPrompts: 6, maxNewTokens: 64, webgpu: 1, wasm: 1, batched: 1, maxK: 16 });
const ks = BATCH_KS.filter((k) => k <= args.numbers.maxK);
const pagesDir = buildBenchPages();

const questions = generateArithmeticProblems({ n: args.numbers.prompts, seed: 101, minSteps: 3, maxSteps: 3 }).map((p) => p.question);
const greedyQuestions = generateArithmeticProblems({ n: args.numbers.greedyPrompts, seed: 505 }).map((p) => p.question);
const server = await startStaticServer({
  root: pagesDir,
  mounts: { '/models/thinkbench/tinythink/': resolve(args.modelDir) },
});
const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
const results: Record<string, unknown> = {};
try {
  const page = await browser.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') process.stderr.write(`[browser] ${message.text()}\n`);
  });
  await page.goto(server.origin);
  await page.waitForFunction(() => 'thinkbenchBench' in window);
  results.userAgent = await page.evaluate(() => navigator.userAgent);
  const devices = (['wasm', 'webgpu'] as const).filter((device) => args.numbers[device] !== 0) as Device[];
  const browserGreedy: Record<string, GreedyResult> = {};
  for (const device of devices) {
    const { adapter } = await page.evaluate(([d, t]) => window.thinkbenchBench.load(d as Device, t as 'fp32' | 'q8'), [device, args.dtype]);
    process.stderr.write(`${device}: loaded (adapter ${adapter})\n`);
    const batched: BatchedRow[] = args.numbers.batched
      ? await page.evaluate(([q, k, m]) => (window.thinkbenchBench as BrowserBenchApi).batched(q, k, m), [questions, ks, args.numbers.maxNewTokens] as const)
      : [];
    for (const row of batched) process.stderr.write(`${device} k=${row.k}: batched ${row.batchedTokensPerS} tok/s, sequential ${row.sequentialTokensPerS} tok/s, ratio ${row.throughputRatio}\n`);
    browserGreedy[device] = await page.evaluate(([q, m]) => window.thinkbenchBench.greedy(q, m), [greedyQuestions, args.numbers.maxNewTokens] as const);
    process.stderr.write(`${device} greedy: ${browserGreedy[device].tokensPerS} tok/s\n`);
    results[device] = { adapter, batched, greedy: { ...browserGreedy[device], texts: undefined } };
  }
  const engine = await loadNodeEngine({ modelDir: args.modelDir, dtype: args.dtype });
  const native = await greedyWorkload(engine.generate, greedyQuestions, args.numbers.maxNewTokens);
  await engine.dispose();
  process.stderr.write(`node greedy: ${native.tokensPerS} tok/s\n`);
  results.nodeGreedy = { ...native, texts: undefined };
  results.browserOverNative = Object.fromEntries(
    Object.entries(browserGreedy).map(([device, run]) => [
      device,
      { tokensPerSRatio: round(run.tokensPerS / native.tokensPerS, 3), sameTexts: run.texts.filter((text, i) => text === native.texts[i]).length, of: native.texts.length },
    ]),
  );
} finally {
  await browser.close();
  await server.close();
}
report('browser', args, { prompts: questions.length, greedyPrompts: greedyQuestions.length, maxNewTokens: args.numbers.maxNewTokens, ...results });
