/**
 * A hand-made export for the Results page's end-to-end tests: 3 questions × 7 strategy rows
 * (direct, cot, self-consistency at k = 6, budgeted-cot at three budgets, one confidence-weighted
 * self-consistency row), every answer chosen so that the expected table, curves, tallies and
 * disagreements are known without running a model. Timings have decimals so every column is
 * as wide as a real run's.
 */
import type { Dataset } from '../../src/lib/datasets/types';
import { buildExport, type ExperimentExport } from '../../src/lib/experiments/export-format';
import type { UnitResult } from '../../src/lib/experiments/types';
import type { SampleRecord } from '../../src/lib/strategies/types';
import { majorityVote } from '../../src/lib/strategies/vote';

export const FIXTURE_NAME = 'SC and budget sweeps on three sums, with a long name that a real user might well give';

export const QUESTIONS = [
  { id: 'q0', question: 'What is 10 + 20?', reference: '30' },
  { id: 'q1', question: 'What is 50 - 15?', reference: '35' },
  { id: 'q2', question: 'Sam has 12 coins and gets 30 more. How many coins does he have?', reference: '42' },
];

export const SC = 'self-consistency:k=6,batch=6';
export const SC_WEIGHTED = 'self-consistency:k=3,batch=3,weighting=verbal';
export const BUDGETS = ['budgeted-cot:budget=0.25,medianChainTokens=40', 'budgeted-cot:budget=0.5,medianChainTokens=40', 'budgeted-cot:budget=1,medianChainTokens=40'];
export const STRATEGIES = ['direct', 'cot', SC, SC_WEIGHTED, ...BUDGETS];

/** Chain answers per strategy and question (one per sample). */
const ANSWERS: Record<string, string[][]> = {
  direct: [['30'], ['36'], ['42']],
  cot: [['30'], ['35'], ['42']],
  // Votes over the first j chains: q0 wrong at j = 1, 2 (tie → the earliest, 31), right from 3; q1 right at 1, wrong from 4.
  [SC]: [
    ['31', '30', '30', '31', '30', '30'],
    ['35', '36', '35', '36', '36', '36'],
    ['42', '42', '42', '42', '42', '42'],
  ],
  [SC_WEIGHTED]: [['31', '30', '31'], ['35', '36', '35'], ['42', '42', '42']],
  [BUDGETS[0]]: [['29'], ['34'], ['42']],
  [BUDGETS[1]]: [['30'], ['34'], ['42']],
  [BUDGETS[2]]: [['30'], ['35'], ['42']],
};

/** Confidence weights of SC_WEIGHTED's chains: the single 30 outweighs two 31s on q0. */
const WEIGHTS = [[0.2, 0.9, 0.3], [0.5, 0.4, 0.5], [0.8, 0.8, 0.8]];

/** Questions on which the strategies' final answers differ (q2: all say 42). */
export const DISAGREEING = ['q0', 'q1'];

function sample(answer: string, index: number): SampleRecord {
  const text = `<think>\nworking it out, step ${index + 1}\n</think>\n\nThe answer is ${answer}.`;
  return {
    text,
    tokens: 37,
    thinkingTokens: 25,
    answerTokens: 12,
    finishReason: 'eos',
    budgetCut: false,
    timings: { promptTokens: 31, ttftMs: 123.456 + index, prefillMs: 98.765, decodeMs: 1234.5678, decodeTokensPerS: 29.170123, totalMs: 1358.0238 },
    role: 'chain',
    answer: { value: answer, raw: answer, rule: 'the-answer-is', fallback: false },
  };
}

function unit(strategy: string, questionIndex: number): UnitResult {
  const question = QUESTIONS[questionIndex];
  const answers = ANSWERS[strategy][questionIndex];
  const weights = strategy === SC_WEIGHTED ? WEIGHTS[questionIndex] : undefined;
  const samples = answers.map(sample);
  const outcome = majorityVote(answers.map((answer, i) => ({ answer, weight: weights?.[i] ?? 1 })));
  return {
    unitId: `${strategy}|${question.id}`,
    strategy,
    problemId: question.id,
    reference: question.reference,
    answer: outcome.answer,
    correct: outcome.answer === question.reference,
    result: {
      answer: outcome.answer,
      samples,
      votes: outcome.votes,
      totals: { samples: samples.length, tokens: 37 * samples.length, thinkingTokens: 25 * samples.length, answerTokens: 12 * samples.length, wallMs: 1400.5 },
      details: { agreement: outcome.agreement, ...(weights ? { weights } : {}) },
    },
    latencyMs: 1400.5 * samples.length,
    cachedSamples: 0,
    finishedAt: 1_700_000_000_000,
  };
}

export function resultsFixture(): ExperimentExport {
  const dataset: Dataset = { id: 'fixture-sums', name: 'three sums', source: { kind: 'file', format: 'jsonl', fileName: 'sums.jsonl' }, problems: QUESTIONS };
  const spec = { model: { id: 'thinkbench/tinythink', dtype: 'q8', device: 'wasm' }, dataset: { id: dataset.id, n: 3, seed: 0 }, strategies: STRATEGIES, maxNewTokens: 64 };
  const units = STRATEGIES.flatMap((strategy) => QUESTIONS.map((_, index) => unit(strategy, index)));
  return buildExport({ id: 'fixture-run', name: FIXTURE_NAME, createdAt: 1_700_000_000_000, status: 'completed', spec, baseline: 'direct', manifest: null }, dataset, units, new Date(1_700_000_100_000));
}
