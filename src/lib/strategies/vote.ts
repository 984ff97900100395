/**
 * Majority voting over extracted answers (self-consistency, Wang et al., ICLR 2023), with
 * optional per-vote weights (confidence-weighted voting, CISC 2025).
 */
import type { VoteCount } from './types';

export interface Ballot {
  /** Normalised answer, or null when none could be extracted (such ballots do not vote). */
  answer: string | null;
  /** Default 1. */
  weight?: number;
}

export interface VoteOutcome {
  answer: string | null;
  /** Most weight first; ties in the order the answers first appeared. */
  votes: VoteCount[];
  /** The winner's share of the weight cast (0 when nothing was cast). */
  agreement: number;
  /** Ballots that carried an answer. */
  answered: number;
}

/**
 * The answer with the most weight wins. Ties go to the answer that appeared first — the
 * earliest sample — which is deterministic for a fixed seed and independent of answer text.
 */
export function majorityVote(ballots: readonly Ballot[]): VoteOutcome {
  const tally = new Map<string, VoteCount & { firstIndex: number }>();
  ballots.forEach((ballot, index) => {
    if (ballot.answer === null) return;
    const weight = ballot.weight ?? 1;
    const entry = tally.get(ballot.answer);
    if (entry) {
      entry.count += 1;
      entry.weight += weight;
    } else {
      tally.set(ballot.answer, { answer: ballot.answer, count: 1, weight, firstIndex: index });
    }
  });
  const ranked = [...tally.values()].sort(
    (a, b) => b.weight - a.weight || b.count - a.count || a.firstIndex - b.firstIndex,
  );
  const cast = ranked.reduce((sum, entry) => sum + entry.weight, 0);
  const votes = ranked.map(({ answer, count, weight }) => ({ answer, count, weight }));
  return {
    answer: votes[0]?.answer ?? null,
    votes,
    agreement: cast > 0 ? votes[0].weight / cast : 0,
    answered: ballots.filter((ballot) => ballot.answer !== null).length,
  };
}
