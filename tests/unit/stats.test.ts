import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../src/lib/stats/wilson';
import { chiSquare1Survival, mcnemar, mcnemarPaired } from '../../src/lib/stats/mcnemar';
import { mean, median } from '../../src/lib/stats/descriptive';
import { auroc } from '../../src/lib/stats/auroc';

describe('wilsonInterval', () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, method 3.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i matches Newcombe 1998', (successes, n, low, high) => {
    const interval = wilsonInterval(successes, n);
    expect(interval.low).toBeCloseTo(low, 4);
    expect(interval.high).toBeCloseTo(high, 4);
  });

  it('is exactly [.., 1] for all successes and [0, 1] without observations', () => {
    expect(wilsonInterval(10, 10).high).toBe(1);
    expect(wilsonInterval(10, 10).low).toBeCloseTo(0.7225, 4);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it('rejects impossible counts', () => {
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 10)).toThrow(RangeError);
  });
});

describe('mcnemar', () => {
  it('uses the exact binomial test for few discordant pairs', () => {
    // 2 * (C(10,0) + C(10,1)) / 2^10
    const result = mcnemar(1, 9);
    expect(result.method).toBe('exact-binomial');
    expect(result.pValue).toBeCloseTo(0.021484375, 10);
    // symmetric in b and c
    expect(mcnemar(9, 1).pValue).toBeCloseTo(0.021484375, 10);
    // 2 * (1 + 12 + 66 + 220) / 4096
    expect(mcnemar(3, 9).pValue).toBeCloseTo(0.14599609375, 10);
    expect(mcnemar(5, 5).pValue).toBe(1);
  });

  it('uses the continuity-corrected chi-square for many discordant pairs', () => {
    const result = mcnemar(10, 25);
    expect(result.method).toBe('chi-square-cc');
    expect(result.statistic).toBeCloseTo(5.6, 10);
    expect(result.pValue).toBeCloseTo(0.017960477526, 6);
    const large = mcnemar(121, 59);
    expect(large.statistic).toBeCloseTo(20.672222, 5);
    expect(large.pValue).toBeCloseTo(5.450094825e-6, 9);
  });

  it('gives p = 1 and a zero statistic when the discordant pairs are balanced (|b − c| ≤ 1)', () => {
    // Edwards' correction is max(0, |b − c| − 1)²: (|0| − 1)² would be 1, not 0, and give p < 1.
    expect(mcnemar(15, 15)).toEqual({ b: 15, c: 15, method: 'chi-square-cc', statistic: 0, pValue: 1 });
    expect(mcnemar(20, 21)).toEqual({ b: 20, c: 21, method: 'chi-square-cc', statistic: 0, pValue: 1 });
    expect(mcnemar(20, 22).statistic).toBeCloseTo(1 / 42, 12);
  });

  it('reports p = 1 without discordant pairs', () => {
    expect(mcnemar(0, 0)).toEqual({ b: 0, c: 0, method: 'none', statistic: null, pValue: 1 });
  });

  it('counts discordant pairs from paired outcomes', () => {
    const result = mcnemarPaired([
      [true, true],
      [true, false],
      [false, true],
      [false, true],
      [false, false],
    ]);
    expect(result.b).toBe(1);
    expect(result.c).toBe(2);
  });

  it('chi-square survival at the 5% critical value is 0.05', () => {
    expect(chiSquare1Survival(3.841458820694124)).toBeCloseTo(0.05, 6);
  });
});

describe('mean and median', () => {
  it('computes known values and NaN for no data', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(mean([])).toBeNaN();
    expect(median([])).toBeNaN();
  });
});

describe('auroc', () => {
  /** The definition: share of (positive, negative) pairs the positive wins, ties half. */
  function pairwise(scores: number[], labels: boolean[]): number {
    let wins = 0;
    let pairs = 0;
    scores.forEach((p, i) => scores.forEach((q, j) => {
      if (!labels[i] || labels[j]) return;
      pairs++;
      wins += p > q ? 1 : p === q ? 0.5 : 0;
    }));
    return wins / pairs;
  }

  it('is 1 for perfect separation, 0 for reversed, 0.5 when every score ties', () => {
    expect(auroc([0.9, 0.8, 0.1, 0.2], [true, true, false, false])).toBe(1);
    expect(auroc([0.1, 0.2, 0.9, 0.8], [true, true, false, false])).toBe(0);
    expect(auroc([3, 3, 3], [true, false, true])).toBe(0.5);
  });

  it('matches the pairwise definition with ties across and within classes', () => {
    const scores = [1, 2, 2, 3, 3, 3, 4, 0.5, 2, 5];
    const labels = [false, true, false, true, true, false, true, false, true, false];
    expect(auroc(scores, labels)).toBeCloseTo(pairwise(scores, labels), 12);
  });

  it('is null without both outcomes, and rejects mismatched lengths', () => {
    expect(auroc([1, 2], [true, true])).toBeNull();
    expect(auroc([], [])).toBeNull();
    expect(() => auroc([1], [true, false])).toThrow(RangeError);
  });
});
