import { describe, expect, it } from 'vitest';
import { roundForExport } from '../../src/lib/experiments/export-round';

describe('rounding for exports', () => {
  it.each<[string, number, number]>([
    ['accuracy', 2 / 3, 0.6667],
    ['ciLow', 0.123456, 0.1235],
    ['fallbackShare', 1 / 7, 0.1429],
    ['meanTtftMs', 12.3456, 12.3],
    ['decodeTokensPerS', 83.456, 83.5],
    ['meanTokens', 101.2345, 101.23],
    ['samplesPerQuestion', 3.3333, 3.33],
    ['pValue', 0.000012346, 0.00001235],
    ['pValue', 0.5, 0.5],
    ['statistic', 3.84159, 3.842],
    ['somethingNew', 1234.5678, 1235],
  ])('%s %d → %d', (key, value, rounded) => {
    expect(roundForExport(key, value)).toBe(rounded);
  });

  it('passes integers and non-finite values through', () => {
    expect(roundForExport('meanTokens', 120)).toBe(120);
    expect(roundForExport('accuracy', Number.NaN)).toBeNaN();
  });
});
