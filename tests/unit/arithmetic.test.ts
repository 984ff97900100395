import { describe, expect, it } from 'vitest';
import { arithmeticDataset, generateArithmeticProblems, MAX_TOTAL } from '../../src/lib/datasets/arithmetic';

/** The trainer's two phrasings (tools/tinythink/data.py), as patterns. */
const EXPRESSION = /^What is (\d\d)((?: [+-] \d\d)+)\?$/;
const WORD = /^(Sam|Ana|Tom|Mia|Leo|Eva|Max|Zoe) has (\d\d) (coins|apples|stamps|cards|marbles|books)((?:, (?:gets|loses) \d\d)+)\. How many \3 now\?$/;

/** Reads a question back into numbers and operators, so the reference can be recomputed independently. */
function readQuestion(question: string): { numbers: number[]; ops: string[] } {
  const expression = EXPRESSION.exec(question);
  if (expression) {
    const terms = [...expression[2].matchAll(/ ([+-]) (\d\d)/g)];
    return { numbers: [Number(expression[1]), ...terms.map((t) => Number(t[2]))], ops: terms.map((t) => t[1]) };
  }
  const word = WORD.exec(question);
  if (!word) throw new Error(`question not in the trainer's phrasing: ${question}`);
  const terms = [...word[4].matchAll(/, (gets|loses) (\d\d)/g)];
  return { numbers: [Number(word[2]), ...terms.map((t) => Number(t[2]))], ops: terms.map((t) => (t[1] === 'gets' ? '+' : '-')) };
}

describe('built-in arithmetic generator', () => {
  const problems = generateArithmeticProblems({ n: 400, seed: 7 });

  it('phrases every question like the training data and its reference is the true result', () => {
    for (const problem of problems) {
      const { numbers, ops } = readQuestion(problem.question);
      expect(numbers).toEqual(problem.numbers);
      let total = numbers[0];
      const chain: string[] = [];
      ops.forEach((op, i) => {
        const next = op === '+' ? total + numbers[i + 1] : total - numbers[i + 1];
        const pad = (value: number) => String(value).padStart(3, '0');
        chain.push(`${pad(total)}${op}${pad(numbers[i + 1])}=${pad(next)}`);
        total = next;
        // The trainer keeps every running total in [0, MAX_TOTAL).
        expect(total).toBeGreaterThanOrEqual(0);
        expect(total).toBeLessThan(MAX_TOTAL);
      });
      expect(problem.reference).toBe(String(total));
      // Then the check: the last operation undone.
      const last = ops.length - 1;
      const before = ops[last] === '+' ? total - numbers[last + 1] : total + numbers[last + 1];
      const pad = (value: number) => String(value).padStart(3, '0');
      chain.push(`check ${pad(total)}${ops[last] === '+' ? '-' : '+'}${pad(numbers[last + 1])}=${pad(before)}`);
      expect(problem.chain).toEqual(chain);
      expect(problem.steps).toBe(ops.length);
    }
  });

  it('cycles difficulty through 1–6 steps, mixes both phrasings, and never repeats a question', () => {
    expect(problems.slice(0, 7).map((p) => p.steps)).toEqual([1, 2, 3, 4, 5, 6, 1]);
    const wordShare = problems.filter((p) => p.phrasing === 'word').length / problems.length;
    expect(wordShare).toBeGreaterThan(0.2);
    expect(wordShare).toBeLessThan(0.4);
    expect(new Set(problems.map((p) => p.question)).size).toBe(problems.length);
    expect(new Set(problems.map((p) => p.id)).size).toBe(problems.length);
  });

  it('is reproducible by seed, and a smaller n is a prefix of a larger one', () => {
    expect(generateArithmeticProblems({ n: 400, seed: 7 })).toEqual(problems);
    expect(generateArithmeticProblems({ n: 25, seed: 7 })).toEqual(problems.slice(0, 25));
    expect(generateArithmeticProblems({ n: 25, seed: 8 })).not.toEqual(problems.slice(0, 25));
  });

  it('honours a fixed difficulty and describes itself as a dataset', () => {
    const dataset = arithmeticDataset({ n: 10, seed: 1, minSteps: 6, maxSteps: 6 });
    expect(generateArithmeticProblems({ n: 10, seed: 1, minSteps: 6, maxSteps: 6 }).every((p) => p.steps === 6)).toBe(true);
    expect(dataset.problems).toHaveLength(10);
    expect(dataset.source).toEqual({ kind: 'builtin', generator: 'arithmetic', n: 10, seed: 1, minSteps: 6, maxSteps: 6 });
    expect(() => generateArithmeticProblems({ n: 5, seed: 1, minSteps: 3, maxSteps: 2 })).toThrow(RangeError);
  });
});
