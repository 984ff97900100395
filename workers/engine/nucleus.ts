/**
 * Top-k and top-p (nucleus) filtering of one row of logits, in place: filtered entries become
 * -Infinity, so a softmax gives them probability 0. Semantics follow Hugging Face transformers'
 * TopKLogitsWarper / TopPLogitsWarper (ties with the k-th value survive; at least one token is
 * always kept). Both run once per row per decode step over the whole vocabulary (150k entries
 * for Qwen), so neither sorts the vocabulary.
 */

export function topKFilter(logits: Float32Array, k: number): void {
  if (k <= 0 || k >= logits.length) return;
  const threshold = kthLargest(Float32Array.from(logits), k);
  for (let i = 0; i < logits.length; i++) if (logits[i] < threshold) logits[i] = -Infinity;
}

/** Keeps the smallest set of most probable tokens whose probability adds up to at least `p`. */
export function topPFilter(logits: Float32Array, p: number): void {
  if (p >= 1) return;
  let maxLogit = -Infinity;
  for (const logit of logits) if (logit > maxLogit) maxLogit = logit;
  const weights = new Float64Array(logits.length);
  let total = 0;
  for (let i = 0; i < logits.length; i++) total += weights[i] = Math.exp(logits[i] - maxLogit);
  const target = p * total;

  // Walk the weights from the largest (natively sorted, no comparator) until the mass of the
  // tokens ranked above the next one reaches p. Only candidates are sorted: the nucleus is a
  // prefix of the sorted order, so any prefix holding mass >= p contains it.
  const sorted = candidatesHolding(weights, target).sort();
  let massBefore = 0;
  let kept = 0;
  let threshold = Infinity;
  for (let rank = sorted.length - 1; rank >= 0 && (kept === 0 || massBefore < target); rank--) {
    threshold = sorted[rank];
    massBefore += threshold;
    kept++;
  }
  // Keep everything above the last kept weight, and as many tokens at that weight as the
  // walk took, lowest ids first (the order a stable sort would give).
  let tiesToKeep = kept;
  for (let i = 0; i < weights.length; i++) if (weights[i] > threshold) tiesToKeep--;
  for (let i = 0; i < logits.length; i++) {
    if (weights[i] > threshold) continue;
    if (weights[i] === threshold && tiesToKeep > 0) tiesToKeep--;
    else logits[i] = -Infinity;
  }
}

/** Weights of the most probable tokens that together hold at least `mass` (the max weight is 1). */
function candidatesHolding(weights: Float64Array, mass: number): Float64Array {
  for (let cutoff = 1e-3; cutoff > 1e-300; cutoff *= 1e-3) {
    let sum = 0;
    let count = 0;
    for (const weight of weights) {
      if (weight >= cutoff) {
        sum += weight;
        count++;
      }
    }
    if (sum >= mass) {
      // A hand loop: TypedArray.prototype.filter is many times slower in V8.
      const picked = new Float64Array(count);
      let next = 0;
      for (const weight of weights) if (weight >= cutoff) picked[next++] = weight;
      return picked;
    }
  }
  return weights.slice();
}

/** The k-th largest value (1-based), by quickselect on a scratch copy. */
function kthLargest(values: Float32Array, k: number): number {
  const target = values.length - k; // index in ascending order
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const swap = values[i];
        values[i] = values[j];
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return values[target];
}
