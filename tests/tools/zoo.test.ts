/**
 * Conformance of the catalog's real model layouts, on random-weight twins (tools/zoo): each
 * family × dtype is built tiny, its graph is checked against a numpy forward pass written from
 * the Hugging Face equations, and it runs through the app's own Node engine — batched sampling
 * with per-row stops, a budget cut from the KV cache — matching its fp32 twin. Then the real
 * `thinkbench bench --model DIR` command line on the q4 and fp32 twins of qwen3, llama3.2 and
 * gemma3 (issue 16's "done when").
 *
 * The twins are built once into .tmp/zoo-twins (tests/fixtures/zoo/twins.ts), shared with the
 * e2e test that runs them in Chromium. Needs /usr/bin/python3 with numpy and onnx (Debian's
 * python3-onnx): skips with a message without them, but fails when CI=true.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prompt } from '../../src/lib/generate';
import { parseExperimentExport } from '../../src/lib/experiments/export-import';
import type { UnitResult } from '../../src/lib/experiments/types';
import { FORCED_ANSWER_TOKENS } from '../../src/lib/strategies/budget';
import { loadNodeEngine } from '../../workers/engine/node';
import type { Engine } from '../../workers/engine/engine';
import { argmax, GraphRunner, relativeError, type ZooDtype } from '../../tools/zoo/graph-runner';
import { tinyTwin } from '../fixtures/zoo/twins';
import { PYTHON, pythonProblem } from './python';
import type { GenerateRequest, Sample } from '../../src/lib/generate';
import { createEngine } from '../../workers/engine/engine';
import { loadNodeModelParts } from '../../workers/engine/node';

const REPO = resolve(import.meta.dirname, '../..');
const problem = pythonProblem('zoo conformance test');
const FAMILIES = ['qwen3', 'qwen2.5', 'llama3.2', 'smollm2', 'gemma3', 'deepseek-r1-distill-qwen'] as const;
/** The families whose real layouts issue 16 asks `thinkbench bench` to run, at q4 and fp32. */
const CLI_FAMILIES = ['qwen3', 'llama3.2', 'gemma3'] as const;
const DTYPES: readonly ZooDtype[] = ['fp32', 'fp16', 'q8', 'q4', 'q4f16'];

/**
 * Largest relative logit error against the float64 reference. The twins' weights are exact in
 * every dtype (tools/zoo/weights.py), so fp32 and q4 differ only by float32 arithmetic; fp16
 * by half-precision activations; q8 by int8-quantised activations (DynamicQuantizeLinear).
 */
const TOLERANCE: Record<ZooDtype, number> = { fp32: 1e-5, q4: 1e-5, fp16: 5e-3, q4f16: 5e-3, q8: 6e-2 };

/** 24 token ids spread over the vocabulary: past Gemma's tiny sliding window of 8. */
const IDS = Array.from({ length: 24 }, (_, i) => (i * 7919 + 13) % 20_000);

const run = promisify(execFile);

const PROMPT: Prompt = { kind: 'chat', messages: [{ role: 'user', content: 'What is 17 + 21?' }] };

