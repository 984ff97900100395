/**
 * Full solutions for learning-from-mistakes exemplars (Alazraki et al., 2025, the variant with
 * rationales): the built-in task's correct chain, and a wrong one in which one step slips by a
 * carry (10 off) and every later step is computed on from the slip — a mistake made the way the
 * embedded model makes them, reaching a wrong final answer.
 */
import { answerSentence, CHAIN_WIDTH, CHECK_PREFIX, MAX_TOTAL, type ArithmeticProblem } from '../datasets/arithmetic';
import { deriveSeed } from './seeds';

export interface Solution {
  /** The chain lines and the answer sentence, as plain text. */
  text: string;
  answer: string;
}

const pad = (value: number) => String(value).padStart(CHAIN_WIDTH, '0');

/** The chain the problem's numbers give when the running total after `slipAt` is moved by `offset`. */
function chainFrom(problem: ArithmeticProblem, slipAt: number | null, offset: number): { lines: string[]; total: number } | null {
  const lines: string[] = [];
  let total = problem.numbers[0];
  for (let i = 0; i < problem.ops.length; i++) {
    const operand = problem.numbers[i + 1];
    const before = total;
    total = problem.ops[i] === '+' ? total + operand : total - operand;
    if (i === slipAt) total += offset;
    if (total < 0 || total >= MAX_TOTAL) return null;
    lines.push(`${pad(before)}${problem.ops[i]}${pad(operand)}=${pad(total)}`);
  }
  const last = problem.ops.length - 1;
  const undo = problem.ops[last] === '+' ? '-' : '+';
  const operand = problem.numbers[last + 1];
  lines.push(`${CHECK_PREFIX}${pad(total)}${undo}${pad(operand)}=${pad(undo === '+' ? total + operand : total - operand)}`);
  return { lines, total };
}

function solution(lines: readonly string[], total: number): Solution {
  const answer = String(total);
  return { text: `${lines.join('\n')}\n${answerSentence(answer)}`, answer };
}

export function correctSolution(problem: ArithmeticProblem): Solution {
  return solution(problem.chain, Number(problem.reference));
}

/** A wrong solution with one seeded slip carried through; null if no slip keeps the totals in range. */
export function slippedSolution(problem: ArithmeticProblem, seed: number): Solution | null {
  const steps = problem.ops.length;
  const start = deriveSeed(seed, 'slip', problem.question);
  for (let i = 0; i < 2 * steps; i++) {
    const slipAt = (start + i) % steps;
    const offset = (start + i) % 2 === 0 ? 10 : -10;
    const chain = chainFrom(problem, slipAt, offset);
    if (chain) return solution(chain.lines, chain.total);
  }
  return null;
}
