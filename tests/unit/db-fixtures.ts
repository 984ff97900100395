/** Small, valid records for the IndexedDB tests (fake-indexeddb in Node). */
import type { Dataset } from '../../src/lib/datasets/types';
import type { UnitResult } from '../../src/lib/experiments/types';
import type { Sample } from '../../src/lib/generate';
import type { ExperimentRecord } from '../../src/lib/db/records';
import type { SampleRecord } from '../../src/lib/strategies/types';

let counter = 0;
/** A database name no other test uses, so tests never see each other's data. */
export function freshDbName(): string {
  counter += 1;
  return `thinkbench-test-${process.pid}-${counter}-${Date.now()}`;
}

export function sample(text = '<think>\n23+45=68\n</think>\n\nThe answer is 68.'): Sample {
  return {
    text,
    tokens: 30,
    thinkingTokens: 20,
    answerTokens: 10,
    finishReason: 'eos',
    budgetCut: false,
    timings: { promptTokens: 12, ttftMs: 5, prefillMs: 4, decodeMs: 50, decodeTokensPerS: 580, totalMs: 55 },
  };
}

export function sampleRecord(): SampleRecord {
  return { ...sample(), role: 'chain', answer: { value: '68', raw: 'The answer is 68', rule: 'the-answer-is', fallback: false } };
}

export function dataset(id = 'ds-1'): Dataset {
  return {
    id,
    name: 'tiny arithmetic',
    source: { kind: 'builtin', generator: 'arithmetic', n: 2, seed: 1, minSteps: 1, maxSteps: 2 },
    problems: [
      { id: 'p1', question: 'What is 23 + 45?', reference: '68' },
      { id: 'p2', question: 'What is 50 - 12?', reference: '38' },
    ],
  };
}

export function experiment(id = 'exp-1'): ExperimentRecord {
  const now = Date.now();
  return {
    id,
    name: 'two strategies',
    spec: {
      model: { id: 'thinkbench/tinythink', dtype: 'fp32', device: 'wasm' },
      dataset: { id: 'ds-1', n: 2, seed: 1 },
      strategies: ['direct', 'cot'],
      maxNewTokens: 64,
    },
    manifest: {
      appVersion: '0.1.0',
      runtime: 'test',
      model: { id: 'thinkbench/tinythink', dtype: 'fp32', device: 'wasm', files: [] },
      dataset: { id: 'ds-1', name: 'tiny arithmetic', source: dataset().source, n: 2, seed: 1 },
      strategies: [
        { text: 'direct', id: 'direct', config: {} },
        { text: 'cot', id: 'cot', config: { temperature: 0 } },
      ],
      maxNewTokens: 64,
      createdAt: now,
    },
    status: 'running',
    unitsTotal: 4,
    unitsDone: 0,
    samplesTotal: 4,
    activeMs: 0,
    samplesDone: 0,
    generatedSamples: 0,
    cachedSamples: 0,
    imported: false,
    createdAt: now,
    updatedAt: now,
  };
}

export function unit(strategy: string, problemId: string): UnitResult {
  const record = sampleRecord();
  return {
    unitId: `${strategy}|${problemId}`,
    strategy,
    problemId,
    reference: '68',
    answer: '68',
    correct: true,
    result: {
      answer: '68',
      samples: [record],
      votes: [{ answer: '68', count: 1, weight: 1 }],
      totals: { samples: 1, tokens: 30, thinkingTokens: 20, answerTokens: 10, wallMs: 55 },
    },
    latencyMs: 55,
    cachedSamples: 0,
    finishedAt: Date.now(),
  };
}