describe.skipIf(problem !== null)('random-weight twins of the catalog families', () => {
  let root: string;
  const dirs = new Map<string, string>();

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'zoo-'));
    // Shared with the Chromium conformance test (tests/e2e/zoo-twins.test.ts): built once per run.
    for (const family of FAMILIES) dirs.set(family, tinyTwin(family));
  });

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  describe.each(FAMILIES)('%s', (family) => {
    let reference: Float32Array[];

    beforeAll(() => {
      const out = join(root, `${family}.reference.f32`);
      execFileSync(PYTHON, ['-m', 'tools.zoo.reference', dirs.get(family) ?? '', '--ids', IDS.join(','), '--out', out], {
        cwd: REPO,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const bytes = readFileSync(out);
      const flat = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      const vocab = flat.length / IDS.length;
      reference = IDS.map((_, i) => flat.slice(i * vocab, (i + 1) * vocab));
    });

    it.each(DTYPES)('%s graph matches the reference forward pass, at once and through the KV cache', async (dtype) => {
      const graph = await GraphRunner.open(dirs.get(family) ?? '', dtype);
      try {
        const prefill = await graph.prefill(IDS);
        const incremental = await graph.incremental(IDS);
        expect(relativeError(prefill, reference)).toBeLessThan(TOLERANCE[dtype]);
        expect(relativeError(incremental, reference)).toBeLessThan(TOLERANCE[dtype]);
        // The greedy choice agrees wherever the reference's top two are further apart than the error allows.
        reference.forEach((row, i) => {
          const sorted = Float32Array.from(row).sort().reverse();
          const scale = row.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
          if (sorted[0] - sorted[1] > 2 * TOLERANCE[dtype] * scale) expect(argmax(prefill[i])).toBe(argmax(row));
        });
      } finally {
        await graph.dispose();
      }
    });

    describe('through the engine', () => {
      let fp32Greedy: string;
      beforeAll(async () => {
        const engine = await loadNodeEngine({ modelDir: dirs.get(family) ?? '', dtype: 'fp32' });
        fp32Greedy = (await engine.generate({ prompt: PROMPT, n: 1, maxNewTokens: 12, sampling: { temperature: 0 } }))[0].text;
        await engine.dispose();
      });

      // fp32 and 4-bit (MatMulNBits); the other dtypes share the same attention and cache code.
      it.each(['fp32', 'q4'] as const)('%s: prefilling once and forking the cache gives the samples of prefilling every row', async (dtype) => {
        const { parts, info } = await loadNodeModelParts({ modelDir: dirs.get(family) ?? '', dtype });
        const forked = createEngine(parts, info);
        const unforked = createEngine(parts, info, { prefillOnce: false });
        const outcome = (samples: Sample[]): unknown[] => samples.map(({ timings: _timings, ...rest }) => rest);
        try {
          // Greedy rows from the forked cache equal the single fp32 row (the fp32 twin, 12 tokens).
          const greedy = await forked.generate({ prompt: PROMPT, n: 3, maxNewTokens: 12, sampling: { temperature: 0 } });
          expect(greedy.map((sample) => sample.text)).toEqual([fp32Greedy, fp32Greedy, fp32Greedy]);
          // Top-k keeps the library's sampler off a full sort of the 128k-262k vocabulary per row and step.
          const requests: GenerateRequest[] = [
            { prompt: PROMPT, n: 4, maxNewTokens: 10, sampling: { temperature: 1.5, topK: 40, seed: 3 }, stop: [fp32Greedy.slice(3, 6)] },
            {
              prompt: PROMPT,
              n: 3,
              maxNewTokens: 10,
              sampling: { temperature: 1.5, topK: 40, seed: 4 },
              thinking: { endMarker: '</think>', budgetTokens: 4, forcedText: '\n</think>\n\n' },
              logprobs: { topK: 2 },
            },
          ];
          for (const request of requests) {
            const fork = await forked.generate(request);
            expect(new Set(fork.map((sample) => sample.text)).size).toBeGreaterThan(1);
            expect(outcome(fork)).toEqual(outcome(await unforked.generate(request)));
          }
        } finally {
          await forked.dispose();
        }
      }, 300_000); // six requests on a 128k-262k vocabulary: past 120 s on a loaded 2-core machine

      it.each(DTYPES)('%s: greedy equals fp32; sampled rows differ and stop on their own; a budget cut continues as a fresh run would', async (dtype) => {
        const engine = await loadNodeEngine({ modelDir: dirs.get(family) ?? '', dtype });
        try {
          const [greedy] = await engine.generate({ prompt: PROMPT, n: 1, maxNewTokens: 12, sampling: { temperature: 0 } });
          expect(fp32Greedy.length).toBeGreaterThan(0);
          expect(greedy.text).toBe(fp32Greedy);

          // A stop string the greedy row writes after a few tokens; sampled rows hit it or not.
          const stop = fp32Greedy.slice(3, 6);
          const sampled = await engine.generate({ prompt: PROMPT, n: 4, maxNewTokens: 16, sampling: { temperature: 1.5, seed: 3 }, stop: [stop] });
          expect(new Set(sampled.map((sample) => sample.text)).size).toBeGreaterThan(1);
          for (const sample of sampled) {
            expect(sample.text).not.toContain(stop);
            expect(['stop', 'length', 'eos']).toContain(sample.finishReason);
          }

          // Two greedy rows cut at 4 tokens: the forced text, then what a fresh run on that text gives.
          const control = { endMarker: '</think>', budgetTokens: 4, forcedText: '\n</think>\n\n' };
          const cut = await engine.generate({ prompt: PROMPT, n: 2, maxNewTokens: 14, sampling: { temperature: 0 }, thinking: control });
          expect(cut[0]).toMatchObject({ budgetCut: true, thinkingTokens: 4 });
          expect(cut[1].text).toBe(cut[0].text);
          const cutAt = cut[0].text.indexOf(control.forcedText) + control.forcedText.length;
          expect(cutAt).toBeGreaterThan(control.forcedText.length - 1);
          // q8 quantises activations with one scale per call (DynamicQuantizeLinear over the whole
          // batch × positions tensor), so two rows decoding from the cache and one fresh prefill
          // round differently by construction: there the cut is checked, not the continuation.
          if (dtype === 'q8') return;
          const [fresh] = await engine.generate({
            prompt: { kind: 'raw', text: engine.renderPrompt(PROMPT) + cut[0].text.slice(0, cutAt) },
            n: 1,
            maxNewTokens: 10,
            sampling: { temperature: 0 },
          });
          expect(cut[0].text).toBe(cut[0].text.slice(0, cutAt) + fresh.text);
        } finally {
          await engine.dispose();
        }
      });

      // Not defined for gemma3 (rather than reported as skipped): its random twin greedily repeats
      // the prompt's last token, so no token it writes can stand in for an end marker (the prompt
      // would already end with it).
      if (family !== 'gemma3') {
        it('fp32: a thinking extension (s1 "Wait") continues as a fresh run would', async () => {
          const engine = await loadNodeEngine({ modelDir: dirs.get(family) ?? '', dtype: 'fp32' });
          try {
            await expectThinkLonger(engine);
          } finally {
            await engine.dispose();
          }
        });
      }
    });
  });

  describe.each(CLI_FAMILIES)('thinkbench bench --model <%s twin>', (family) => {
    const BUDGET = 4;
    const MAX_NEW_TOKENS = 8;
    const STRATEGIES = ['direct', `budgeted-cot:budget=${BUDGET}`];
    const runs = new Map<'q4' | 'fp32', { lines: Record<string, unknown>[]; units: UnitResult[] }>();

    beforeAll(async () => {
      // The exact command a user types; q4 and fp32 in parallel (two processes, tiny models).
      await Promise.all(
        (['q4', 'fp32'] as const).map(async (dtype) => {
          const out = join(root, `${family}-${dtype}.json`);
          const args = ['bin/thinkbench.mjs', 'bench', '--model', dirs.get(family) ?? '', '--dtype', dtype, '--n', '2', '--seed', '3',
            '--max-new-tokens', String(MAX_NEW_TOKENS), '--summary-json', '--out', out, ...STRATEGIES.flatMap((s) => ['--strategy', s])];
          const { stdout, stderr } = await run(process.execPath, args, { cwd: REPO, maxBuffer: 16 * 1024 * 1024 });
          expect(stderr).toBe('');
          const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
          runs.set(dtype, { lines, units: parseExperimentExport(readFileSync(out, 'utf8')).units });
        }),
      );
    });

    it('prints one well-formed summary line per strategy whose token counts are the units\' own', () => {
      for (const { lines, units } of runs.values()) {
        expect(lines.map((line) => line.strategy)).toEqual(STRATEGIES);
        for (const line of lines) {
          expect(line).toMatchObject({ n: 2, samplesPerQuestion: 1, cachedSamples: 0 });
          const mine = units.filter((unit) => unit.strategy === line.strategy);
          expect(mine).toHaveLength(2);
          const mean = (pick: (unit: UnitResult) => number) => mine.reduce((sum, unit) => sum + pick(unit), 0) / mine.length;
          expect(line.meanTokens).toBe(mean((unit) => unit.result.totals.tokens));
          expect(line.meanThinkingTokens).toBe(mean((unit) => unit.result.totals.thinkingTokens));
          expect(line.meanAnswerTokens).toBe(mean((unit) => unit.result.totals.answerTokens));
        }
        for (const unit of units) {
          const [sample] = unit.result.samples;
          expect(sample.tokens).toBe(sample.thinkingTokens + sample.answerTokens);
          if (unit.strategy === 'direct') {
            expect(sample.thinkingTokens).toBe(0);
            if (sample.finishReason === 'length') expect(sample.tokens).toBe(MAX_NEW_TOKENS);
          } else {
            // The chain is cut at the budget unless it ended first; the forced answer has its own limit.
            if (sample.budgetCut) expect(sample.thinkingTokens).toBe(BUDGET);
            else expect(sample.thinkingTokens).toBeLessThan(BUDGET);
            expect(sample.answerTokens).toBeLessThanOrEqual(FORCED_ANSWER_TOKENS);
            if (sample.finishReason === 'length') expect(sample.answerTokens).toBe(FORCED_ANSWER_TOKENS);
          }
        }
      }
    });

    it('q4 writes exactly what fp32 writes: the weights are on a grid both hold exactly', () => {
      const texts = (dtype: 'q4' | 'fp32') =>
        runs.get(dtype)?.units.map((unit) => ({ unit: unit.unitId, answer: unit.answer, texts: unit.result.samples.map((sample) => sample.text) }));
      expect(texts('q4')).toEqual(texts('fp32'));
      expect(texts('fp32')?.every((unit) => unit.texts.every((text) => text.length > 0))).toBe(true);
    });
  });
});

