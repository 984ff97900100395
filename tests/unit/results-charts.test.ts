import { describe, expect, it } from 'vitest';
import { summarize, type StrategySummary } from '../../src/lib/experiments/summary';
import type { UnitResult } from '../../src/lib/experiments/types';
import { wilsonInterval } from '../../src/lib/stats/wilson';
import type { SampleRecord } from '../../src/lib/strategies/types';
import { majorityVote } from '../../src/lib/strategies/vote';
import { paretoPoints, selfConsistencyCurve, sweepPoints } from '../../src/stores/results-charts';

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

/** A self-consistency unit whose chains answered `answers` in order; the unit's verdict is the full vote's. */
function scUnit(strategy: string, problemId: string, reference: string, answers: string[], weights?: number[]): UnitResult {
  const samples: SampleRecord[] = answers.map((value) => ({
    text: `The answer is ${value}.`, tokens: 5, thinkingTokens: 0, answerTokens: 5, finishReason: 'eos', budgetCut: false,
    timings: { promptTokens: 1, ttftMs: 1, prefillMs: 1, decodeMs: 1, decodeTokensPerS: 1, totalMs: 2 },
    role: 'chain', answer: { value, raw: value, rule: 'the-answer-is', fallback: false },
  }));
  const outcome = majorityVote(answers.map((answer, i) => ({ answer, weight: weights?.[i] ?? 1 })));
  return {
    unitId: `${strategy}|${problemId}`, strategy, problemId, reference, answer: outcome.answer, correct: outcome.answer === reference,
    result: { answer: outcome.answer, samples, votes: outcome.votes, totals: { samples: answers.length, tokens: 0, thinkingTokens: 0, answerTokens: 0, wallMs: 0 }, details: weights ? { weights } : {} },
    latencyMs: 1, cachedSamples: 0, finishedAt: 0,
  };
}

describe('self-consistency against k from one set of samples', () => {
  const SC = 'self-consistency:k=3';

  it('votes over the first j chains for j = 1…k, with intervals, ending at the row accuracy', () => {
    // q1: right, right (5-7 tie → the earliest, 5), wrong. q2: right throughout. q3: wrong, wrong (8-9 tie → 8), right.
    const units = [scUnit(SC, 'q1', '5', ['5', '7', '7']), scUnit(SC, 'q2', '3', ['3', '3', '4']), scUnit(SC, 'q3', '9', ['8', '9', '9'])];
    const points = selfConsistencyCurve(units);
    expect(points.map((p) => [p.x, p.accuracy])).toEqual([
      [1, 2 / 3],
      [2, 2 / 3],
      [3, 2 / 3],
    ]);
    const interval = wilsonInterval(2, 3);
    expect(points[0]).toMatchObject({ strategy: SC, ciLow: interval.low, ciHigh: interval.high });
    const [row] = summarize(units, [SC]);
    expect(points[2].accuracy).toBe(row.accuracy);
  });

  it('gives a curve that differs along k when early votes differ from the full vote', () => {
    const units = [scUnit(SC, 'q1', '5', ['7', '5', '5']), scUnit(SC, 'q2', '3', ['3', '4', '4'])];
    expect(selfConsistencyCurve(units).map((p) => p.accuracy)).toEqual([0.5, 0.5, 0.5]);
    const more = [scUnit(SC, 'q1', '5', ['7', '5', '5']), scUnit(SC, 'q2', '3', ['4', '3', '3'])];
    expect(selfConsistencyCurve(more).map((p) => p.accuracy)).toEqual([0, 0, 1]);
  });

  it('uses the confidence weights the strategy voted with', () => {
    const weighted = 'self-consistency:k=3,weighting=verbal';
    const units = [scUnit(weighted, 'q1', '7', ['5', '7', '5'], [1, 3, 1])];
    expect(units[0].answer).toBe('7');
    expect(selfConsistencyCurve(units).map((p) => p.accuracy)).toEqual([0, 1, 1]);
    // Unweighted, the same chains give 5 at j = 3.
    expect(selfConsistencyCurve([scUnit(SC, 'q1', '7', ['5', '7', '5'])]).map((p) => p.accuracy)).toEqual([0, 0, 0]);
  });

  it('grades a prefix winner against the question by value, and ends where the shortest unit ends', () => {
    const units = [scUnit(SC, 'q1', '1,000', ['1000', '7', '7']), scUnit(SC, 'q2', '3', ['3', '3'])];
    expect(units[0].correct).toBe(false); // the full vote is 7
    expect(selfConsistencyCurve(units).map((p) => [p.x, p.accuracy])).toEqual([
      [1, 1],
      [2, 1],
    ]);
  });

  it('leaves out rows with early stopping and strategies it does not know', () => {
    const units = [scUnit('self-consistency:k=3,stop=esc', 'q1', '5', ['5', '5']), scUnit('someday-strategy:k=3', 'q1', '5', ['5'])];
    expect(selfConsistencyCurve(units)).toEqual([]);
  });
});
