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
import { mkdtempSync, rmSync } from 'node:fs';
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
      const out = execFileSync(PYTHON, ['-m', 'tools.zoo.reference', dirs.get(family) ?? '', '--ids', IDS.join(',')], {
        cwd: REPO,
        encoding: 'utf8',
        maxBuffer: 1 << 30,
      });
      reference = (JSON.parse(out) as { logits: number[][] }).logits.map((row) => Float32Array.from(row));
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
          const sorted = [...row].sort((a, b) => b - a);
          const scale = Math.max(...row.map(Math.abs));
          if (sorted[0] - sorted[1] > 2 * TOLERANCE[dtype] * scale) expect(argmax(prefill[i])).toBe(argmax(row));
        });
      } finally {
        await graph.dispose();
      }
    });

    describe('through the engine', () => {
      const engines = new Map<ZooDtype, Engine>();
      beforeAll(async () => {
        for (const dtype of DTYPES) engines.set(dtype, await loadNodeEngine({ modelDir: dirs.get(family) ?? '', dtype }));
      });
      afterAll(async () => {
        for (const engine of engines.values()) await engine.dispose();
      });
      const engine = (dtype: ZooDtype): Engine => {
        const found = engines.get(dtype);
        if (!found) throw new Error(`${dtype} engine not loaded`);
        return found;
      };

      it('greedy text of every dtype equals its fp32 twin', async () => {
        const greedy = async (dtype: ZooDtype): Promise<string> =>
          (await engine(dtype).generate({ prompt: PROMPT, n: 1, maxNewTokens: 12, sampling: { temperature: 0 } }))[0].text;
        const fp32 = await greedy('fp32');
        expect(fp32.length).toBeGreaterThan(0);
        for (const dtype of DTYPES.slice(1)) expect({ dtype, text: await greedy(dtype) }).toEqual({ dtype, text: fp32 });
      });

      it.each(['fp32', 'q4'] as const)('%s: batched sampling gives differing rows, each cut at its own stop', async (dtype) => {
        const [first] = await engine(dtype).generate({ prompt: PROMPT, n: 1, maxNewTokens: 16, sampling: { temperature: 0 } });
        // A stop string the greedy row produces after a few tokens; sampled rows hit it or not.
        const stop = first.text.slice(3, 6);
        const samples = await engine(dtype).generate({
          prompt: PROMPT,
          n: 4,
          maxNewTokens: 16,
          sampling: { temperature: 1.5, seed: 3 },
          stop: [stop],
        });
        expect(new Set(samples.map((s) => s.text)).size).toBeGreaterThan(1);
        for (const sample of samples) {
          expect(sample.text).not.toContain(stop);
          expect(sample.finishReason === 'stop' || sample.finishReason === 'length' || sample.finishReason === 'eos').toBe(true);
        }
      });

      it.each(['fp32', 'q4', 'q4f16'] as const)('%s: a budget cut continues from the cache as a fresh run on the same text would', async (dtype) => {
        const control = { endMarker: '</think>', budgetTokens: 4, forcedText: '\n</think>\n\n' };
        const samples = await engine(dtype).generate({ prompt: PROMPT, n: 2, maxNewTokens: 14, sampling: { temperature: 0 }, thinking: control });
        const [sample] = samples;
        expect(sample.budgetCut).toBe(true);
        expect(sample.thinkingTokens).toBe(4);
        const cutAt = sample.text.indexOf(control.forcedText) + control.forcedText.length;
        const [fresh] = await engine(dtype).generate({
          prompt: { kind: 'raw', text: engine(dtype).renderPrompt(PROMPT) + sample.text.slice(0, cutAt) },
          n: 1,
          maxNewTokens: 10,
          sampling: { temperature: 0 },
        });
        expect(samples[1].text).toBe(sample.text);
        expect(sample.text).toBe(sample.text.slice(0, cutAt) + fresh.text);
      });
    });
  });
});
