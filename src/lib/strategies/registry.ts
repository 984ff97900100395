/**
 * The one list of strategies: ids, labels, descriptions, defaults and settings for the UI, the
 * CLI and the experiment runner all come from this object (`StrategyId = keyof typeof
 * strategies`). Adding a strategy is adding one line here.
 */
import { direct } from './direct';
import { cot } from './cot';
import { selfConsistency } from './self-consistency';
import { budgetedCot } from './budgeted-cot';
import { budgetForcing } from './budget-forcing';
import { chainOfDraft, speakWithIntent } from './prompted';
import { learnFromMistakes } from './learn-from-mistakes';
import { criticalQuestions } from './critical-questions';
import { earlyAnswering } from './early-answering';
import { deepconf } from './deepconf';
import { minEntropy, selfCertainty } from './best-of-n';
import { noWait } from './nowait';
import { faithfulnessProbes } from './faithfulness-probes';
import type { ParamSpec, RegisteredStrategy } from './params';
import type { Problem, StrategyContext, StrategyResult } from './types';

export const strategies = {
  direct,
  cot,
  'self-consistency': selfConsistency,
  'budgeted-cot': budgetedCot,
  'budget-forcing': budgetForcing,
  'chain-of-draft': chainOfDraft,
  'learn-from-mistakes': learnFromMistakes,
  'speak-with-intent': speakWithIntent,
  'critical-questions': criticalQuestions,
  'early-answering': earlyAnswering,
  deepconf,
  'self-certainty': selfCertainty,
  'min-entropy': minEntropy,
  nowait: noWait,
  ...faithfulnessProbes,
} as const;

export type StrategyId = keyof typeof strategies;
export type ConfigOf<Id extends StrategyId> = (typeof strategies)[Id]['defaults'];

/** A strategy with its settings: what a run matrix holds and what `name:key=value,…` parses to. */
export type StrategySetting = { [Id in StrategyId]: { id: Id; config: ConfigOf<Id> } }[StrategyId];

export const strategyIds = Object.keys(strategies) as StrategyId[];

export function isStrategyId(name: string): name is StrategyId {
  return Object.hasOwn(strategies, name);
}

/** The registry entry as a strategy over some config object (what generic code needs). */
export function strategyEntry(id: StrategyId): RegisteredStrategy<object> {
  return strategies[id];
}

/** A config (or defaults, or params) seen through string keys, for code that walks settings. */
export function asRecord(value: object): Readonly<Record<string, unknown>> {
  return Object.fromEntries(Object.entries(value));
}

/** Settable keys of a strategy with their specs, in declaration order. */
export function paramsOf(id: StrategyId): [string, ParamSpec][] {
  const params: Readonly<Record<string, ParamSpec | undefined>> = Object.fromEntries(Object.entries(strategies[id].params));
  return Object.entries(params).filter((entry): entry is [string, ParamSpec] => entry[1] !== undefined);
}

export function runSetting(setting: StrategySetting, problem: Problem, context: StrategyContext): Promise<StrategyResult> {
  return strategyEntry(setting.id).run(problem, setting.config, context);
}
