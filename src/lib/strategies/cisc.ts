/**
 * Confidence-Informed Self-Consistency (CISC; Taubenfeld et al., 2025, "Confidence Improves
 * Self-Consistency in LLMs"): each chain's vote is weighted by its confidence after a softmax
 * over the chains of the same question, w_i = exp(c_i / T) / Σ_j exp(c_j / T). A large T tends to
 * plain majority voting, a small T to trusting the single most confident chain. The paper tunes
 * T per model and confidence method on held-out questions; here T is a setting
 * (`confidenceTemperature`) with a default of our choosing, not a value from the paper.
 *
 * Any confidence source in [0, 1] can be normalised here (the verbal one in confidence.ts; a
 * token-probability one can sit beside it).
 */

/** Our default T for confidences on the [0, 1] scale: 0.1 apart in confidence is a factor e in weight. */
export const DEFAULT_CONFIDENCE_TEMPERATURE = 0.1;

/**
 * Softmax weights for one question's chains. A chain whose confidence could not be read gets
 * the mean of the readable ones (neutral within the question); when none is readable every
 * chain weighs the same, which is plain self-consistency.
 */
export function ciscWeights(confidences: readonly (number | null)[], temperature: number): number[] {
  if (!(temperature > 0)) throw new RangeError(`the CISC softmax temperature must be > 0, got ${temperature}`);
  const readable = confidences.filter((c): c is number => c !== null);
  if (readable.length === 0) return confidences.map(() => 1 / confidences.length);
  const neutral = readable.reduce((sum, c) => sum + c, 0) / readable.length;
  const scaled = confidences.map((c) => (c ?? neutral) / temperature);
  // Subtract the largest exponent so exp never overflows at a small temperature.
  const top = Math.max(...scaled);
  const raised = scaled.map((x) => Math.exp(x - top));
  const total = raised.reduce((sum, x) => sum + x, 0);
  return raised.map((x) => x / total);
}
