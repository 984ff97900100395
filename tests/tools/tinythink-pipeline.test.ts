/**
 * The model tooling end to end on a tiny config: train a few dozen steps with Debian's PyTorch,
 * export, quantize, write reference.json; then load the folder through Transformers.js in Node
 * and check that greedy generation with the KV cache reproduces PyTorch's full-recompute
 * continuations token for token, and that the chat template renders the same prompts.
 *
 * Needs /usr/bin/python3 with torch and onnx: skips with a message without them, but fails
 * when CI=true (CI installs python3-torch and python3-onnx).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, env, type PreTrainedModel, type PreTrainedTokenizer, type Tensor } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PYTHON, pythonProblem } from './python';

const REPO = resolve(import.meta.dirname, '../..');
const problem = pythonProblem('tinythink pipeline test');

interface ReferenceEntry {
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
  enableThinking: boolean;
  promptText: string;
  promptIds: number[];
  maxNewTokens: number;
  generatedIds: number[];
}

describe.skipIf(problem !== null)('tinythink smoke pipeline (PyTorch → ONNX → Transformers.js)', () => {
  let root: string;
  let modelDir: string;
  let entries: ReferenceEntry[];

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'tinythink-smoke-'));
    modelDir = join(root, 'models', 'thinkbench', 'tinythink-smoke');
    execFileSync(PYTHON, ['-m', 'tools.tinythink.build', '--smoke', '--out', modelDir, '--run-dir', join(root, 'run')], {
      cwd: REPO,
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 280_000,
    });
    entries = (JSON.parse(readFileSync(join(modelDir, 'reference.json'), 'utf8')) as { entries: ReferenceEntry[] }).entries;
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
  });

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  async function load(dtype: 'fp32' | 'q8'): Promise<{ tokenizer: PreTrainedTokenizer; model: PreTrainedModel }> {
    const tokenizer = await AutoTokenizer.from_pretrained(modelDir);
    const model = await AutoModelForCausalLM.from_pretrained(modelDir, { device: 'cpu', dtype });
    return { tokenizer, model };
  }

  async function greedy(model: PreTrainedModel, promptIds: number[], maxNewTokens: number): Promise<number[]> {
    const { Tensor: TensorClass } = await import('@huggingface/transformers');
    const ids = new TensorClass('int64', BigInt64Array.from(promptIds.map(BigInt)), [1, promptIds.length]);
    const mask = new TensorClass('int64', new BigInt64Array(promptIds.length).fill(1n), [1, promptIds.length]);
    const out = (await model.generate({ input_ids: ids, attention_mask: mask, max_new_tokens: maxNewTokens, do_sample: false })) as Tensor;
    return (out.tolist() as bigint[][])[0].slice(promptIds.length).map(Number);
  }

  it('writes a reference with thinking on and off prompts', () => {
    expect(entries.length).toBeGreaterThanOrEqual(4);
    expect(entries.some((e) => e.enableThinking)).toBe(true);
    expect(entries.some((e) => !e.enableThinking)).toBe(true);
  });

  it('renders every reference prompt identically with the Jinja chat template and tokenizer', async () => {
    const { tokenizer } = await load('fp32');
    for (const entry of entries) {
      // Extra keys reach the template as variables; the option type just doesn't list them.
      const options = { tokenize: false, add_generation_prompt: true, enable_thinking: entry.enableThinking } as const;
      const text = tokenizer.apply_chat_template(entry.messages, options) as string;
      expect(text).toBe(entry.promptText);
      expect(tokenizer.encode(text, { add_special_tokens: false })).toEqual(entry.promptIds);
    }
  });

  it('generates with the KV cache exactly what PyTorch computed by full recompute (fp32)', async () => {
    const { model } = await load('fp32');
    try {
      for (const entry of entries) {
        expect(await greedy(model, entry.promptIds, entry.maxNewTokens)).toEqual(entry.generatedIds);
      }
    } finally {
      await model.dispose();
    }
  });

  it('loads and generates with the int8 file as dtype q8', async () => {
    const { model } = await load('q8');
    try {
      const entry = entries[0];
      const generated = await greedy(model, entry.promptIds, entry.maxNewTokens);
      expect(generated.length).toBeGreaterThan(0);
      expect(generated.length).toBeLessThanOrEqual(entry.maxNewTokens);
    } finally {
      await model.dispose();
    }
  });
});
