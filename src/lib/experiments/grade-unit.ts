import { inferAnswerKind, parseReference, sameAnswer } from '../answers/grade';
import type { Problem, StrategyResult } from '../strategies/types';

/** Whether a strategy's final answer is the problem's reference, compared by value for numbers. */
export function isCorrect(answer: string | null, problem: Problem): boolean {
  if (answer === null) return false;
  const kind = inferAnswerKind(problem.reference, problem.choices);
  const gold = parseReference(problem.reference, kind);
  return gold !== null && sameAnswer(answer, gold, kind);
}

/**
 * Whether a strategy's final answer rests on the last-number fallback alone: every sample that
 * gave it read it by the fallback, none by an answer cue. One cue-read sample behind a vote's
 * winner is enough for the answer to count as stated. Derived from the stored samples, so runs
 * and imports made before the share was reported get it too.
 */
export function answeredByFallback(result: StrategyResult): boolean {
  if (result.answer === null) return false;
  // A confidence reply's number (CISC) is a vote's weight, not an answer.
  const givers = result.samples.filter((sample) => sample.role !== 'confidence' && sample.answer?.value === result.answer);
  return givers.length > 0 && givers.every((sample) => sample.answer?.fallback === true);
}
