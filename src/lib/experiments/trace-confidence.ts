/**
 * Each chain of a unit with the confidence its strategy read from it, for the calibration view
 * (trace confidence against correctness). The signal is the strategy's own where it has one —
 * DeepConf's lowest group confidence, best-of-N's self-certainty or minus mean entropy,
 * self-consistency's answer probability or stated confidence — otherwise the chain's mean
 * chosen-token log-probability when its logprobs were stored. Scales differ between signals,
 * so only ranks within one strategy compare.
 */
import { parseStrategySetting } from '../strategies/settings';
import type { SampleRecord } from '../strategies/types';
import type { UnitResult } from './types';

export interface ScoredChain {
  chain: SampleRecord;
  confidence: number;
}

export interface TraceConfidences {
  /** What the confidence is, e.g. `lowest group confidence`. */
  signal: string;
  chains: ScoredChain[];
}

/** The details key holding one value per chain, and what it measures, by strategy. */
function ownSignal(strategy: string): { key: string; signal: string } | null {
  let setting;
  try {
    setting = parseStrategySetting(strategy);
  } catch {
    return null; // an imported run may name strategies this version does not know
  }
  switch (setting.id) {
    case 'deepconf':
      return { key: 'confidences', signal: setting.config.tokenConfidence === 'chosen' ? 'lowest group mean chosen-token logprob' : 'lowest group confidence' };
    case 'self-certainty':
      return { key: 'scores', signal: 'mean self-certainty' };
    case 'min-entropy':
      return { key: 'scores', signal: 'minus mean token entropy' };
    case 'self-consistency':
      if (setting.config.weighting === 'answer-prob') return { key: 'weights', signal: 'P(answer tokens)' };
      if (setting.config.weighting === 'verbal') return { key: 'confidences', signal: 'stated confidence' };
      return null;
    default:
      return null;
  }
}

/**
 * The unit's chains with their confidences, or null when it has none. Chains a stop rule ended
 * (`terminated`) are left out: they were cut because their confidence was low and they never
 * reached an answer, so counting them would show a signal by construction.
 */
export function traceConfidences(unit: UnitResult): TraceConfidences | null {
  const chains = unit.result.samples.filter((sample) => sample.role === 'chain');
  const own = ownSignal(unit.strategy);
  const values = own ? unit.result.details?.[own.key] : undefined;
  let scored: ScoredChain[];
  let signal: string;
  if (own && Array.isArray(values) && values.length === chains.length) {
    signal = own.signal;
    scored = chains.map((chain, i) => ({ chain, confidence: values[i] as unknown }))
      .filter((entry): entry is ScoredChain => typeof entry.confidence === 'number');
  } else if (chains.length > 0 && chains.every((chain) => chain.logprobs && chain.logprobs.logprobs.length > 0)) {
    signal = 'mean chosen-token logprob';
    scored = chains.map((chain) => ({ chain, confidence: meanLogprob(chain) }));
  } else {
    return null;
  }
  scored = scored.filter((entry) => entry.chain.finishReason !== 'terminated');
  return scored.length > 0 ? { signal, chains: scored } : null;
}

function meanLogprob(chain: SampleRecord): number {
  const values = chain.logprobs?.logprobs ?? [];
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}
