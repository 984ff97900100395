/**
 * Area under the ROC curve of a score for a binary outcome: the probability that a random
 * positive scores above a random negative, ties counting half (the Mann–Whitney U statistic
 * over n₊·n₋). 0.5 is no signal; 1 separates perfectly. Null when either class is empty.
 * O(n log n) through mid-ranks, so it stays cheap over thousands of traces.
 */
export function auroc(scores: readonly number[], positive: readonly boolean[]): number | null {
  if (scores.length !== positive.length) throw new RangeError(`auroc: ${scores.length} scores but ${positive.length} labels`);
  const positives = positive.filter(Boolean).length;
  const negatives = positive.length - positives;
  if (positives === 0 || negatives === 0) return null;
  const order = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[start]]) end++;
    // Tied scores share the mean of the ranks they span (1-based): start+1 … end+1.
    const midRank = (start + end + 2) / 2;
    for (let i = start; i <= end; i++) if (positive[order[i]]) rankSum += midRank;
    start = end + 1;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
