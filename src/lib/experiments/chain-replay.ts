/**
 * What a sampling strategy would have answered with only its first j chains, j = 1…k, read off
 * the samples one run at k stored — no new generation. For a strategy whose chains are drawn
 * independently of each other and of k (self-consistency without early stopping, offline
 * DeepConf, best-of-N), the first j are a sample of j chains like the one a run at k = j draws:
 * the replay has that run's expected accuracy, though not its exact chains (a batched call's
 * rows share one random stream, so a call of j rows draws other tokens than a call of k).
 * Adaptive rows (early-stopped self-consistency, online DeepConf) decide how many chains to draw
 * from the chains themselves; they are not replayed and stay single points.
 *
 * Each rule below restates its strategy's selection from the stored `details` (vote weights,
 * trace confidences, scores); tests/unit/chain-replay.test.ts checks that at j = k every rule
 * gives the answer the strategy gave.
 */
import { parseStrategySetting } from '../strategies/settings';
import type { StrategySetting } from '../strategies/registry';
import { percentile } from '../strategies/token-confidence';
import type { SampleRecord } from '../strategies/types';
import { majorityVote, type Ballot } from '../strategies/vote';
import type { UnitResult } from './types';

export interface ChainReplay {
  /** `answers[j - 1]`: the strategy's answer with its first j chains. */
  answers: (string | null)[];
  /**
   * `tokens[j - 1]`: the tokens those j chains generated, plus a j/k share of the unit's other
   * samples (CISC's confidence replies, one per chain), so that at j = k it is the unit's total.
   */
  tokens: number[];
}

/** The strategy's ballots over the chains it is given (index i = chain i), or null when it cannot replay them. */
type Select = (chains: readonly SampleRecord[], details: Readonly<Record<string, unknown>>, config: Readonly<Record<string, unknown>>) => Ballot[] | null;

/** Replay rules by strategy id; a setting the rule does not cover (early stopping, online mode) returns null. */
const rules: Partial<Record<StrategySetting['id'], Select>> = {
  'self-consistency': (chains, details, config) => {
    if (config.stop !== 'none') return null;
    const weights = numbers(details.weights);
    return chains.map((chain, i) => ballot(chain, weights?.[i] ?? 1));
  },
  // Fu et al. (2025): keep the top η% by lowest-group confidence, vote weighted by it (deepconf.ts).
  deepconf: (chains, details, config) => {
    const confidences = numbers(details.confidences);
    if (config.mode !== 'offline' || !confidences || typeof config.eta !== 'number') return null;
    const prefix = confidences.slice(0, chains.length);
    const threshold = percentile(prefix, 100 - config.eta);
    // Votes need positive weights; a chosen-token confidence is a log-probability.
    const weight = (confidence: number) => (config.tokenConfidence === 'chosen' ? Math.exp(confidence) : confidence);
    return chains.map((chain, i) => (prefix[i] >= threshold ? ballot(chain, weight(prefix[i])) : ABSTAIN));
  },
  'self-certainty': bestOfN,
  'min-entropy': bestOfN,
};

/** Best-of-N by score (best-of-n.ts): the top-scoring chain, or Borda weights (N − rank + 1)^0.5. */
function bestOfN(chains: readonly SampleRecord[], details: Readonly<Record<string, unknown>>, config: Readonly<Record<string, unknown>>): Ballot[] | null {
  const scores = numbers(details.scores)?.slice(0, chains.length);
  if (!scores) return null;
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
  if (config.vote !== 'borda') return chains.map((chain, i) => (i === order[0] ? ballot(chain, 1) : ABSTAIN));
  const weights = new Array<number>(chains.length);
  order.forEach((index, rank) => (weights[index] = Math.sqrt(chains.length - rank)));
  return chains.map((chain, i) => ballot(chain, weights[i]));
}

/** The replay of a unit, or null when its strategy is not replayable (see the module comment). */
export function replayChains(unit: UnitResult): ChainReplay | null {
  let setting: StrategySetting;
  try {
    setting = parseStrategySetting(unit.strategy);
  } catch {
    return null; // an imported run may name strategies this version does not know
  }
  const select = rules[setting.id];
  if (!select) return null;
  const config: Readonly<Record<string, unknown>> = { ...setting.config };
  const details = unit.result.details ?? {};
  const chains = unit.result.samples.filter((sample) => sample.role === 'chain');
  if (chains.length === 0) return null;
  const otherTokens = unit.result.samples.filter((sample) => sample.role !== 'chain').reduce((sum, sample) => sum + sample.tokens, 0);
  const answers: (string | null)[] = [];
  const tokens: number[] = [];
  let chainTokens = 0;
  for (let j = 1; j <= chains.length; j++) {
    const ballots = select(chains.slice(0, j), details, config);
    if (!ballots) return null;
    answers.push(majorityVote(ballots).answer);
    chainTokens += chains[j - 1].tokens;
    tokens.push(chainTokens + (otherTokens * j) / chains.length);
  }
  return { answers, tokens };
}

/** Whether a setting decides from its own chains how many to draw (plotted as one point, not replayed). */
export function isAdaptive(strategy: string): boolean {
  try {
    const setting = parseStrategySetting(strategy);
    if (setting.id === 'self-consistency') return setting.config.stop !== 'none';
    if (setting.id === 'deepconf') return setting.config.mode === 'online';
    return false;
  } catch {
    return false;
  }
}

function ballot(chain: SampleRecord, weight: number): Ballot {
  return { answer: chain.answer?.value ?? null, weight };
}

/** A chain the selection leaves out (a null answer casts no vote). */
const ABSTAIN: Ballot = { answer: null };

function numbers(value: unknown): number[] | null {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'number') ? value : null;
}
