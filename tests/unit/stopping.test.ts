import { describe, expect, it } from 'vitest';
import { betaRule, consensusRule, escRule, leaderProbability, NO_STOP } from '../../src/lib/strategies/stopping';

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

describe('consensus rule (DeepConf\'s β ≥ τ)', () => {
  const rule = consensusRule(3, 0.95);

  it('with plain votes waits for the warm-up, then needs unanimity among the answered samples', () => {
    expect(rule.stopAt(['4', '4'])).toBeNull();
    expect(rule.stopAt(['4', '4', '4', '4'])).toBe(3);
    expect(rule.stopAt(['4', null, '4'])).toBe(3);
    // 9 of 10 is 0.9 < 0.95: one dissent keeps it from ever firing.
    expect(rule.stopAt(['4', '5', '4', '4', '4', '4', '4', '4', '4', '4'])).toBeNull();
    expect(rule.stopAt([null, null, null])).toBeNull();
  });

  it('with weights, sure samples outvote an unsure dissent', () => {
    // 0.9 + 0.9 against 0.05: the leader holds 1.8 / 1.85 ≈ 0.973 of the weight.
    expect(rule.stopAt(['4', '5', '4'], [0.9, 0.05, 0.9])).toBe(3);
    // Against a sure dissent (0.9) it holds 0.667: no stop.
    expect(rule.stopAt(['4', '5', '4'], [0.9, 0.9, 0.9])).toBeNull();
    // The leader may be the answer with fewer but surer votes: 1.0 vs 0.02 + 0.02.
    expect(rule.stopAt(['4', '5', '5'], [1, 0.02, 0.02])).toBe(3);
  });

  it('sizes the warm-up as one call (within the batch), then checks after every sample', () => {
    expect(rule.nextCallSize(0, 10, 10)).toBe(3);
    expect(rule.nextCallSize(0, 2, 10)).toBe(2);
    expect(rule.nextCallSize(2, 2, 8)).toBe(1);
    expect(rule.nextCallSize(3, 5, 7)).toBe(1);
    expect(rule.nextCallSize(0, 10, 2)).toBe(2);
  });
});