/**
 * s1's think-longer on two batched greedy rows (GroupQueryAttention takes one new token per row
 * on top of the cache): random weights never write `</think>`, so one token the greedy row does
 * write plays the end marker. Where the row would write it, " Wait" goes in instead, and the row
 * continues exactly as a fresh run on the text so far does.
 */
async function expectThinkLonger(engine: Engine): Promise<void> {
  const [probe] = await engine.generate({ prompt: PROMPT, n: 1, maxNewTokens: 12, sampling: { temperature: 0 }, logprobs: { topK: 0 } });
  const pieces = probe.logprobs?.tokenTexts ?? [];
  const ids = Array.from(probe.logprobs?.tokenIds ?? []);
  const promptText = engine.renderPrompt(PROMPT).trimEnd();
  // A token the row writes here for the first time, whose text is that one token again and can
  // mark an end (not blank, not what the prompt already ends with); past the first if possible
  // (a twin that repeats one token: then the very first).
  const usable = (i: number): boolean =>
    !ids.slice(0, i).includes(ids[i]) && engine.countTokens(pieces[i]) === 1 && pieces[i].trim() !== '' && !promptText.endsWith(pieces[i].trim());
  const later = pieces.findIndex((_, i) => i >= 1 && usable(i));
  const at = later > 0 ? later : 0;
  expect(usable(at)).toBe(true);
  const extended = await engine.generate({
    prompt: PROMPT,
    n: 2,
    maxNewTokens: 12,
    sampling: { temperature: 0 },
    thinking: { endMarker: pieces[at], extend: { times: 1, text: ' Wait' } },
  });
  const soFar = pieces.slice(0, at).join('') + ' Wait';
  expect(extended[0].thinkingExtension?.times).toBe(1);
  expect(extended[0].text.startsWith(soFar)).toBe(true);
  expect(extended[1].text).toBe(extended[0].text);
  const [rerun] = await engine.generate({
    prompt: { kind: 'raw', text: engine.renderPrompt(PROMPT) + soFar },
    n: 1,
    maxNewTokens: 12 - at,
    sampling: { temperature: 0 },
  });
  expect(extended[0].text).toBe(soFar + rerun.text);
}
