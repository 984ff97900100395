import { Tensor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { topKFilter, topPFilter } from '../../workers/engine/nucleus';
import { samplingOptions } from '../../workers/engine/sampling';
import { TopKWarper, TopPWarper } from '../../workers/engine/warpers';

/** Logits whose softmax is exactly the given probabilities. */
const logitsOf = (probabilities: number[]): Float32Array => Float32Array.from(probabilities.map(Math.log));
const kept = (logits: Float32Array): number[] => [...logits.keys()].filter((i) => logits[i] !== -Infinity);

describe('topPFilter', () => {
  const probabilities = [0.1, 0.5, 0.25, 0.15];

  it('keeps the smallest most-probable set reaching p', () => {
    const logits = logitsOf(probabilities);
    topPFilter(logits, 0.7); // 0.5 → 0.75 ≥ 0.7
    expect(kept(logits)).toEqual([1, 2]);
  });

  it('keeps a token whose predecessors fall just short of p', () => {
    const logits = logitsOf(probabilities);
    topPFilter(logits, 0.76); // 0.5 + 0.25 = 0.75 < 0.76 → also the 0.15 token
    expect(kept(logits)).toEqual([1, 2, 3]);
  });

  it('always keeps the most probable token, and keeps everything at p = 1', () => {
    const tiny = logitsOf(probabilities);
    topPFilter(tiny, 0.01);
    expect(kept(tiny)).toEqual([1]);
    const all = logitsOf(probabilities);
    topPFilter(all, 1);
    expect(kept(all)).toEqual([0, 1, 2, 3]);
  });

  it('does not change the kept logits', () => {
    const logits = logitsOf(probabilities);
    topPFilter(logits, 0.7);
    expect(logits[1]).toBeCloseTo(Math.log(0.5));
  });
});

describe('topKFilter', () => {
  it('keeps the k largest, ties with the k-th included', () => {
    const logits = Float32Array.from([1, 3, 2, 3, 0]);
    topKFilter(logits, 2);
    expect(kept(logits)).toEqual([1, 3]);
    const ties = Float32Array.from([1, 3, 2, 2, 0]);
    topKFilter(ties, 2);
    expect(kept(ties)).toEqual([1, 2, 3]);
  });
});

describe('filters agree with a plain sort-based definition', () => {
  /** Deterministic pseudo-random logits with repeated values, so ties occur. */
  function randomLogits(seed: number, size: number): Float32Array {
    let state = seed;
    return Float32Array.from({ length: size }, () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return Math.round(((state / 2 ** 31) * 20 - 10) * 4) / 4;
    });
  }

  it('top-k keeps exactly the values >= the k-th largest', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const logits = randomLogits(seed, 300);
      const k = 1 + (seed * 13) % 50;
      const threshold = [...logits].sort((a, b) => b - a)[k - 1];
      const expected = [...logits.keys()].filter((i) => logits[i] >= threshold);
      topKFilter(logits, k);
      expect(kept(logits)).toEqual(expected);
    }
  });

  it('top-p keeps the shortest sorted prefix reaching p', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const logits = randomLogits(seed, 300);
      const p = 0.05 + (seed % 10) / 11;
      const probabilities = [...logits].map((l) => Math.exp(l));
      const total = probabilities.reduce((a, b) => a + b, 0);
      const order = [...logits.keys()].sort((a, b) => logits[b] - logits[a] || a - b);
      const expected: number[] = [];
      let mass = 0;
      for (const i of order) {
        if (expected.length > 0 && mass >= p) break;
        expected.push(i);
        mass += probabilities[i] / total;
      }
      topPFilter(logits, p);
      expect(kept(logits)).toEqual(expected.sort((a, b) => a - b));
    }
  });
});

describe('warpers on a batch of logits', () => {
  it('filter every row on its own', () => {
    const data = Float32Array.from([...logitsOf([0.6, 0.3, 0.1]), ...logitsOf([0.2, 0.2, 0.6])]);
    const logits = new Tensor('float32', data, [2, 3]);
    const out = new TopPWarper(0.5)([], logits);
    expect(out).toBe(logits);
    expect(kept(data.subarray(0, 3))).toEqual([0]);
    expect(kept(data.subarray(3, 6))).toEqual([2]);
    new TopKWarper(1)([], new Tensor('float32', Float32Array.from([1, 2]), [1, 2]));
  });

  it('rejects top-p outside (0, 1]', () => {
    expect(() => new TopPWarper(0)).toThrow(RangeError);
  });
});

describe('samplingOptions', () => {
  it('maps temperature 0 to greedy decoding without warpers', () => {
    const options = samplingOptions({ temperature: 0, topK: 5, topP: 0.5 });
    expect(options).toMatchObject({ do_sample: false, top_k: 0 });
    expect([...options.logits_processor]).toHaveLength(0);
  });

  it('sets every sampling field explicitly so a model generation_config cannot override it', () => {
    const options = samplingOptions({ temperature: 0.7, topP: 0.9 });
    // The library gets temperature 1: ours runs in the list, so a processor before it sees raw logits.
    expect(options).toMatchObject({ do_sample: true, temperature: 1, top_k: 0, top_p: 1, repetition_penalty: 1 });
    expect([...options.logits_processor].map((p) => p.constructor.name)).toEqual(['TemperatureWarper', 'TopPWarper']);
  });
});
