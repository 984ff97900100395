/**
 * Server logprobs → `TokenLogprobs` (src/lib/generate.ts). A server gives each chosen token's
 * text and log-probability and its top alternatives (texts and log-probabilities). It does not
 * give token ids, the log-probability under the warped distribution the token was drawn from,
 * or the entropy: those are stored as -1 (ids) and NaN, so nothing downstream mistakes them for
 * measured values.
 */
import type { TokenLogprobs } from '../../generate';
import type { WireTokenLogprob } from './wire';

export function toTokenLogprobs(entries: readonly WireTokenLogprob[], topK: number): TokenLogprobs {
  const count = entries.length;
  const topTexts: string[] = [];
  const topLogprobs = new Float32Array(count * topK).fill(Number.NEGATIVE_INFINITY);
  entries.forEach((entry, i) => {
    for (let k = 0; k < topK; k += 1) {
      const alternative = entry.top[k];
      topTexts.push(alternative?.token ?? '');
      if (alternative) topLogprobs[i * topK + k] = alternative.logprob;
    }
  });
  return {
    tokenTexts: entries.map((entry) => entry.token),
    tokenIds: new Int32Array(count).fill(-1),
    logprobs: Float32Array.from(entries, (entry) => entry.logprob),
    sampledLogprobs: new Float32Array(count).fill(Number.NaN),
    entropies: new Float32Array(count).fill(Number.NaN),
    topK,
    topIds: new Int32Array(count * topK).fill(-1),
    topTexts,
    topLogprobs,
  };
}
