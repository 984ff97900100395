/** The model card's bar verdicts (tools/tinythink/eval-summary.ts). */
import { describe, expect, it } from 'vitest';
import { bars, budgetLabel, proportion, renderTable, risesWithBudget, summarize, type ProblemOutcome } from '../../tools/tinythink/eval-summary';
import type { EvalSampling } from '../../tools/tinythink/eval-sampling';

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

describe('the model card table says what was measured', () => {
  const outcome = (id: string, right: boolean): ProblemOutcome => ({
    id,
    split: 'test',
    steps: 4,
    cot: right,
    chainTokens: 40,
    probes: { '0': false, '25': false, '50': right, '75': right },
    direct: false,
    scSingle: right,
    scSampleShare: right ? 1 : 0,
    scVote: right,
  });
  const summaries = [{ dtype: 'fp32', summary: summarize([outcome('a', true), outcome('b', false)]) }];

  it('labels the 100% point as the uncut chain, not as a cut with a forced answer', () => {
    const table = renderTable(summaries);
    expect(table).not.toMatch(/cut at 100%/i);
    expect(table).toContain(`| ${budgetLabel(100)} |`);
    expect(budgetLabel(100)).toMatch(/full chain \(uncut\)/i);
    expect(budgetLabel(75)).toBe('Chain cut at 75%, answer forced');
    expect(bars(summaries[0].summary).map((b) => b.label).join('\n')).not.toMatch(/→ 100%/);
  });

  it('prints the sampler settings from eval-sampling.json, whatever they are', () => {
    const sampling: EvalSampling = { scSamples: 7, temperature: 0.6, topK: 20 };
    expect(renderTable(summaries, sampling)).toContain('| Self-consistency, 7 chains at T 0.6 |');
    const scBar = bars(summaries[0].summary, sampling)[2];
    expect(scBar.label).toBe('self-consistency@7 ≥ single sample + 5 points (temperature 0.6, top-k 20)');
  });
});
