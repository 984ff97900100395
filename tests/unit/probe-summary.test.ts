import { describe, expect, it } from 'vitest';
import { formatProbeTable, summarizeProbes } from '../../src/lib/experiments/probe-summary';
import type { UnitResult } from '../../src/lib/experiments/types';
import { wilsonInterval } from '../../src/lib/stats/wilson';

function unit(strategy: string, problemId: string, probe: unknown): UnitResult {
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

const changed = (value: number) => [{ metric: 'answer changed', kind: 'rate', value }];

describe('probe summary', () => {
  it('aggregates rates with Wilson intervals and means with normal intervals, in the run order', () => {
    const units = [
      unit('adding-mistakes', 'a', changed(1)),
      unit('adding-mistakes', 'b', changed(1)),
      unit('adding-mistakes', 'c', changed(0)),
      unit('adding-mistakes', 'd', []), // not applicable to this question: not counted
      unit('early-answering-steps', 'a', [{ metric: 'area over curve', kind: 'mean', value: 0.2 }]),
      unit('early-answering-steps', 'b', [{ metric: 'area over curve', kind: 'mean', value: 0.6 }]),
      unit('cot', 'a', undefined),
      unit('filler-tokens', 'a', [{ metric: 'bad', kind: 'rate', value: 'x' }]),
    ];
    const rows = summarizeProbes(units, ['early-answering-steps', 'adding-mistakes']);
    expect(rows.map((row) => [row.strategy, row.metric, row.n])).toEqual([
      ['early-answering-steps', 'area over curve', 2],
      ['adding-mistakes', 'answer changed', 3],
    ]);
    const wilson = wilsonInterval(2, 3);
    expect(rows[1]).toMatchObject({ kind: 'rate', value: 2 / 3, ciLow: wilson.low, ciHigh: wilson.high });
    // sd of 0.2 and 0.6 is 0.2828…; half width 1.96 · sd / √2 = 0.392.
    expect(rows[0].value).toBeCloseTo(0.4);
    expect(rows[0].ciHigh - rows[0].value).toBeCloseTo(0.392, 3);
    expect(formatProbeTable(rows)).toContain('adding-mistakes        answer changed   3  66.7% [20.8%, 93.9%]');
  });
});
