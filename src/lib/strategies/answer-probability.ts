/**
 * Vote weights read from a chain's own token probabilities, so they need no extra call.
 *
 * `answerWeight`: confidence-weighted self-consistency with the model's own probability of its answer, beside
 * the verbal 0–100 confidence of CISC (Taubenfeld et al. 2025, confidence.ts): CISC reports that
 * the answer's token probability is a strong confidence signal too ("response probability").
 * The weight is the product of the raw probabilities of the tokens after the chain (the answer
 * part, EOS included), so it needs no extra call.
 */
import { answerProbability, MissingLogprobsError } from './token-confidence';
import type { SampleRecord } from './types';

export function answerWeight(record: SampleRecord): number {
  if (!record.logprobs) throw new MissingLogprobsError('answer-prob weighting needs per-token logprobs; this backend returned none');
  return answerProbability(record.logprobs, record.thinkingTokens);
}

/**
 * The probability of the chain's least likely sampled token (its lowest chosen-token
 * probability, before temperature). On the embedded model a wrong chain is one that sampled an
 * unlikely digit, which this sees (AUROC 0.994 for correctness, BENCHMARKS.md §8) and DeepConf's
 * top-k spread does not. One token rather than a window of them: replayed on the seed-11 pilot
 * traces (bench/consensus-replay.ts), windows of 4 and 8 dilute the one slip and stop later.
 */
export function minTokenProbWeight(record: SampleRecord): number {
  if (!record.logprobs) throw new MissingLogprobsError('min-prob weighting needs per-token logprobs; this backend returned none');
  const logprobs = record.logprobs.logprobs;
  return logprobs.length === 0 ? 1 : Math.exp(Math.min(...logprobs));
}
