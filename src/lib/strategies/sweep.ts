/**
 * Budget sweeps: budgeted-cot at several budgets, for the accuracy-against-budget curve. A run
 * matrix takes `budgetSweep()`'s settings as strategies; `runBudgetSweep()` runs one problem
 * through all of them.
 */
import type { BudgetedCotConfig } from './budgeted-cot';
import { budgetedCot } from './budgeted-cot';
import type { StrategySetting } from './registry';
import type { Problem, StrategyContext, StrategyResult } from './types';

/** Quarters of the median chain — the truncation points of the early-answering probe. */
export const DEFAULT_SWEEP_BUDGETS: readonly number[] = [0.25, 0.5, 0.75, 1];

export function budgetSweep(
  budgets: readonly number[] = DEFAULT_SWEEP_BUDGETS,
  base: Partial<BudgetedCotConfig> = {},
): StrategySetting[] {
  return budgets.map((budget) => ({ id: 'budgeted-cot', config: { ...budgetedCot.defaults, ...base, budget } }));
}

export async function runBudgetSweep(
  problem: Problem,
  context: StrategyContext,
  budgets: readonly number[] = DEFAULT_SWEEP_BUDGETS,
  base: Partial<BudgetedCotConfig> = {},
): Promise<{ budget: number; result: StrategyResult }[]> {
  const out: { budget: number; result: StrategyResult }[] = [];
  for (const setting of budgetSweep(budgets, base)) {
    if (setting.id !== 'budgeted-cot') continue;
    out.push({ budget: setting.config.budget, result: await budgetedCot.run(problem, setting.config, context) });
  }
  return out;
}
