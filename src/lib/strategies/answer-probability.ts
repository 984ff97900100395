/**
 * Confidence-weighted self-consistency with the model's own probability of its answer, beside
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
