/** The model card's bar verdicts (tools/tinythink/eval-summary.ts). */
import { describe, expect, it } from 'vitest';
import { proportion, risesWithBudget } from '../../tools/tinythink/eval-summary';

/** A budget curve from right-answer counts out of 100 at 0/25/50/75/100%. */
function curve(rights: number[]) {
  return rights.map((right, i) => ({ percent: i * 25, accuracy: proportion(Array.from({ length: 100 }, (_, j) => j < right)) }));
}

describe('the budget bar', () => {
  it('passes a curve that rises at every budget from 25% on, whatever the 0% probe gave', () => {
    expect(risesWithBudget(curve([2, 1, 16, 66, 97]))).toBe(true);
    expect(risesWithBudget(curve([0, 1, 2, 3, 4]))).toBe(true);
  });

  it('fails a curve that dips, stays flat, or only jumps at the full chain', () => {
    expect(risesWithBudget(curve([1, 1, 0, 0, 100]))).toBe(false);
    expect(risesWithBudget(curve([0, 5, 5, 60, 97]))).toBe(false);
    expect(risesWithBudget(curve([0, 10, 40, 98, 97]))).toBe(false);
  });
});
