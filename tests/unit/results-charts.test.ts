import { describe, expect, it } from 'vitest';
import { summarize, type StrategySummary } from '../../src/lib/experiments/summary';
import type { UnitResult } from '../../src/lib/experiments/types';
import { wilsonInterval } from '../../src/lib/stats/wilson';
import type { SampleRecord } from '../../src/lib/strategies/types';
import { majorityVote } from '../../src/lib/strategies/vote';
import { calibration, paretoPoints, selfConsistencyCurve, sweepPoints, tokenCurves } from '../../src/stores/results-charts';
import type { TokenLogprobs } from '../../src/lib/generate';

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

/** A unit of `strategy` whose chains answered `answers` with `tokens` each; `details` as the strategy stored them. */
function chainUnit(
  strategy: string,
  problemId: string,
  reference: string,
  answers: (string | null)[],
  options: { details?: Record<string, unknown>; tokens?: number[]; answer?: string | null; finish?: SampleRecord['finishReason'][]; logprobs?: number[][] } = {},
): UnitResult {
  const samples: SampleRecord[] = answers.map((value, i) => {
    const tokens = options.tokens?.[i] ?? 10;
    const values = options.logprobs?.[i];
    const logprobs: TokenLogprobs | undefined = values && {
      tokenTexts: values.map(() => 'x'), tokenIds: new Int32Array(values.length), logprobs: Float32Array.from(values),
      sampledLogprobs: Float32Array.from(values), entropies: new Float32Array(values.length), topK: 0, topIds: new Int32Array(0), topTexts: [], topLogprobs: new Float32Array(0),
    };
    return {
      text: `The answer is ${value}.`, tokens, thinkingTokens: 0, answerTokens: tokens, finishReason: options.finish?.[i] ?? 'eos', budgetCut: false,
      timings: { promptTokens: 1, ttftMs: 1, prefillMs: 1, decodeMs: 1, decodeTokensPerS: 1, totalMs: 2 },
      role: 'chain', answer: value === null ? null : { value, raw: value, rule: 'the-answer-is', fallback: false },
      ...(logprobs ? { logprobs } : {}),
    };
  });
  const answer = options.answer !== undefined ? options.answer : majorityVote(answers.map((a) => ({ answer: a }))).answer;
  const tokens = samples.reduce((sum, sample) => sum + sample.tokens, 0);
  return {
    unitId: `${strategy}|${problemId}`, strategy, problemId, reference, answer, correct: answer === reference,
    result: { answer, samples, votes: [], totals: { samples: samples.length, tokens, thinkingTokens: 0, answerTokens: tokens, wallMs: 0 }, details: options.details ?? {} },
    latencyMs: 1, cachedSamples: 0, finishedAt: 0,
  };
}

describe('accuracy against mean tokens', () => {
  const SC = 'self-consistency:k=3';
  const DEEPCONF = 'deepconf:mode=offline,k=3,eta=50';
  const ESC = 'self-consistency:k=3,stop=esc,window=2';

  it('replays each row over its first j chains at the mean tokens they took, ending at the row', () => {
    const units = [
      // q1: 7 first (wrong), then 5 5 → right from j = 3 (at j = 2 the 7-5 tie goes to 7).
      chainUnit(SC, 'q1', '5', ['7', '5', '5'], { tokens: [10, 20, 30] }),
      chainUnit(SC, 'q2', '3', ['3', '3', '4'], { tokens: [4, 4, 4] }),
      // DeepConf keeps the top 50% by confidence: the confident 5 decides from j = 2 on.
      chainUnit(DEEPCONF, 'q1', '5', ['7', '5', '7'], { tokens: [10, 10, 10], details: { confidences: [1, 9, 2] }, answer: '5' }),
      chainUnit('cot', 'q1', '5', ['5']),
    ];
    const points = tokenCurves(summarize(units, [SC, DEEPCONF, 'cot']), units);
    const sc = points.filter((p) => p.strategy === SC);
    expect(sc.map((p) => [p.chains, p.x, p.accuracy])).toEqual([
      [1, 7, 0.5],
      [2, 19, 0.5],
      [3, 36, 1],
    ]);
    const [row] = summarize(units, [SC]);
    expect(sc[2]).toMatchObject({ x: row.meanTokens, accuracy: row.accuracy, ciLow: row.ciLow, ciHigh: row.ciHigh });
    expect(points.filter((p) => p.strategy === DEEPCONF).map((p) => [p.x, p.accuracy])).toEqual([
      [10, 0],
      [20, 1],
      [30, 1],
    ]);
    expect(points.some((p) => p.strategy === 'cot')).toBe(false);
  });

  it('places an adaptive row as one point at its mean tokens, as it ran', () => {
    const units = [chainUnit(ESC, 'q1', '5', ['5', '5'], { tokens: [6, 8] }), chainUnit(ESC, 'q2', '3', ['4', '4'], { tokens: [6, 6] })];
    const [row] = summarize(units, [ESC]);
    expect(tokenCurves([row], units)).toEqual([
      { strategy: ESC, x: 13, accuracy: 0.5, ciLow: row.ciLow, ciHigh: row.ciHigh, series: ESC, chains: null },
    ]);
  });
});

