import { describe, expect, it } from 'vitest';
import { samplingFor } from '../../src/lib/strategies/seeds';

const SAMPLED = { temperature: 0.8, topK: 50, seed: 0 };

describe('per-call sampling seeds', () => {
  it('are the same for the same problem, role and call, so runs replay and share the cache', () => {
    expect(samplingFor(SAMPLED, 'q1', 'chain', 0)).toEqual(samplingFor(SAMPLED, 'q1', 'chain', 0));
    expect(samplingFor(SAMPLED, 'q1', 'chain', 0)).toEqual({ temperature: 0.8, topK: 50, seed: samplingFor(SAMPLED, 'q1', 'chain', 0).seed });
  });

  it('differ between problems, so samples of different problems are not drawn with the same random numbers', () => {
    const seeds = new Set(Array.from({ length: 500 }, (_, i) => samplingFor(SAMPLED, `arith-${i}`, 'chain', 0).seed));
    expect(seeds.size).toBe(500);
  });

  it('differ between calls, roles and base seeds', () => {
    const seed = (base: number, role: string, call: number) => samplingFor({ ...SAMPLED, seed: base }, 'q1', role, call).seed;
    expect(new Set([seed(0, 'chain', 0), seed(0, 'chain', 1), seed(0, 'answer', 0), seed(1, 'chain', 0)]).size).toBe(4);
  });

  it('are left out of greedy calls, which they could not change', () => {
    expect(samplingFor({ temperature: 0, seed: 3 }, 'q1', 'chain', 0)).toEqual({ temperature: 0 });
  });
});
