import { describe, expect, it } from 'vitest';
import { betaRule, escRule, leaderProbability, NO_STOP } from '../../src/lib/strategies/stopping';

describe('ESC windows', () => {
  const esc = escRule(5);

  it('stops at the end of the first unanimous window', () => {
    expect(esc.stopAt(['1', '1', '1', '1', '1'])).toBe(5);
    expect(esc.stopAt(['1', '2', '1', '1', '1', '3', '3', '3', '3', '3'])).toBe(10);
    expect(esc.stopAt(['1', '1', '1', '1'])).toBeNull();
    expect(esc.stopAt([null, null, null, null, null])).toBeNull();
  });

  it('sizes calls so that none straddles a window', () => {
    expect(esc.nextCallSize(0, 8, 20)).toBe(5);
    expect(esc.nextCallSize(5, 2, 15)).toBe(2);
    expect(esc.nextCallSize(9, 4, 11)).toBe(1);
    expect(esc.nextCallSize(15, 10, 3)).toBe(3);
  });
});

describe('Beta rule', () => {
  it('computes P(leader beats runner-up) exactly', () => {
    expect(leaderProbability(0, 0)).toBeCloseTo(0.5);
    expect(leaderProbability(1, 0)).toBeCloseTo(3 / 4);
    expect(leaderProbability(3, 0)).toBeCloseTo(15 / 16);
    expect(leaderProbability(4, 0)).toBeCloseTo(31 / 32);
    expect(leaderProbability(2, 2)).toBeCloseTo(0.5);
    expect(leaderProbability(400, 380)).toBeGreaterThan(0.5);
  });

  it('stops after exactly the sample that makes the leader likely enough', () => {
    const beta = betaRule(0.95);
    expect(beta.stopAt(['4', '4', '4'])).toBeNull();
    expect(beta.stopAt(['4', '4', '4', '4', '4'])).toBe(4);
    // 5 vs 1: P(Bin(7, ½) ≤ 5) = 120/128 = 0.9375; 6 vs 1: P(Bin(8, ½) ≤ 6) = 247/256 ≈ 0.965.
    expect(beta.stopAt(['4', '2', '4', '4', '4', '4', null, '4'])).toBe(8);
  });

  it('never stops with a fixed k', () => {
    expect(NO_STOP.stopAt(['1', '1', '1', '1', '1', '1'])).toBeNull();
    expect(NO_STOP.nextCallSize(3, 4, 2)).toBe(2);
  });
});