describe('calibration of trace confidence', () => {
  const DEEPCONF = 'deepconf:mode=offline,k=4';

  it('bins chains by confidence rank, gives each bin its accuracy with a Wilson interval, and the AUROC', () => {
    const units = [
      chainUnit(DEEPCONF, 'q1', '5', ['5', '5', '7', '8'], { details: { confidences: [9, 8, 1, 2] } }),
      chainUnit(DEEPCONF, 'q2', '3', ['3', '4', '3', '4'], { details: { confidences: [7, 6, 3, 5] } }),
    ];
    const { bins, summaries } = calibration(units, new Map(), 4);
    // Sorted confidences 1 2 3 5 | 6 7 8 9: two chains per quarter.
    expect(bins.map((b) => [b.bin, b.chains, b.accuracy, b.minConfidence, b.maxConfidence])).toEqual([
      [1, 2, 0, 1, 2],
      [2, 2, 0.5, 3, 5],
      [3, 2, 0.5, 6, 7],
      [4, 2, 1, 8, 9],
    ]);
    const interval = wilsonInterval(1, 2);
    expect(bins[1]).toMatchObject({ ciLow: interval.low, ciHigh: interval.high, signal: 'lowest group confidence', strategy: DEEPCONF });
    // Right chains 9 8 7 3 against wrong 1 2 5 6: of 16 pairs the right one wins 14 (3 loses to 5 and 6).
    expect(summaries).toEqual([{ strategy: DEEPCONF, signal: 'lowest group confidence', chains: 8, correct: 4, auroc: 14 / 16 }]);
  });

  it('keeps tied confidences in one bin and leaves out terminated traces', () => {
    const units = [
      chainUnit(DEEPCONF, 'q1', '5', ['5', '5', null, '7'], { details: { confidences: [4, 4, 0.1, 1] }, finish: ['eos', 'eos', 'terminated', 'eos'] }),
    ];
    const { bins, summaries } = calibration(units);
    expect(bins.map((b) => [b.bin, b.chains, b.accuracy])).toEqual([
      [1, 1, 0],
      [4, 2, 1],
    ]);
    expect(summaries[0]).toMatchObject({ chains: 3, correct: 2, auroc: 1 });
  });

  it('reads each strategy\'s own signal, else the mean chosen-token logprob, and skips chains with no signal', () => {
    const units = [
      chainUnit('self-certainty:n=2', 'q1', '5', ['5', '6'], { details: { scores: [2, 1] } }),
      chainUnit('self-consistency:k=2,weighting=answer-prob', 'q1', '5', ['6', '5'], { details: { weights: [0.9, 0.2] } }),
      chainUnit('nowait', 'q1', '5', ['5'], { logprobs: [[-0.5, -1.5]] }),
      chainUnit('self-consistency:k=2', 'q1', '5', ['5', '6']),
    ];
    const { summaries } = calibration(units);
    expect(summaries.map((s) => [s.strategy, s.signal, s.auroc])).toEqual([
      ['self-certainty:n=2', 'mean self-certainty', 1],
      ['self-consistency:k=2,weighting=answer-prob', 'P(answer tokens)', 0],
      ['nowait', 'mean chosen-token logprob', null],
    ]);
    expect(calibration(units).bins.find((b) => b.strategy === 'nowait')).toMatchObject({ minConfidence: -1, chains: 1, accuracy: 1 });
  });
});
