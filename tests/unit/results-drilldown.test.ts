import { describe, expect, it } from 'vitest';
import type { UnitResult } from '../../src/lib/experiments/types';
import type { SampleRecord } from '../../src/lib/strategies/types';
import { majorityVote } from '../../src/lib/strategies/vote';
import { disagreeingQuestions, voteTally } from '../../src/stores/results-drilldown';

function unit(strategy: string, problemId: string, reference: string, answers: (string | null)[], weights?: number[]): UnitResult {
  const samples: SampleRecord[] = answers.map((value) => ({
    text: `The answer is ${value}.`, tokens: 5, thinkingTokens: 0, answerTokens: 5, finishReason: 'eos', budgetCut: false,
    timings: { promptTokens: 1, ttftMs: 1, prefillMs: 1, decodeMs: 1, decodeTokensPerS: 1, totalMs: 2 },
    role: 'chain', answer: value === null ? null : { value, raw: value, rule: 'the-answer-is', fallback: false },
  }));
  const outcome = majorityVote(answers.map((answer, i) => ({ answer, weight: weights?.[i] ?? 1 })));
  return {
    unitId: `${strategy}|${problemId}`, strategy, problemId, reference, answer: outcome.answer, correct: outcome.answer === reference,
    result: { answer: outcome.answer, samples, votes: outcome.votes, totals: { samples: answers.length, tokens: 0, thinkingTokens: 0, answerTokens: 0, wallMs: 0 }, ...(weights ? { details: { weights } } : {}) },
    latencyMs: 1, cachedSamples: 0, finishedAt: 0,
  };
}

const problem = { id: 'q1', question: 'What is 2 + 5?', reference: '7' };

describe('vote tally', () => {
  it('lists answer → count with shares, the winner and the answer that matches the reference', () => {
    const tally = voteTally(unit('self-consistency', 'q1', '7', ['5', '7', '5', null]), problem);
    expect(tally.weighted).toBe(false);
    expect(tally.unanswered).toBe(1);
    expect(tally.rows).toEqual([
      { answer: '5', count: 2, weight: 2, share: 2 / 3, won: true, correct: false },
      { answer: '7', count: 1, weight: 1, share: 1 / 3, won: false, correct: true },
    ]);
  });

  it('shows weights when the votes were confidence-weighted', () => {
    const tally = voteTally(unit('self-consistency:weighting=verbal', 'q1', '7', ['5', '7', '5'], [0.2, 0.9, 0.3]), problem);
    expect(tally.weighted).toBe(true);
    expect(tally.rows.map((row) => [row.answer, row.count, row.weight, row.won])).toEqual([
      ['7', 1, 0.9, true],
      ['5', 2, 0.5, false],
    ]);
    expect(tally.rows[0].share).toBeCloseTo(0.9 / 1.4, 12);
  });
});

describe('questions where strategies disagree', () => {
  it('keeps questions whose finished units gave different answers, no answer included, in question order', () => {
    const units = [
      unit('direct', 'q1', '7', ['7']),
      unit('cot', 'q1', '7', ['7']),
      unit('direct', 'q2', '3', ['3']),
      unit('cot', 'q2', '3', ['4']),
      unit('direct', 'q3', '1', [null]),
      unit('cot', 'q3', '1', ['1']),
      unit('direct', 'q4', '1', ['2']),
    ];
    expect(disagreeingQuestions(['q4', 'q3', 'q2', 'q1'], units)).toEqual(['q3', 'q2']);
  });
});
