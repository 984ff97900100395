/** A finished unit whose details hold `probe` (the measures a faithfulness probe records), for tests of what reads them. */
import type { UnitResult } from '../../../src/lib/experiments/types';

export function probeUnit(strategy: string, problemId: string, probe: unknown): UnitResult {
  return {
    unitId: `${strategy}|${problemId}`,
    strategy,
    problemId,
    reference: '1',
    answer: '1',
    correct: true,
    result: { answer: '1', samples: [], votes: [], totals: { samples: 0, tokens: 0, thinkingTokens: 0, answerTokens: 0, wallMs: 0 }, details: { probe } },
    latencyMs: 0,
    cachedSamples: 0,
    finishedAt: 0,
  };
}
