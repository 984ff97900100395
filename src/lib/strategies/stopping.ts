/**
 * Adaptive stopping rules for self-consistency. A rule sees the answers so far, in sample
 * order, and says after how many samples it would have stopped. With batched generation the
 * strategy can only stop between calls, so a rule also sizes calls to land on its checkpoints.
 */

import { majorityVote } from './vote';

export type StopRuleId = 'none' | 'esc' | 'beta' | 'consensus';

export interface StopRule {
  readonly id: StopRuleId;
  /** Size of the next call, given samples done, the batch size and the samples still allowed. */
  nextCallSize(done: number, batch: number, remaining: number): number;
  /**
   * The smallest sample count at which the rule fires on these answers, or null. `weights` are
   * the samples' vote weights (default 1 each); only the consensus rule reads them.
   */
  stopAt(answers: readonly (string | null)[], weights?: readonly number[]): number | null;
}

/** Fixed k: never stops early. */
export const NO_STOP: StopRule = {
  id: 'none',
  nextCallSize: (_done, batch, remaining) => Math.min(batch, remaining),
  stopAt: () => null,
};

/**
 * Early-Stopping Self-Consistency (Li et al., ICLR 2024): sample in windows of `window`; stop
 * after the first window whose answers all agree (a window with an unreadable answer does not).
 * Calls never straddle a window, so the check happens exactly at window ends.
 */
export function escRule(window: number): StopRule {
  return {
    id: 'esc',
    nextCallSize: (done, batch, remaining) => Math.min(batch, window - (done % window), remaining),
    stopAt(answers) {
      for (let end = window; end <= answers.length; end += window) {
        const slice = answers.slice(end - window, end);
        if (slice[0] !== null && slice.every((answer) => answer === slice[0])) return end;
      }
      return null;
    },
  };
}

/**
 * Adaptive-Consistency's Beta rule (Aggarwal et al., EMNLP 2023): with a the votes of the
 * leading answer and b of the runner-up, stop once P(p_a > p_b) ≥ threshold under a
 * Beta(a+1, b+1) posterior. Checked after every sample; unreadable answers do not count.
 */
export function betaRule(threshold: number): StopRule {
  return {
    id: 'beta',
    nextCallSize: (_done, batch, remaining) => Math.min(batch, remaining),
    stopAt(answers) {
      const counts = new Map<string, number>();
      for (let i = 0; i < answers.length; i++) {
        const answer = answers[i];
        if (answer === null) continue;
        counts.set(answer, (counts.get(answer) ?? 0) + 1);
        const [a, b = 0] = [...counts.values()].sort((x, y) => y - x);
        if (leaderProbability(a, b) >= threshold) return i + 1;
      }
      return null;
    },
  };
}

/**
 * P(X > 1/2) for X ~ Beta(a+1, b+1), exactly: for integer parameters it equals
 * P(Y ≤ a) with Y ~ Binomial(a+b+1, 1/2). Summed in log space so large counts do not underflow.
 */
export function leaderProbability(a: number, b: number): number {
  const n = a + b + 1;
  let logTerm = -n * Math.LN2; // log C(n,0) / 2^n
  let sum = Math.exp(logTerm);
  for (let j = 1; j <= a; j++) {
    logTerm += Math.log((n - j + 1) / j);
    sum += Math.exp(logTerm);
  }
  return Math.min(1, sum);
}

/**
 * DeepConf's online consensus stop (Fu et al. 2025, "Deep Think with Confidence"), for
 * self-consistency: after `warmup` samples, stop once the leading answer holds at least
 * `consensus` of the vote weight cast (β ≥ τ in the paper). With plain votes and τ > 0.9 at
 * k = 10 this needs unanimity; with confidence weights (self-consistency's `weighting`) a
 * dissenting sample the model was unsure of barely counts, so two sure samples can outvote it.
 * Checked after every sample from the warm-up on, so calls after the warm-up hold one sample.
 */
export function consensusRule(warmup: number, consensus: number): StopRule {
  return {
    id: 'consensus',
    nextCallSize: (done, batch, remaining) => Math.min(done < warmup ? Math.min(batch, warmup - done) : 1, remaining),
    stopAt(answers, weights) {
      for (let end = warmup; end <= answers.length; end++) {
        const outcome = majorityVote(answers.slice(0, end).map((answer, i) => ({ answer, weight: weights?.[i] ?? 1 })));
        if (outcome.answered > 0 && outcome.agreement >= consensus) return end;
      }
      return null;
    },
  };
}

export function stopRule(id: StopRuleId, options: { window: number; threshold: number; warmup: number }): StopRule {
  if (id === 'esc') return escRule(options.window);
  if (id === 'beta') return betaRule(options.threshold);
  if (id === 'consensus') return consensusRule(options.warmup, options.threshold);
  return NO_STOP;
}
