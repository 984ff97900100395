/**
 * Per-call seeds derived from a strategy's one `seed`, so a run is reproducible and the same
 * request (same prompt, parameters and seed) recurs across runs and can be served from a cache.
 * Seeds depend on the role and the call's index only — not on the problem: the prompt already
 * differs per problem, and this way `self-consistency:k=5` and `k=10` share their first call.
 */
import type { SamplingParams } from '../generate';

/** FNV-1a over the parts, then a murmur3 finaliser: a well-mixed unsigned 32-bit integer. */
export function deriveSeed(base: number, ...parts: readonly (string | number)[]): number {
  let hash = 0x811c9dc5;
  for (const char of [base, ...parts].join('\u0000')) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

export interface SamplingConfig {
  /** 0 = greedy. */
  temperature: number;
  topK?: number;
  topP?: number;
  seed: number;
}

/**
 * Sampling parameters for one call. Greedy calls carry no seed: it would not change the output
 * and would only split the generation cache.
 */
export function samplingFor(config: SamplingConfig, role: string, callIndex: number): SamplingParams {
  if (config.temperature <= 0) return { temperature: 0 };
  return {
    temperature: config.temperature,
    ...(config.topK !== undefined ? { topK: config.topK } : {}),
    ...(config.topP !== undefined ? { topP: config.topP } : {}),
    seed: deriveSeed(config.seed, role, callIndex),
  };
}
