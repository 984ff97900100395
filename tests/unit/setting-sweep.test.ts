import { describe, expect, it } from 'vitest';
import { expandSettingSweep } from '../../src/lib/strategies/setting-sweep';
import { StrategySettingError } from '../../src/lib/strategies/settings';
import { sweepPoints } from '../../src/stores/results-charts';
import type { StrategySummary } from '../../src/lib/experiments/summary';

describe('setting sweeps', () => {
  it('expands one listed key into one canonical setting per value, other keys kept', () => {
    expect(expandSettingSweep('budgeted-cot:budget=0.25|0.5|0.75|1,temperature=0.6')).toEqual([
      'budgeted-cot:budget=0.25,temperature=0.6',
      'budgeted-cot:temperature=0.6',
      'budgeted-cot:budget=0.75,temperature=0.6',
      'budgeted-cot:budget=1,temperature=0.6',
    ]);
  });

  it('leaves a text without alternatives as given', () => {
    expect(expandSettingSweep(' self-consistency:k=5 ')).toEqual(['self-consistency:k=5']);
  });

  it.each([
    ['budgeted-cot:budget=0.25|0.5,temperature=0|0.5', /only one setting/],
    ['budgeted-cot:budget=0.5|0.5', /listed twice/],
    ['budgeted-cot:budget=0.5|', /empty value/],
    ['budgeted-cot:budget=0.5|x', /expected a number/],
    ['budgeted-cot|cot', /only setting values/],
  ])('refuses %s', (text, message) => {
    expect(() => expandSettingSweep(text)).toThrow(StrategySettingError);
    expect(() => expandSettingSweep(text)).toThrow(message);
  });

  it('gives the budget chart one point per expanded row', () => {
    const rows = expandSettingSweep('budgeted-cot:budget=0.25|0.5|1').map(
      (strategy, i): StrategySummary => ({
        strategy, n: 4, correct: i + 1, accuracy: (i + 1) / 4, ciLow: 0, ciHigh: 1, meanTokens: 1, medianTokens: 1,
        meanThinkingTokens: 0, medianThinkingTokens: 0, meanAnswerTokens: 0, medianAnswerTokens: 0, samplesPerQuestion: 1,
        meanLatencyMs: 1, medianLatencyMs: 1, meanTtftMs: 1, decodeTokensPerS: 1, cachedSamples: 0, vsBaseline: null,
        fallbacks: 0, fallbackShare: 0, strict: false,
      }),
    );
    const points = sweepPoints(rows, 'budgeted-cot', 'budget');
    expect(points.map((p) => [p.x, p.accuracy])).toEqual([[0.25, 0.25], [0.5, 0.5], [1, 0.75]]);
    expect(new Set(points.map((p) => p.series)).size).toBe(1);
  });
});

describe('bench --strategy sweeps', () => {
  it('expands a listed value into one strategy per value, and names a bad list as a usage error', async () => {
    const { parseBenchArgs } = await import('../../cli/bench-args');
    const { UsageError } = await import('../../cli/io');
    expect(parseBenchArgs(['--strategy', 'direct', '--strategy', 'budgeted-cot:budget=0.25|1']).strategies).toEqual([
      'direct',
      'budgeted-cot:budget=0.25',
      'budgeted-cot:budget=1',
    ]);
    expect(() => parseBenchArgs(['--strategy', 'budgeted-cot:budget=0.5|0.5'])).toThrow(UsageError);
  });
});
