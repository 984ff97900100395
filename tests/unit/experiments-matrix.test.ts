import { describe, expect, it } from 'vitest';
import { buildMatrix, estimateMatrix, sliceProblems } from '../../src/lib/experiments/matrix';
import { ExperimentSpecError, resolveStrategies, validateSpec } from '../../src/lib/experiments/spec';
import { generateArithmeticProblems } from '../../src/lib/datasets/arithmetic';
import { PROBLEMS } from './experiments-fixtures';

describe('spec and strategies', () => {
  it('keeps strategies as given and refuses two texts for the same setting', () => {
    const resolved = resolveStrategies(['cot', 'self-consistency:k=5']);
    expect(resolved.map((r) => [r.text, r.setting.id])).toEqual([
      ['cot', 'cot'],
      ['self-consistency:k=5', 'self-consistency'],
    ]);
    expect(() => resolveStrategies(['cot', 'cot:temperature=0'])).toThrow(ExperimentSpecError);
    expect(() => resolveStrategies([])).toThrow(/at least one strategy/);
    expect(() => resolveStrategies(['nonsense'])).toThrow(/unknown strategy/);
  });

  it('validates the slice and the token limit', () => {
    const spec = { model: { id: 'm', dtype: 'q8', device: 'cpu' }, dataset: { id: 'd', n: 10, seed: 1 }, strategies: ['cot'], maxNewTokens: 128 };
    expect(validateSpec(spec)).toHaveLength(1);
    expect(() => validateSpec({ ...spec, dataset: { id: 'd', n: 0, seed: 1 } })).toThrow(/n must be/);
    expect(() => validateSpec({ ...spec, maxNewTokens: 0 })).toThrow(/maxNewTokens/);
  });
});

describe('run matrix', () => {
  const problems = generateArithmeticProblems({ n: 50, seed: 1 });

  it('slices n questions by seed, reproducibly, kept in dataset order', () => {
    const slice = sliceProblems(problems, { n: 10, seed: 4 });
    expect(slice).toHaveLength(10);
    expect(sliceProblems(problems, { n: 10, seed: 4 })).toEqual(slice);
    expect(sliceProblems(problems, { n: 10, seed: 5 })).not.toEqual(slice);
    const positions = slice.map((p) => problems.indexOf(p));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).toBe(10);
    expect(sliceProblems(problems, { n: 80, seed: 4 })).toEqual(problems);
  });

  it('expands strategy × problem, strategy major, with stable ids, and estimates its size', () => {
    const units = buildMatrix(resolveStrategies(['direct', 'self-consistency:k=8,batch=4']), PROBLEMS);
    expect(units.map((u) => u.id)).toEqual([
      'direct|q0',
      'direct|q1',
      'direct|q2',
      'self-consistency:k=8,batch=4|q0',
      'self-consistency:k=8,batch=4|q1',
      'self-consistency:k=8,batch=4|q2',
    ]);
    expect(estimateMatrix(units)).toEqual({ units: 6, maxSamples: 27 });
  });
});
