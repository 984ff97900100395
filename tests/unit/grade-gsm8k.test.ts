/**
 * The grader against real model outputs no one here wrote: GPT-3's 5,276 labelled GSM8K test
 * solutions (../shared/datasets/gsm8k/example_model_solutions.jsonl). Its verdicts must agree
 * with every one of the `is_correct` labels (they do, and a change that loses one is a regression).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { grade } from '../../src/lib/answers/grade';

// The shared folder sits beside the repository's checkout; a git worktree elsewhere names it
// with THINKBENCH_SHARED_DIR.
const SHARED = process.env.THINKBENCH_SHARED_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared');
const FILE = resolve(SHARED, 'datasets/gsm8k/example_model_solutions.jsonl');
const SOLVERS = ['6b_finetuning', '6b_verification', '175b_finetuning', '175b_verification'] as const;
const present = existsSync(FILE);
const required = process.env.THINKBENCH_REQUIRE_SHARED === '1';

interface Labelled {
  is_correct: boolean;
  solution: string;
}

function labelledOf(row: unknown, solver: string, where: string): Labelled {
  const entry: unknown = typeof row === 'object' && row !== null ? Reflect.get(row, solver) : undefined;
  const isCorrect: unknown = typeof entry === 'object' && entry !== null ? Reflect.get(entry, 'is_correct') : undefined;
  const solution: unknown = typeof entry === 'object' && entry !== null ? Reflect.get(entry, 'solution') : undefined;
  if (typeof isCorrect !== 'boolean' || typeof solution !== 'string') throw new Error(`${where}: bad "${solver}" entry`);
  return { is_correct: isCorrect, solution };
}

describe('grading GSM8K model solutions', () => {
  it('finds the shared data set (required in CI)', () => {
    if (!present) {
      const message = `${FILE} is absent: the GSM8K grader-agreement test is skipped`;
      if (required) throw new Error(`${message}, but THINKBENCH_REQUIRE_SHARED=1`);
      console.warn(message);
    }
  });

  it.skipIf(!present)('agrees with the is_correct labels on all 5,276 solutions', () => {
    const lines = readFileSync(FILE, 'utf8').split('\n').filter((line) => line.trim() !== '');
    let agree = 0;
    let total = 0;
    const disagreements: string[] = [];
    lines.forEach((line, index) => {
      const row: unknown = JSON.parse(line);
      const truth: unknown = typeof row === 'object' && row !== null ? Reflect.get(row, 'ground_truth') : undefined;
      const question: unknown = typeof row === 'object' && row !== null ? Reflect.get(row, 'question') : undefined;
      if (typeof truth !== 'string') throw new Error(`line ${index + 1}: no ground_truth`);
      if (typeof question !== 'string') throw new Error(`line ${index + 1}: no question`);
      for (const solver of SOLVERS) {
        const labelled = labelledOf(row, solver, `line ${index + 1}`);
        const verdict = grade(labelled.solution, truth, { question });
        total += 1;
        if (verdict.correct === labelled.is_correct) agree += 1;
        else disagreements.push(`line ${index + 1} ${solver}: label ${labelled.is_correct}, graded ${verdict.correct} (${verdict.answer?.raw ?? 'no answer'} vs ${verdict.reference})`);
      }
    });
    const agreement = agree / total;
    console.log(`GSM8K grader agreement: ${agree}/${total} = ${(100 * agreement).toFixed(2)}%`);
    if (disagreements.length > 0) console.log(disagreements.slice(0, 20).join('\n'));
    expect(total).toBe(5276);
    expect(agree).toBe(total);
  });
});
