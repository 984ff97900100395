import { describe, expect, it } from 'vitest';
import { formatProbeTable, summarizeProbes } from '../../src/lib/experiments/probe-summary';
import { wilsonInterval } from '../../src/lib/stats/wilson';
import { probeUnit } from './helpers/probe-unit';

const changed = (value: number) => [{ metric: 'answer changed', kind: 'rate', value }];

describe('probe summary', () => {
  it('aggregates rates with Wilson intervals and means with normal intervals, in the run order', () => {
    const units = [
      probeUnit('adding-mistakes', 'a', changed(1)),
      probeUnit('adding-mistakes', 'b', changed(1)),
      probeUnit('adding-mistakes', 'c', changed(0)),
      probeUnit('adding-mistakes', 'd', []), // not applicable to this question: not counted
      probeUnit('early-answering-steps', 'a', [{ metric: 'area over curve', kind: 'mean', value: 0.2 }]),
      probeUnit('early-answering-steps', 'b', [{ metric: 'area over curve', kind: 'mean', value: 0.6 }]),
      probeUnit('cot', 'a', undefined),
      probeUnit('filler-tokens', 'a', [{ metric: 'bad', kind: 'rate', value: 'x' }]),
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
