/**
 * Budgets given as a fraction (`budget=0.5`) need the model's median chain length on the
 * dataset. This measures it the way strategies/budget.ts defines it: greedy `cot` on (a
 * prefix of) the slice. Run through the same (cached) Generate as the experiment, the calls are
 * shared with a `cot` row of the same run, so calibrating usually costs nothing extra.
 */
import type { Generate } from '../generate';
import type { ReasoningFormat } from '../formats/reasoning-format';
import { medianChainTokens } from '../strategies/budget';
import { asRecord, runSetting } from '../strategies/registry';
import { parseStrategySetting } from '../strategies/settings';
import type { Problem, StrategyResult } from '../strategies/types';
import type { ResolvedStrategy } from './spec';

/** Questions used to measure the median chain (enough for a stable median, cheap on CPU). */
export const CALIBRATION_QUESTIONS = 50;

/** True when some strategy has a fractional budget and no median of its own. */
export function needsMedianChain(strategies: readonly ResolvedStrategy[]): boolean {
  return strategies.some((strategy) => {
    const config = asRecord(strategy.setting.config);
    return typeof config.budget === 'number' && config.budget > 0 && config.budget <= 1 && config.medianChainTokens === undefined;
  });
}

export interface CalibrationOptions {
  generate: Generate;
  format: ReasoningFormat;
  maxNewTokens: number;
  problems: readonly Problem[];
  signal?: AbortSignal;
}

/** The median thinking tokens of greedy chains on the first CALIBRATION_QUESTIONS problems; null if none ended. */
export async function measureMedianChain(options: CalibrationOptions): Promise<number | null> {
  const setting = parseStrategySetting('cot');
  const results: StrategyResult[] = [];
  for (const problem of options.problems.slice(0, CALIBRATION_QUESTIONS)) {
    results.push(
      await runSetting(setting, problem, {
        generate: options.generate,
        format: options.format,
        maxNewTokens: options.maxNewTokens,
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    );
  }
  return medianChainTokens(results);
}
