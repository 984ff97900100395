import { inferAnswerKind, parseReference, sameAnswer } from '../answers/grade';
import type { Problem } from '../strategies/types';

/** Whether a strategy's final answer is the problem's reference, compared by value for numbers. */
export function isCorrect(answer: string | null, problem: Problem): boolean {
  if (answer === null) return false;
  const kind = inferAnswerKind(problem.reference, problem.choices);
  const gold = parseReference(problem.reference, kind);
  return gold !== null && sameAnswer(answer, gold, kind);
}
