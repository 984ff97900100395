/**
 * Which strategy settings a server cannot run, and why — checked before a run starts so the
 * app can disable them with the reason and the CLI can refuse them, instead of failing half way.
 * Keyed by registry id (a typo or a removed strategy fails the type check); a strategy not listed
 * needs nothing beyond plain chat generation.
 */
import { asRecord, type StrategyId, type StrategySetting } from '../../strategies/registry';
import { missingReason, type Capability, type ServerCapabilities } from './capabilities';

type Needs = (config: Readonly<Record<string, unknown>>) => Capability[];

const budgeted: Needs = (config) => (typeof config.budget === 'number' && config.budget > 0 ? ['continuation'] : []);

const NEEDS: Partial<Record<StrategyId, Needs>> = {
  'budgeted-cot': budgeted,
  'self-consistency': budgeted,
  'early-answering': () => ['continuation'],
};

/** Why this setting cannot run on the server, or null when it can. */
export function unsupportedReason(setting: StrategySetting, capabilities: ServerCapabilities): string | null {
  const needs = NEEDS[setting.id]?.(asRecord(setting.config)) ?? [];
  for (const need of needs) {
    const reason = missingReason(capabilities, need);
    if (reason !== null) return reason;
  }
  return null;
}
