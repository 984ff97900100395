/**
 * The sampler settings of the embedded model's self-consistency measurement, read from
 * eval-sampling.json: the one source of truth that evaluate.ts samples with, the model card
 * prints, and the PyTorch side (infer.bars_report, hence sweep.py) reads too. Before this file
 * the card said "top-k 50" (PyTorch's default) while evaluate.ts sampled the full vocabulary.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface EvalSampling {
  /** Chains per problem for self-consistency; the first is the single-sample baseline. */
  scSamples: number;
  temperature: number;
  /** Sampling keeps the k most likely tokens; 0 would mean the full vocabulary. */
  topK: number;
}

export const EVAL_SAMPLING_PATH = join(dirname(fileURLToPath(import.meta.url)), 'eval-sampling.json');

export function parseEvalSampling(text: string, where = EVAL_SAMPLING_PATH): EvalSampling {
  const raw = JSON.parse(text) as Record<string, unknown>;
  const field = (key: string, ok: (x: number) => boolean): number => {
    const value = raw[key];
    if (typeof value !== 'number' || !ok(value)) throw new Error(`${where}: "${key}" must be a valid number, got ${JSON.stringify(value)}`);
    return value;
  };
  return {
    scSamples: field('sc_samples', (x) => Number.isInteger(x) && x >= 1),
    temperature: field('temperature', (x) => x > 0),
    topK: field('top_k', (x) => Number.isInteger(x) && x >= 0),
  };
}

export const EVAL_SAMPLING: EvalSampling = parseEvalSampling(readFileSync(EVAL_SAMPLING_PATH, 'utf8'));

/** How the sampler is described wherever a sampled number is printed. */
export function samplerText(s: EvalSampling = EVAL_SAMPLING): string {
  return `temperature ${s.temperature}, ${s.topK > 0 ? `top-k ${s.topK}` : 'full vocabulary (no top-k)'}`;
}

/** The self-consistency config evaluate.ts runs: every sampler setting comes from the file. */
export function scConfigOverrides(s: EvalSampling = EVAL_SAMPLING): { k: number; batch: number; temperature: number; topK?: number } {
  return { k: s.scSamples, batch: s.scSamples, temperature: s.temperature, ...(s.topK > 0 ? { topK: s.topK } : {}) };
}
