/**
 * The built-in dataset: the embedded model's own task, so every experiment works offline.
 *
 * Phrasing, operand range and running-total bounds are ported from the trainer
 * (tools/tinythink/data.py) so the questions are in-distribution: two-digit operands joined
 * by + and -, the running total kept in [0, 1000), asked either as "What is 23 + 45 - 12?" or
 * as a word problem "Sam has 23 coins, gets 45, loses 12. How many coins now?". Difficulty is
 * the number of steps (operations); the trainer saw 1–6 steps, more is out of distribution.
 * Step counts cycle through the range, like the trainer's test split, so each difficulty is
 * equally represented and a smaller n with the same seed is a prefix of a larger one.
 */
import { createRng, type Rng } from './prng';
import type { Dataset, DatasetProblem } from './types';

export const MIN_OPERAND = 10;
export const MAX_OPERAND = 99;
/** Running totals stay below this (and never below 0). */
export const MAX_TOTAL = 1000;
/** Step range the model was trained on (2–7 numbers). */
export const TRAINED_MIN_STEPS = 1;
export const TRAINED_MAX_STEPS = 6;
export const DEFAULT_WORD_SHARE = 0.3;
/**
 * Chain numbers are zero-padded to this width (`023+045=068`), as the trainer writes them; the
 * question and the answer sentence use plain numbers.
 */
export const CHAIN_WIDTH = 3;
/** The chain ends by undoing its last operation: `check 214-059=155`. */
export const CHECK_PREFIX = 'check ';

const NAMES = ['Sam', 'Ana', 'Tom', 'Mia', 'Leo', 'Eva', 'Max', 'Zoe'] as const;
const ITEMS = ['coins', 'apples', 'stamps', 'cards', 'marbles', 'books'] as const;

export type Operator = '+' | '-';

export interface ArithmeticProblem extends DatasetProblem {
  numbers: number[];
  ops: Operator[];
  steps: number;
  phrasing: 'expr' | 'word';
  /** Who and what a word problem is about (empty for expressions, as in the trainer). */
  name: string;
  item: string;
  /**
   * The chain the model is trained to write inside <think>: one `068-012=056` line per step,
   * then a check that undoes the last one (`check 056+012=068`).
   */
  chain: string[];
}

export interface ArithmeticOptions {
  n: number;
  seed: number;
  minSteps?: number;
  maxSteps?: number;
  /** Share of word-problem phrasings (the trainer uses 0.3). */
  wordShare?: number;
}

export function generateArithmeticProblems(options: ArithmeticOptions): ArithmeticProblem[] {
  const { n, seed } = options;
  const minSteps = options.minSteps ?? TRAINED_MIN_STEPS;
  const maxSteps = options.maxSteps ?? TRAINED_MAX_STEPS;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(minSteps) || minSteps < 1 || !Number.isInteger(maxSteps) || maxSteps < minSteps) {
    throw new RangeError(`steps must satisfy 1 <= minSteps <= maxSteps, got ${minSteps}..${maxSteps}`);
  }
  const rng = createRng(seed);
  const seen = new Set<string>();
  const problems: ArithmeticProblem[] = [];
  const span = maxSteps - minSteps + 1;
  while (problems.length < n) {
    const problem = makeProblem(rng, minSteps + (problems.length % span), options.wordShare ?? DEFAULT_WORD_SHARE);
    // Distinct questions, as in the trainer's splits (a duplicate would count twice in accuracy).
    if (seen.has(problem.question)) continue;
    seen.add(problem.question);
    problems.push({ ...problem, id: `q${problems.length}` });
  }
  return problems;
}

export function arithmeticDataset(options: ArithmeticOptions): Dataset {
  const minSteps = options.minSteps ?? TRAINED_MIN_STEPS;
  const maxSteps = options.maxSteps ?? TRAINED_MAX_STEPS;
  return {
    id: `arithmetic-s${options.seed}-n${options.n}-steps${minSteps}to${maxSteps}`,
    name: `Arithmetic, ${minSteps === maxSteps ? minSteps : `${minSteps}–${maxSteps}`} steps`,
    source: { kind: 'builtin', generator: 'arithmetic', n: options.n, seed: options.seed, minSteps, maxSteps },
    // Plain problems only: the extra fields (numbers, chain, …) are for tests and tools, not storage.
    problems: generateArithmeticProblems(options).map(({ id, question, reference }) => ({ id, question, reference })),
  };
}

function makeProblem(rng: Rng, steps: number, wordShare: number): Omit<ArithmeticProblem, 'id'> {
  const numbers = [rng.int(MIN_OPERAND, MAX_OPERAND)];
  const ops: Operator[] = [];
  const totals = [numbers[0]];
  for (let step = 0; step < steps; step++) {
    const operand = rng.int(MIN_OPERAND, MAX_OPERAND);
    const total = totals[totals.length - 1];
    const canAdd = total + operand < MAX_TOTAL;
    const canSubtract = total - operand >= 0;
    const op: Operator = canAdd && canSubtract ? rng.pick(['+', '-'] as const) : canAdd ? '+' : '-';
    numbers.push(operand);
    ops.push(op);
    totals.push(op === '+' ? total + operand : total - operand);
  }
  const word = rng.next() < wordShare;
  const name = word ? rng.pick(NAMES) : '';
  const item = word ? rng.pick(ITEMS) : '';
  const question = word ? wordQuestion(numbers, ops, name, item) : expressionQuestion(numbers, ops);
  const pad = (value: number) => String(value).padStart(CHAIN_WIDTH, '0');
  const chain = ops.map((op, i) => `${pad(totals[i])}${op}${pad(numbers[i + 1])}=${pad(totals[i + 1])}`);
  const undo: Operator = ops[steps - 1] === '+' ? '-' : '+';
  chain.push(`${CHECK_PREFIX}${pad(totals[steps])}${undo}${pad(numbers[steps])}=${pad(totals[steps - 1])}`);
  return { question, reference: String(totals[totals.length - 1]), numbers, ops, steps, phrasing: word ? 'word' : 'expr', name, item, chain };
}

/** "What is 23 + 45 - 12?" */
function expressionQuestion(numbers: readonly number[], ops: readonly Operator[]): string {
  const parts = [String(numbers[0]), ...ops.map((op, i) => `${op} ${numbers[i + 1]}`)];
  return `What is ${parts.join(' ')}?`;
}

/** "Sam has 23 coins, gets 45, loses 12. How many coins now?" */
function wordQuestion(numbers: readonly number[], ops: readonly Operator[], name: string, item: string): string {
  const parts = [`${name} has ${numbers[0]} ${item}`, ...ops.map((op, i) => (op === '+' ? `gets ${numbers[i + 1]}` : `loses ${numbers[i + 1]}`))];
  return `${parts.join(', ')}. How many ${item} now?`;
}

/** The sentence the model is trained to answer with. */
export function answerSentence(reference: string): string {
  return `The answer is ${reference}.`;
}
