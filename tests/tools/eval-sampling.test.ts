/**
 * One sampler setting for the embedded model's self-consistency numbers: evaluate.ts samples
 * with it, the card prints it, and the PyTorch side (infer.bars_report, used by sweep.py) reads
 * the same file. Before, the card said "top-k 50" while evaluate.ts sampled the full vocabulary.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVAL_SAMPLING, EVAL_SAMPLING_PATH, parseEvalSampling, samplerText, scConfigOverrides } from '../../tools/tinythink/eval-sampling';
import { samplingFor } from '../../src/lib/strategies/seeds';
import { strategies } from '../../src/lib/strategies/registry';
import { PYTHON, pythonProblem } from './python';

const REPO = resolve(import.meta.dirname, '../..');
const file = JSON.parse(readFileSync(EVAL_SAMPLING_PATH, 'utf8')) as { sc_samples: number; temperature: number; top_k: number };

describe('eval-sampling.json', () => {
  it('is what evaluate.ts hands self-consistency, top-k included, down to the engine request', () => {
    const config = { ...strategies['self-consistency'].defaults, ...scConfigOverrides() };
    expect(config).toMatchObject({ k: file.sc_samples, temperature: file.temperature, topK: file.top_k });
    expect(samplingFor(config, 'p1', 'chain', 0)).toMatchObject({ temperature: file.temperature, topK: file.top_k });
  });

  it('is what the card text says', () => {
    expect(samplerText()).toBe(`temperature ${file.temperature}, top-k ${file.top_k}`);
    expect(samplerText({ ...EVAL_SAMPLING, topK: 0 })).toMatch(/full vocabulary/);
    expect(scConfigOverrides({ ...EVAL_SAMPLING, topK: 0 })).not.toHaveProperty('topK');
  });

  it('refuses a malformed setting, naming it', () => {
    expect(() => parseEvalSampling('{"sc_samples": 10, "temperature": 0.8, "top_k": 2.5}', 'x.json')).toThrow(/x\.json: "top_k"/);
  });

  const problem = pythonProblem('eval-sampling python side');
  it.skipIf(problem !== null)('is what the PyTorch bars (sweep.py) sample with', () => {
    const script =
      'import inspect, json; from tools.tinythink import infer; ' +
      'b = inspect.signature(infer.bars_report).parameters; g = inspect.signature(infer.generate_batch).parameters; ' +
      'print(json.dumps([b["sc_samples"].default, b["temperature"].default, b["top_k"].default, g["top_k"].default]))';
    const out = execFileSync(PYTHON, ['-c', script], { cwd: REPO, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([file.sc_samples, file.temperature, file.top_k, file.top_k]);
  });
});
