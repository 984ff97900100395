/**
 * Top-k and top-p (nucleus) filtering of one row of logits, in place: filtered entries become
 * -Infinity, so a softmax gives them probability 0. Semantics follow Hugging Face transformers'
 * TopKLogitsWarper / TopPLogitsWarper (ties with the k-th value survive; at least one token
 * is always kept).
 */

export function topKFilter(logits: Float32Array, k: number): void {
  if (k <= 0 || k >= logits.length) return;
  const threshold = kthLargest(logits, k);
  for (let i = 0; i < logits.length; i++) if (logits[i] < threshold) logits[i] = -Infinity;
}

/** Keeps the smallest set of most probable tokens whose probability adds up to at least `p`. */
export function topPFilter(logits: Float32Array, p: number): void {
  if (p >= 1) return;
  const order = descendingOrder(logits);
  const maxLogit = logits[order[0]];
  let total = 0;
  for (const i of order) total += Math.exp(logits[i] - maxLogit);

  // A token stays while the mass of the tokens ranked above it is still below p.
  let massBefore = 0;
  let keep = 0;
  while (keep < order.length && (keep === 0 || massBefore < p)) {
    massBefore += Math.exp(logits[order[keep]] - maxLogit) / total;
    keep++;
  }
  for (let rank = keep; rank < order.length; rank++) logits[order[rank]] = -Infinity;
}

function descendingOrder(logits: Float32Array): Uint32Array {
  const order = new Uint32Array(logits.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => logits[b] - logits[a] || a - b);
}

function kthLargest(logits: Float32Array, k: number): number {
  return Float32Array.from(logits).sort().at(-k) ?? -Infinity;
}
