import { logSumExp } from './logprobs';

/**
 * Whether a row's next token ends its thinking, decided from the logits the sampler is about to
 * draw from — before it draws, so that s1's "Wait" can take that token's place (forced-tokens.ts)
 * instead of the end being fed to the model and then undone.
 *
 * - Greedy: the end is chosen when an end id is the argmax (first maximum wins, as the
 *   library's greedy sampler picks).
 * - Sampled: the end is chosen with probability P(end ids) under these logits, with `draw()`
 *   (a uniform number from the request's seeded RNG). When it is not, the end ids are set to −∞
 *   so the sampler draws from the rest, renormalised. Together that is exactly the sampler's own
 *   distribution with "end" relabelled, so every other token keeps its probability: the
 *   `sampledLogprobs` the recorder read before this (logprobs.ts) remain that token's chance.
 *
 * No random number is drawn when the decision is certain (P(end) is 0 or 1).
 */
export function wouldEnd(logits: Float32Array, endIds: readonly number[], greedy: boolean, draw: () => number): boolean {
  if (greedy) return endIds.includes(argmax(logits));
  const pEnd = endProbability(logits, endIds);
  if (pEnd <= 0) return false;
  if (pEnd >= 1 || draw() < pEnd) return true;
  for (const id of endIds) logits[id] = -Infinity;
  return false;
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** softmax(logits) summed over the end ids; 0 without computing anything when all of them are −∞. */
function endProbability(logits: Float32Array, endIds: readonly number[]): number {
  if (endIds.every((id) => logits[id] === -Infinity)) return 0;
  const logTotal = logSumExp(logits);
  let end = 0;
  for (const id of new Set(endIds)) end += Math.exp(logits[id] - logTotal);
  return end;
}
