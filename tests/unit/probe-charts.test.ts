import { describe, expect, it } from 'vitest';
import { summarizeProbes } from '../../src/lib/experiments/probe-summary';
import type { StrategySummary } from '../../src/lib/experiments/summary';
import { wilsonInterval } from '../../src/lib/stats/wilson';
import { noiseIntervals, probeIntervals } from '../../src/stores/probe-charts';
import { probeUnit } from './helpers/probe-unit';

function row(strategy: string, correct: number, n = 300): StrategySummary {
  const interval = wilsonInterval(correct, n);
  return {
    strategy, n, correct, accuracy: correct / n, fallbacks: 0, fallbackShare: 0, strict: false, ciLow: interval.low, ciHigh: interval.high,
    meanTokens: 0, medianTokens: 0, meanThinkingTokens: 0, medianThinkingTokens: 0, meanAnswerTokens: 0, medianAnswerTokens: 0,
    samplesPerQuestion: 1, meanLatencyMs: 0, medianLatencyMs: 0, meanTtftMs: 0, decodeTokensPerS: 0, cachedSamples: 0, vsBaseline: null,
  };
}

describe('probe measures as intervals', () => {
  it('puts rates and means on separate charts, each point the table row with its interval', () => {
    const units = [
      probeUnit('adding-mistakes', 'a', [{ metric: 'answer changed', kind: 'rate', value: 1 }]),
      probeUnit('adding-mistakes', 'b', [{ metric: 'answer changed', kind: 'rate', value: 0 }]),
      probeUnit('early-answering-steps', 'a', [{ metric: 'area over curve', kind: 'mean', value: 0.2 }]),
      probeUnit('early-answering-steps', 'b', [{ metric: 'area over curve', kind: 'mean', value: 0.6 }]),
      probeUnit('cd-cot', 'a', [{ metric: 'rephrasings kept per exemplar', kind: 'mean', value: 2 }]),
    ];
    const rows = summarizeProbes(units, ['adding-mistakes', 'early-answering-steps', 'cd-cot']);
    const { rates, means } = probeIntervals(rows);
    const wilson = wilsonInterval(1, 2);
    expect(rates).toEqual([{ label: 'adding-mistakes · answer changed', value: 0.5, ciLow: wilson.low, ciHigh: wilson.high, group: 'answer changed' }]);
    // cd-cot's mean over one question has no interval: left out rather than drawn as a bare dot.
    expect(means.map((point) => point.label)).toEqual(['early-answering-steps · area over curve']);
    expect(means[0].value).toBeCloseTo(0.4, 12);
    expect(means[0].ciLow).toBeLessThan(0.4);
    expect(means[0].ciHigh).toBeGreaterThan(0.4);
  });
});

describe('noisy-rationale accuracy as intervals', () => {
  it('orders clean, each noise by ratio, then CD-CoT, and leaves other strategies out', () => {
    const points = noiseIntervals([
      row('cd-cot:shots=1,noise=irrelevant,ratio=0.5', 200),
      row('noisy-cot:shots=1,noise=inaccurate,ratio=0.3', 150),
      row('noisy-cot:shots=1,noise=irrelevant,ratio=0.8', 100),
      row('cot', 290),
      row('noisy-cot:shots=1,noise=irrelevant,ratio=0.3', 250),
      row('noisy-cot:shots=1,noise=none', 280),
      row('someday-strategy', 10),
    ]);
    expect(points.map((point) => [point.label, point.group, point.value])).toEqual([
      ['clean', 'clean', 280 / 300],
      ['irrelevant 0.3', 'irrelevant', 250 / 300],
      ['irrelevant 0.8', 'irrelevant', 100 / 300],
      ['inaccurate 0.3', 'inaccurate', 150 / 300],
      ['CD-CoT, irrelevant 0.5', 'CD-CoT', 200 / 300],
    ]);
    const interval = wilsonInterval(280, 300);
    expect(points[0]).toMatchObject({ ciLow: interval.low, ciHigh: interval.high });
  });

  it('names the shots when rows differ in them, and the full setting when labels would collide', () => {
    const points = noiseIntervals([
      row('noisy-cot:shots=1,noise=none', 280),
      row('noisy-cot:shots=3,noise=none', 3),
      row('noisy-cot:shots=1,noise=irrelevant,ratio=0.5,distribution=random', 200),
      row('noisy-cot:shots=1,noise=irrelevant,ratio=0.5', 210),
      row('noisy-cot:shots=2,noise=none', 0, 0), // nothing finished: no point
    ]);
    expect(points.map((point) => point.label)).toEqual([
      'clean, 1 shot',
      'clean, 3 shots',
      'noisy-cot:shots=1,noise=irrelevant,ratio=0.5,distribution=random',
      'noisy-cot:shots=1,noise=irrelevant,ratio=0.5',
    ]);
  });
});
