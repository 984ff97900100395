/**
 * Checking an experiment spec and resolving its strategy texts into registry settings, once,
 * before anything runs: a typo in the tenth strategy must not surface an hour into a run.
 */
import { formatStrategySetting, parseStrategySetting } from '../strategies/settings';
import type { StrategySetting } from '../strategies/registry';
import type { ExperimentSpec } from './types';

export class ExperimentSpecError extends Error {
  override readonly name = 'ExperimentSpecError';
}

/** A strategy of a spec: the text as given (the row's name) and the setting it parses to. */
export interface ResolvedStrategy {
  text: string;
  setting: StrategySetting;
  /** The setting written back with only non-default keys, e.g. `self-consistency:k=5`. */
  canonical: string;
}

/** Parses every strategy text; throws ExperimentSpecError (or the parser's StrategySettingError) on the first bad one. */
export function resolveStrategies(texts: readonly string[]): ResolvedStrategy[] {
  if (texts.length === 0) throw new ExperimentSpecError('choose at least one strategy');
  const seen = new Map<string, string>();
  return texts.map((text) => {
    const setting = parseStrategySetting(text);
    const canonical = formatStrategySetting(setting);
    const earlier = seen.get(canonical);
    if (earlier !== undefined) throw new ExperimentSpecError(`"${text}" is the same setting as "${earlier}" (${canonical})`);
    seen.set(canonical, text);
    return { text, setting, canonical };
  });
}

export function validateSpec(spec: ExperimentSpec): ResolvedStrategy[] {
  if (!Number.isInteger(spec.dataset.n) || spec.dataset.n < 1) throw new ExperimentSpecError(`n must be a positive integer, got ${spec.dataset.n}`);
  if (!Number.isInteger(spec.dataset.seed)) throw new ExperimentSpecError(`seed must be an integer, got ${spec.dataset.seed}`);
  if (!Number.isInteger(spec.maxNewTokens) || spec.maxNewTokens < 1) {
    throw new ExperimentSpecError(`maxNewTokens must be a positive integer, got ${spec.maxNewTokens}`);
  }
  if (spec.model.id.trim() === '') throw new ExperimentSpecError('no model chosen');
  return resolveStrategies(spec.strategies);
}
