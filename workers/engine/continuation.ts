/**
 * Inputs that continue a batch from its KV cache after appending per-row extra tokens (the
 * forced text of a budget cut), without recomputing anything already cached.
 *
 * After `generate` the cache holds every position but the last: the last sampled token of each
 * row was never fed to the model. So each row's uncached tail is that token plus its extras.
 * Rows get extras of different lengths (forced rows get the forced text, the others none); to
 * keep the batch rectangular the shorter tails are padded *between* the cached part and the
 * tail, with attention mask 0. Position ids are cumsum(mask) - 1, so every real token keeps
 * the position it would have without padding and masked slots are never attended to.
 *
 *   row:  [cached ids (L-1)] [pad × (F - e)] [last token] [extras (e)]      F = longest extras
 *   mask: [cached mask     ] [0   × (F - e)] [1         ] [1 × e     ]
 *
 * Passing these full ids with the cache (length L-1) makes Transformers.js feed only the last
 * F + 1 columns (decoder_prepare_inputs_for_generation slices input_ids at the cache length).
 */
export interface ContinuationInputs {
  inputIds: bigint[][];
  attentionMask: bigint[][];
  /** Columns the model will actually be fed: F + 1. */
  uncachedLength: number;
}

export function continuationInputs(
  sequences: readonly (readonly bigint[])[],
  attentionMask: readonly (readonly bigint[])[],
  extras: readonly (readonly number[])[],
  padId: number,
): ContinuationInputs {
  const longest = extras.reduce((max, extra) => Math.max(max, extra.length), 0);
  const inputIds: bigint[][] = [];
  const mask: bigint[][] = [];
  sequences.forEach((ids, row) => {
    const extra = extras[row] ?? [];
    const rowMask = attentionMask[row];
    if (ids.length === 0 || rowMask.length !== ids.length) throw new Error(`row ${row}: ids and mask disagree`);
    const padCount = longest - extra.length;
    inputIds.push([
      ...ids.slice(0, -1),
      ...Array<bigint>(padCount).fill(BigInt(padId)),
      ids[ids.length - 1],
      ...extra.map(BigInt),
    ]);
    mask.push([...rowMask.slice(0, -1), ...Array<bigint>(padCount).fill(0n), rowMask[rowMask.length - 1], ...extra.map(() => 1n)]);
  });
  return { inputIds, attentionMask: mask, uncachedLength: longest + 1 };
}
