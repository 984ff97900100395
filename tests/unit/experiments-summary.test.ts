import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/lib/experiments/summary';
import { formatSummaryTable } from '../../src/lib/experiments/summary-table';
import { answeredByFallback } from '../../src/lib/experiments/grade-unit';
import type { UnitResult } from '../../src/lib/experiments/types';
import type { ExtractedAnswer } from '../../src/lib/answers/types';
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

const cue = (value: string): ExtractedAnswer => ({ value, raw: `The answer is ${value}`, rule: 'the-answer-is', fallback: false });
const lastNumber = (value: string): ExtractedAnswer => ({ value, raw: value, rule: 'last-number', fallback: true });
const said = (answer: ExtractedAnswer | null): SampleRecord => ({ ...sample(5, 5, 10, 100), answer });

/** A unit whose final answer is `answer`, from samples that read the answers given. */
function voted(strategy: string, problemId: string, answer: string | null, correct: boolean, answers: (ExtractedAnswer | null)[]): UnitResult {
  const base = unit(strategy, problemId, correct, answers.map(said), 10);
  return { ...base, answer, result: { ...base.result, answer } };
}

// Both strategies are right on all three questions; `loose` found two of its answers only by
// the last-number fallback (q1 one sample, q2 a vote of two fallbacks), `firm` none.
const graded: UnitResult[] = [
  voted('firm', 'q0', '1', true, [cue('1')]),
  voted('firm', 'q1', '1', true, [cue('1')]),
  voted('firm', 'q2', '1', true, [cue('1'), cue('1'), lastNumber('1')]),
  voted('loose', 'q0', '1', true, [cue('1'), lastNumber('1')]),
  voted('loose', 'q1', '1', true, [lastNumber('1')]),
  voted('loose', 'q2', '1', true, [lastNumber('1'), lastNumber('1'), cue('3')]),
];

describe('fallback share and strict mode', () => {
  it('a final answer is by fallback when every sample that gave it read it by the last-number fallback', () => {
    expect(graded.map((u) => answeredByFallback(u.result))).toEqual([false, false, false, false, true, true]);
    expect(answeredByFallback(voted('x', 'q', null, false, [null]).result)).toBe(false);
    // A confidence reply that happens to state the answer's number by a cue is not a giver.
    const weighted = voted('x', 'q', '80', true, [lastNumber('80'), cue('80')]);
    weighted.result.samples[1] = { ...weighted.result.samples[1], role: 'confidence' };
    expect(answeredByFallback(weighted.result)).toBe(true);
  });

  it('reports the share of answers found by the fallback per strategy', () => {
    const [firm, loose] = summarize(graded, ['firm', 'loose'], 'firm');
    expect(firm).toMatchObject({ fallbacks: 0, fallbackShare: 0, correct: 3, strict: false });
    expect(loose).toMatchObject({ fallbacks: 2, correct: 3, strict: false });
    expect(loose.fallbackShare).toBeCloseTo(2 / 3, 12);
    expect(summarize([], ['firm'])[0].fallbackShare).toBeNaN();
  });

  it('strict mode counts fallback answers wrong, in accuracy and in McNemar', () => {
    const [firm, loose] = summarize(graded, ['firm', 'loose'], 'firm', { strict: true });
    expect(firm).toMatchObject({ correct: 3, accuracy: 1, strict: true });
    expect(loose).toMatchObject({ correct: 1, fallbacks: 2, strict: true });
    expect(loose.accuracy).toBeCloseTo(1 / 3, 12);
    expect(loose.vsBaseline).toMatchObject({ b: 2, c: 0 });
    expect(summarize(graded, ['firm', 'loose'], 'firm')[1].vsBaseline).toMatchObject({ b: 0, c: 0 });
  });

  it('prints the fallback share, and says when the table is strict', () => {
    const lenient = formatSummaryTable(summarize(graded, ['firm', 'loose'], 'firm')).split('\n');
    expect(lenient[0]).toMatch(/accuracy \[95% CI\]\s+fallback/);
    expect(lenient[3]).toMatch(/^loose\s+3\s+100\.0% \[\S+, \S+\]\s+66\.7%/);
    expect(lenient).toHaveLength(4);
    const strict = formatSummaryTable(summarize(graded, ['firm', 'loose'], 'firm', { strict: true })).split('\n');
    expect(strict[3]).toMatch(/^loose\s+3\s+33\.3% /);
    expect(strict.at(-1)).toBe('strict: answers found only by the last-number fallback count as wrong');
  });
});

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
