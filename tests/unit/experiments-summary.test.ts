import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/lib/experiments/summary';
import { formatSummaryTable } from '../../src/lib/experiments/summary-table';
import type { UnitResult } from '../../src/lib/experiments/types';
import type { SampleRecord } from '../../src/lib/strategies/types';

function sample(thinkingTokens: number, answerTokens: number, ttftMs: number, decodeTokensPerS: number, cached = false): SampleRecord {
  return {
    text: 'x',
    tokens: thinkingTokens + answerTokens,
    thinkingTokens,
    answerTokens,
    finishReason: 'eos',
    budgetCut: false,
    timings: { promptTokens: 10, ttftMs, prefillMs: ttftMs - 1, decodeMs: 100, decodeTokensPerS, totalMs: 100 + ttftMs },
    role: 'chain',
    answer: null,
    ...(cached ? { cached: true } : {}),
  };
}

function unit(strategy: string, problemId: string, correct: boolean, samples: SampleRecord[], latencyMs: number): UnitResult {
  const sum = (pick: (s: SampleRecord) => number) => samples.reduce((total, s) => total + pick(s), 0);
  return {
    unitId: `${strategy}|${problemId}`,
    strategy,
    problemId,
    reference: '1',
    answer: correct ? '1' : '2',
    correct,
    result: {
      answer: correct ? '1' : '2',
      samples,
      votes: [],
      totals: { samples: samples.length, tokens: sum((s) => s.tokens), thinkingTokens: sum((s) => s.thinkingTokens), answerTokens: sum((s) => s.answerTokens), wallMs: latencyMs },
    },
    latencyMs,
    cachedSamples: samples.filter((s) => 'cached' in s).length,
    finishedAt: 0,
  };
}

// Baseline right on q0, q1; candidate right on q1, q2, q3 (b = 1: q0; c = 2: q2, q3).
const units: UnitResult[] = [
  unit('direct', 'q0', true, [sample(0, 10, 20, 100)], 30),
  unit('direct', 'q1', true, [sample(0, 12, 20, 100)], 32),
  unit('direct', 'q2', false, [sample(0, 14, 20, 100)], 34),
  unit('direct', 'q3', false, [sample(0, 1, 20, 0)], 36),
  unit('sc', 'q0', false, [sample(40, 10, 30, 50), sample(60, 10, 30, 70)], 300),
  unit('sc', 'q1', true, [sample(40, 10, 30, 50), sample(40, 10, 30, 50, true)], 200),
  unit('sc', 'q2', true, [sample(20, 10, 30, 50), sample(20, 10, 30, 50)], 100),
  unit('sc', 'q3', true, [sample(20, 10, 30, 50), sample(20, 10, 30, 50)], 100),
];

describe('summary', () => {
  const [direct, sc, missing] = summarize(units, ['direct', 'sc', 'cot'], 'direct');

  it('computes accuracy with a Wilson interval', () => {
    expect(direct).toMatchObject({ strategy: 'direct', n: 4, correct: 2, accuracy: 0.5 });
    expect(direct.ciLow).toBeCloseTo(0.15004, 4);
    expect(direct.ciHigh).toBeCloseTo(0.84996, 4);
    expect(sc.accuracy).toBe(0.75);
  });

  it('reports tokens per question (thinking and answer apart), samples per question and latency', () => {
    expect(sc).toMatchObject({
      meanTokens: (120 + 100 + 60 + 60) / 4,
      medianTokens: 80,
      meanThinkingTokens: (100 + 80 + 40 + 40) / 4,
      medianThinkingTokens: 60,
      meanAnswerTokens: 20,
      medianAnswerTokens: 20,
      samplesPerQuestion: 2,
      meanLatencyMs: 175,
      medianLatencyMs: 150,
      meanTtftMs: 30,
      cachedSamples: 1,
    });
    expect(sc.decodeTokensPerS).toBeCloseTo((50 * 7 + 70) / 8, 10);
    // a one-token sample has no decode rate and is left out
    expect(direct.decodeTokensPerS).toBe(100);
  });

  it('compares each strategy with the baseline by McNemar over paired questions', () => {
    expect(direct.vsBaseline).toBeNull();
    expect(sc.vsBaseline).toMatchObject({ baseline: 'direct', pairs: 4, b: 1, c: 2, method: 'exact-binomial', pValue: 1 });
    expect(summarize(units, ['direct', 'sc'])[1].vsBaseline).toBeNull();
  });

  it('keeps a row for a strategy with no finished units', () => {
    expect(missing).toMatchObject({ strategy: 'cot', n: 0, correct: 0, ciLow: 0, ciHigh: 1 });
    expect(missing.accuracy).toBeNaN();
  });

  it('prints a table with one row per strategy', () => {
    const table = formatSummaryTable([direct, sc, missing]).split('\n');
    expect(table).toHaveLength(5);
    expect(table[0]).toMatch(/^strategy\s+n\s+accuracy \[95% CI\]/);
    expect(table[2]).toMatch(/^direct\s+4\s+50\.0% \[15\.0%, 85\.0%\]/);
    expect(table[3]).toMatch(/^sc .* \+2\/-1 p=1\.000$/);
    expect(table[4]).toMatch(/^cot\s+0\s+– \[0\.0%, 100\.0%\]/);
  });
});
