/**
 * Conformance of the catalog's real model layouts, on random-weight twins (tools/zoo): each
 * family × dtype is built tiny, its graph is checked against a numpy forward pass written from
 * the Hugging Face equations, and it runs through the app's own Node engine — batched sampling
 * with per-row stops, a budget cut from the KV cache — matching its fp32 twin.
 *
 * Needs /usr/bin/python3 with numpy and onnx (Debian's python3-onnx): skips with a message
 * without them, but fails when CI=true.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prompt } from '../../src/lib/generate';
import { loadNodeEngine } from '../../workers/engine/node';
import type { Engine } from '../../workers/engine/engine';
import { argmax, GraphRunner, relativeError, type ZooDtype } from '../../tools/zoo/graph-runner';
import { PYTHON, pythonProblem } from './python';

const REPO = resolve(import.meta.dirname, '../..');
const problem = pythonProblem('zoo conformance test');
const FAMILIES = ['qwen3', 'llama3.2', 'gemma3'] as const;
const DTYPES: readonly ZooDtype[] = ['fp32', 'fp16', 'q8', 'q4', 'q4f16'];

/**
 * Largest relative logit error against the float64 reference. The twins' weights are exact in
 * every dtype (tools/zoo/weights.py), so fp32 and q4 differ only by float32 arithmetic; fp16
 * by half-precision activations; q8 by int8-quantised activations (DynamicQuantizeLinear).
 */
const TOLERANCE: Record<ZooDtype, number> = { fp32: 1e-5, q4: 1e-5, fp16: 5e-3, q4f16: 5e-3, q8: 6e-2 };

/** 24 token ids spread over the vocabulary: past Gemma's tiny sliding window of 8. */
const IDS = Array.from({ length: 24 }, (_, i) => (i * 7919 + 13) % 20_000);

const PROMPT: Prompt = { kind: 'chat', messages: [{ role: 'user', content: 'What is 17 + 21?' }] };

describe.skipIf(problem !== null)('random-weight twins of the catalog families', () => {
  let root: string;
  const dirs = new Map<string, string>();

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'zoo-'));
    for (const family of FAMILIES) {
      const dir = join(root, family);
      execFileSync(PYTHON, ['-m', 'tools.zoo.build', family, '--scale', 'tiny', '--seed', '1', '--out', dir], {
        cwd: REPO,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      dirs.set(family, dir);
    }
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

      // Not gemma3: its random twin greedily repeats the prompt's last token, so no token it
      // writes can stand in for an end marker (the prompt would already end with it).
      it.runIf(family !== 'gemma3')('fp32: a thinking extension (s1 "Wait") continues as a fresh run would', async () => {
        const engine = await loadNodeEngine({ modelDir: dirs.get(family) ?? '', dtype: 'fp32' });
        try {
          await expectThinkLonger(engine);
        } finally {
          await engine.dispose();
        }
      });
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
