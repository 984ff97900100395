/**
 * Thinking budgets for compact chains of thought (s1 budget forcing; Qwen3's thinking budget):
 * a budget is either an absolute token count or a fraction of the model's median chain length
 * on the dataset.
 *
 * Where `medianChainTokens` comes from: run `cot` (greedy) on the dataset, or a calibration
 * slice of it, and pass its results to `medianChainTokens()` below; give the number to the
 * strategy as config `medianChainTokens` or as `StrategyContext.medianChainTokens` (the
 * experiment runner does the latter for every budgeted strategy of a run).
 */
import type { ParamSpec } from './params';
import type { SampleRecord, StrategyResult } from './types';

/** New tokens allowed after a budget cut for the forced answer. */
export const FORCED_ANSWER_TOKENS = 32;

/** The settings of a thinking budget for strategies that cut their chains (`budget` as below). */
export const BUDGET_PARAMS = {
  budget: {
    kind: 'number',
    min: 0,
    minInclusive: false,
    label: 'Thinking budget',
    help: 'a fraction in (0, 1] of the median chain, or a token count above 1',
  },
  medianChainTokens: { kind: 'number', min: 0, minInclusive: false, label: 'Median chain tokens' },
} as const satisfies Record<string, ParamSpec>;

/** A strategy's `validate` message for a budget that is neither a fraction nor a whole token count; null when fine. */
export function budgetProblem(budget: number | undefined): string | null {
  if (budget !== undefined && budget > 1 && !Number.isInteger(budget)) return `a budget above 1 is a token count and must be an integer, got ${budget}`;
  return null;
}

export class BudgetConfigError extends Error {
  override readonly name = 'BudgetConfigError';
}

/**
 * `budget` in (0, 1] is a fraction of `medianChainTokens`; an integer above 1 is a token count.
 * The result is at least 1 token.
 */
export function resolveBudgetTokens(budget: number, medianChainTokens: number | undefined): number {
  if (!Number.isFinite(budget) || budget <= 0) {
    throw new BudgetConfigError(`budget must be a fraction in (0, 1] or a token count above 1, got ${budget}`);
  }
  if (budget > 1) {
    if (!Number.isInteger(budget)) {
      throw new BudgetConfigError(`a budget above 1 is a token count and must be an integer, got ${budget}`);
    }
    return budget;
  }
  if (medianChainTokens === undefined || !(medianChainTokens > 0)) {
    throw new BudgetConfigError(
      `budget=${budget} is a fraction of the median chain length, but medianChainTokens is not known: ` +
        'run cot on the dataset first and pass medianChainTokens (config or context), or give the budget in tokens (e.g. budget=64)',
    );
  }
  return Math.max(1, Math.round(budget * medianChainTokens));
}

/**
 * The median thinking tokens of chains that ended on their own (not cut by a budget or by the
 * length limit), from `cot` results or their samples. Null when there are none.
 */
export function medianChainTokens(from: readonly (StrategyResult | SampleRecord)[]): number | null {
  const samples = from.flatMap((item) => ('samples' in item ? item.samples : [item]));
  const lengths = samples
    .filter((sample) => !sample.budgetCut && sample.finishReason !== 'length' && sample.finishReason !== 'aborted' && sample.finishReason !== 'terminated')
    .map((sample) => sample.thinkingTokens)
    .sort((a, b) => a - b);
  if (lengths.length === 0) return null;
  const mid = Math.floor(lengths.length / 2);
  return lengths.length % 2 === 1 ? lengths[mid] : (lengths[mid - 1] + lengths[mid]) / 2;
}
