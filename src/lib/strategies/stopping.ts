/**
 * Adaptive stopping rules for self-consistency. A rule sees the answers so far, in sample
 * order, and says after how many samples it would have stopped. With batched generation the
 * strategy can only stop between calls, so a rule also sizes calls to land on its checkpoints.
 */

export type StopRuleId = 'none' | 'esc' | 'beta';

export interface StopRule {
  readonly id: StopRuleId;
  /** Size of the next call, given samples done, the batch size and the samples still allowed. */
  nextCallSize(done: number, batch: number, remaining: number): number;
  /** The smallest sample count at which the rule fires on these answers, or null. */
  stopAt(answers: readonly (string | null)[]): number | null;
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

export function stopRule(id: StopRuleId, options: { window: number; threshold: number }): StopRule {
  if (id === 'esc') return escRule(options.window);
  if (id === 'beta') return betaRule(options.threshold);
  return NO_STOP;
}
