import { describe, expect, it } from 'vitest';
import { parseExperimentForm, type ExperimentFormState } from '../../src/stores/experiment-form';

const defaults: ExperimentFormState = {
  name: '',
  modelId: 'thinkbench/tinythink',
  dtypeChoice: 'auto',
  datasetId: '',
  n: 20,
  seed: 1,
  maxNewTokens: 160,
  strategies: ['direct', 'cot'],
};

describe('the stored Experiments form', () => {
  it('reads back what was stored', () => {
    const stored = { ...defaults, name: 'x', dtypeChoice: 'fp32', datasetId: 'd1', n: 5, seed: 0, maxNewTokens: 48, strategies: ['cot', 'self-consistency:k=3'] };
    expect(parseExperimentForm(JSON.parse(JSON.stringify(stored)), defaults)).toEqual(stored);
  });

  it('falls back field by field on anything unreadable', () => {
    expect(parseExperimentForm(undefined, defaults)).toEqual(defaults);
    expect(parseExperimentForm('nonsense', defaults)).toEqual(defaults);
    const parsed = parseExperimentForm({ name: 3, dtypeChoice: 'int3', n: 0, seed: -1, maxNewTokens: null, strategies: ['cot', 7], modelId: '' }, defaults);
    expect(parsed).toEqual(defaults);
    expect(parseExperimentForm({ n: 7.9 }, defaults).n).toBe(7);
  });
});
