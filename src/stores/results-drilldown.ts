/**
 * The data behind the per-question drill-down: a unit's vote tally (answer → count, weight,
 * which won, which is right) and the questions on which strategies gave different answers.
 * Pure functions over finished units.
 */
import { isCorrect } from '../lib/experiments/grade-unit';
import type { UnitResult } from '../lib/experiments/types';
import type { Problem } from '../lib/strategies/types';

export interface TallyRow {
  answer: string;
  count: number;
  /** Sum of the votes' weights; equal to count unless the votes were confidence-weighted. */
  weight: number;
  /** Share of the weight cast (0…1). */
  share: number;
  /** The strategy's final answer. */
  won: boolean;
  /** Equal to the reference by value. */
  correct: boolean;
}

export interface VoteTally {
  rows: TallyRow[];
  /** Votes carried weights other than 1 (confidence-weighted voting): show the weights. */
  weighted: boolean;
  /** Samples whose answer could not be read: they cast no vote. */
  unanswered: number;
}

/** The votes of a unit as the strategy counted them (most weight first). */
export function voteTally(unit: UnitResult, problem: Problem): VoteTally {
  const { votes, details } = unit.result;
  const cast = votes.reduce((sum, vote) => sum + vote.weight, 0);
  const weighted = Array.isArray(details?.weights) || votes.some((vote) => vote.weight !== vote.count);
  const voted = votes.reduce((sum, vote) => sum + vote.count, 0);
  const ballots = unit.result.samples.filter((sample) => sample.role === 'chain').length;
  return {
    rows: votes.map((vote) => ({
      answer: vote.answer,
      count: vote.count,
      weight: vote.weight,
      share: cast > 0 ? vote.weight / cast : 0,
      won: vote.answer === unit.answer,
      correct: vote.answer === unit.answer ? unit.correct : isCorrect(vote.answer, problem),
    })),
    weighted,
    unanswered: Math.max(0, ballots - voted),
  };
}

/**
 * Questions (in the given order) on which the finished strategies gave different final answers;
 * no answer counts as an answer of its own. A question needs two finished units to disagree.
 */
export function disagreeingQuestions(questionIds: readonly string[], units: readonly UnitResult[]): string[] {
  const answers = new Map<string, (string | null)[]>();
  for (const unit of units) answers.set(unit.problemId, [...(answers.get(unit.problemId) ?? []), unit.answer]);
  return questionIds.filter((id) => new Set(answers.get(id) ?? []).size > 1);
}
