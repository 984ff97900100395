/**
 * Trace-level confidence measures read from per-token log-probabilities (issue 13). Pure
 * functions over `TokenLogprobs`; the methods that use them cite their papers.
 */
import type { TokenLogprobs } from '../generate';

/**
 * DeepConf token confidence (Fu et al. 2025, `compute_confidence`): minus the mean log-probability
 * of the top-K tokens at each step; with K = 0, the chosen token's own log-probability (not
 * DeepConf's; higher is more confident in both). The engine's `RowProgress.confidences` match.
 */
export function tokenConfidences(logprobs: TokenLogprobs): Float64Array {
  const count = logprobs.logprobs.length;
  const out = new Float64Array(count);
  const k = logprobs.topK;
  for (let i = 0; i < count; i++) {
    if (k === 0) {
      out[i] = logprobs.logprobs[i];
      continue;
    }
    let sum = 0;
    for (let j = 0; j < k; j++) sum += logprobs.topLogprobs[i * k + j];
    out[i] = -sum / k;
  }
  return out;
}

/**
 * Means of every full window of `window` consecutive values (DeepConf's group confidences);
 * a trace shorter than one window has one group, its mean (as `compute_least_grouped`).
 */
export function groupConfidences(confidences: ArrayLike<number>, window: number): number[] {
  const count = confidences.length;
  if (count === 0) return [];
  if (count < window) return [meanOf(confidences, 0, count)];
  const means: number[] = [];
  let sum = 0;
  for (let i = 0; i < window; i++) sum += confidences[i];
  means.push(sum / window);
  for (let i = window; i < count; i++) {
    sum += confidences[i] - confidences[i - window];
    means.push(sum / window);
  }
  return means;
}

/** DeepConf's lowest group confidence of a trace (its weakest stretch of `window` tokens). */
export function lowestGroupConfidence(logprobs: TokenLogprobs, window: number): number {
  const groups = groupConfidences(tokenConfidences(logprobs), window);
  return groups.length === 0 ? 0 : Math.min(...groups);
}

/** Mean token self-certainty, KL(uniform ‖ p) (Kang et al. 2025); needs the engine's `selfCertainties`. */
export function meanSelfCertainty(logprobs: TokenLogprobs): number {
  if (!logprobs.selfCertainties) throw new MissingLogprobsError('self-certainty needs per-token selfCertainties (an engine holding the logits)');
  return meanOf(logprobs.selfCertainties, 0, logprobs.selfCertainties.length);
}

/** Mean entropy (nats) of the model's distribution over the trace's tokens. */
export function meanEntropy(logprobs: TokenLogprobs): number {
  return meanOf(logprobs.entropies, 0, logprobs.entropies.length);
}

/**
 * The probability the model gave the answer part: the product of the chosen tokens' (raw)
 * probabilities from `from` (the first answer token) to the end. 1 for an empty answer part.
 */
export function answerProbability(logprobs: TokenLogprobs, from: number): number {
  let sum = 0;
  for (let i = Math.max(0, from); i < logprobs.logprobs.length; i++) sum += logprobs.logprobs[i];
  return Math.exp(sum);
}

/** Linear-interpolated percentile (numpy's default), p in [0, 100]. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const at = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/** A confidence method ran on samples without the logprobs it reads. */
export class MissingLogprobsError extends Error {
  override readonly name = 'MissingLogprobsError';
}

function meanOf(values: ArrayLike<number>, from: number, to: number): number {
  if (to <= from) return 0;
  let sum = 0;
  for (let i = from; i < to; i++) sum += values[i];
  return sum / (to - from);
}
