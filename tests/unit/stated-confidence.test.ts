/** Reading a stated confidence (CISC's verbal 0–100 question) and CISC's softmax weights. */
import { describe, expect, it } from 'vitest';
import { parseStatedConfidence } from '../../src/lib/strategies/stated-confidence';
import { ciscWeights } from '../../src/lib/strategies/cisc';

describe('parseStatedConfidence', () => {
  it.each([
    ['85', 0.85],
    ['85%', 0.85],
    ['about 60 percent', 0.6],
    ['8/10', 0.8],
    ['8 out of 10', 0.8],
    ['85/100', 0.85],
    ['0.85', 0.85],
    ['Confidence: 75', 0.75],
    ['Confidence level is 7/10 (the answer was 56)', 0.7],
    ['I am 90% confident that the answer is 56.', 0.9],
    ['90. My answer, 56, is right.', 0.9],
    ['My answer was 56. Confidence: 40', 0.4],
    ['100', 1],
    ['0', 0],
    ['Confidence: high', 0.8],
    ['very low', 0.1],
    ["I'm certain.", 1],
  ])('%j → %s', (reply, expected) => {
    expect(parseStatedConfidence(reply)).toBeCloseTo(expected, 12);
  });

  it.each(['150', '1000', '12/10', 'I cannot say.', ''])('%j is unreadable (null), not a weight', (reply) => {
    expect(parseStatedConfidence(reply)).toBeNull();
  });
});

describe('ciscWeights', () => {
  it('is a softmax over the question at temperature T', () => {
    const weights = ciscWeights([0.2, 0.5, 0.9], 0.1);
    const raised = [Math.exp(2), Math.exp(5), Math.exp(9)];
    const total = raised.reduce((a, b) => a + b, 0);
    weights.forEach((w, i) => expect(w).toBeCloseTo(raised[i] / total, 12));
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('tends to a plain vote at a large T and does not overflow at a small one', () => {
    ciscWeights([0.1, 1], 1e6).forEach((w) => expect(w).toBeCloseTo(0.5, 5));
    const sharp = ciscWeights([0.9, 1], 1e-4);
    expect(sharp.every(Number.isFinite)).toBe(true);
    expect(sharp[1]).toBeCloseTo(1, 12);
  });

  it('gives an unreadable confidence the mean of the readable ones, and all-unreadable equal weights', () => {
    const [a, b, c] = ciscWeights([0.2, null, 0.8], 0.1);
    expect(b).toBeCloseTo(Math.sqrt(a * c), 12); // exp(0.5/T) is the geometric mean of exp(0.2/T) and exp(0.8/T)
    expect(ciscWeights([null, null], 0.1)).toEqual([0.5, 0.5]);
    expect(() => ciscWeights([0.5], 0)).toThrow(RangeError);
  });
});
