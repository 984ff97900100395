/**
 * Which strategy settings a server cannot run, and why — checked before a run starts so the
 * app can disable them with the reason and the CLI can refuse them, instead of failing half way
 * (or, worse, scoring chains by NaN). Keyed by registry id (a typo or a removed strategy fails
 * the type check); a strategy not listed needs nothing beyond plain chat generation.
 */
import { asRecord, type StrategyId, type StrategySetting } from '../../strategies/registry';
import { missingReason, type ServerCapabilities } from './capabilities';

type Config = Readonly<Record<string, unknown>>;
type Check = (config: Config, capabilities: ServerCapabilities) => string | null;

const budgeted: Check = (config, capabilities) =>
  typeof config.budget === 'number' && config.budget > 0 ? missingReason(capabilities, 'continuation') : null;

function logprobs(topK: number, capabilities: ServerCapabilities): string | null {
  const missing = missingReason(capabilities, 'logprobs');
  if (missing !== null) return missing;
  return topK > capabilities.topLogprobsCap ? `it gives at most ${capabilities.topLogprobsCap} logprob alternatives per token, ${topK} are needed` : null;
}

/** Entropies and self-certainty need the whole distribution; a server sends only its top alternatives. */
const FULL_DISTRIBUTION = 'it sends only the top logprob alternatives, not the whole distribution this score needs';

const CHECKS: Partial<Record<StrategyId, Check>> = {
  'budgeted-cot': budgeted,
  'early-answering': (_config, capabilities) => missingReason(capabilities, 'continuation'),
  'self-consistency': (config, capabilities) =>
    budgeted(config, capabilities) ??
    (config.weighting === 'answer-prob' || config.weighting === 'min-prob' ? logprobs(0, capabilities) : null),
  deepconf: (config, capabilities) =>
    logprobs(config.tokenConfidence === 'chosen' ? 0 : typeof config.confTopK === 'number' ? config.confTopK : 20, capabilities),
  'self-certainty': () => FULL_DISTRIBUTION,
  'min-entropy': () => FULL_DISTRIBUTION,
  // Suppressing the end of thinking needs the token replaced before the model reads it.
  'budget-forcing': (config) =>
    typeof config.times === 'number' && config.times > 0
      ? 'it picks each token itself, and budget forcing must put "Wait" in place of the end of thinking before the model reads it'
      : null,
  nowait: () => 'it takes logit_bias by token id, and thinkbench cannot run the server model\'s tokenizer to ban words by text',
};

/** Why this setting cannot run on the server, or null when it can. */
export function unsupportedReason(setting: StrategySetting, capabilities: ServerCapabilities): string | null {
  return CHECKS[setting.id]?.(asRecord(setting.config), capabilities) ?? null;
}
