import { describe, expect, it } from 'vitest';
import type { StrategySummary } from '../../src/lib/experiments/summary';
import { paretoPoints, sweepPoints } from '../../src/stores/results-charts';

function row(strategy: string, accuracy: number, meanTokens: number): StrategySummary {
  return {
    strategy, n: 10, correct: accuracy * 10, accuracy, fallbacks: 0, fallbackShare: 0, strict: false, ciLow: accuracy - 0.1, ciHigh: accuracy + 0.1,
    meanTokens, medianTokens: meanTokens, meanThinkingTokens: 0, medianThinkingTokens: 0, meanAnswerTokens: 0,
    medianAnswerTokens: 0, samplesPerQuestion: 1, meanLatencyMs: meanTokens * 10, medianLatencyMs: 0, meanTtftMs: 0,
    decodeTokensPerS: 0, cachedSamples: 0, vsBaseline: null,
  };
}

describe('results charts', () => {
  it('marks the Pareto frontier: only strategies no cheaper one matches or beats', () => {
    const points = paretoPoints(
      [row('direct', 0.2, 5), row('cot', 0.5, 40), row('sc-wasteful', 0.45, 200), row('self-consistency:k=5', 0.7, 200)],
      (r) => r.meanTokens,
    );
    expect(points.map((p) => [p.strategy, p.frontier])).toEqual([
      ['direct', true],
      ['cot', true],
      ['self-consistency:k=5', true],
      ['sc-wasteful', false],
    ]);
  });

  it('places self-consistency rows by k, in order, and ignores other strategies', () => {
    const points = sweepPoints([row('self-consistency:k=10', 0.8, 1), row('cot', 0.5, 1), row('self-consistency:k=3', 0.6, 1)], 'self-consistency', 'k');
    expect(points.map((p) => [p.x, p.accuracy])).toEqual([
      [3, 0.6],
      [10, 0.8],
    ]);
  });
});
