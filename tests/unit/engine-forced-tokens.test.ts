import { Tensor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { ForcedTokens } from '../../workers/engine/forced-tokens';
import { RowCutter } from '../../workers/engine/row-cutter';

/** A toy vocabulary: each id is one piece of text; id 0 is EOS. */
const PIECES = ['<eos>', 'a', 'b', '</think>', '\n', 'x'];
const decode = (ids: readonly number[]): string => ids.map((i) => PIECES[i]).join('');
const VOCAB = PIECES.length;
const FORCED = [4, 3, 4]; // "\n</think>\n"

function rows(count: number): RowCutter[] {
  return Array.from(
    { length: count },
    () => new RowCutter({ decode, eosIds: new Set([0]), stops: [], maxNewTokens: 20, endMarker: '</think>' }),
  );
}

function flatLogits(batch: number): Tensor {
  return new Tensor('float32', new Float32Array(batch * VOCAB).fill(1), [batch, VOCAB]);
}

function row(logits: Tensor, i: number): number[] {
  return Array.from((logits.data as Float32Array).subarray(i * VOCAB, (i + 1) * VOCAB));
}

/** Runs one decode step: the processor, then the (scripted) chosen tokens to the rows. */
function step(processor: ForcedTokens, cutters: RowCutter[], sampled: number[]): { forcedRows: number[]; chosen: number[] } {
  const logits = processor._call([], flatLogits(cutters.length));
  const forcedRows: number[] = [];
  const chosen = sampled.map((id, i) => {
    const values = row(logits, i);
    const finite = values.flatMap((v, j) => (Number.isFinite(v) ? [j] : []));
    if (finite.length === 1) {
      forcedRows.push(i);
      return finite[0];
    }
    return id;
  });
  chosen.forEach((id, i) => cutters[i].accept(id, 0));
  return { forcedRows, chosen };
}

describe('ForcedTokens (budget cut through the logits)', () => {
  it('at step B forces the forced ids on rows still thinking only, one per step, uncounted', () => {
    const cutters = rows(2);
    const cuts: number[] = [];
    const processor = new ForcedTokens(cutters, 2, FORCED, (i) => {
      cuts.push(i);
      cutters[i].forceAnswer('\n</think>\n', 0, FORCED.length);
    });
    step(processor, cutters, [1, 1]); // token 0
    step(processor, cutters, [2, 3]); // token 1: row 1 closes its chain itself
    expect(cutters[1].thinking).toBe(false);

    const forcedSteps = [0, 1, 2].map(() => step(processor, cutters, [1, 1]));
    expect(cuts).toEqual([0]);
    expect(forcedSteps.map((s) => s.forcedRows)).toEqual([[0], [0], [0]]);
    expect(forcedSteps.map((s) => s.chosen[0])).toEqual(FORCED);
    expect(step(processor, cutters, [2, 2]).forcedRows).toEqual([]);

    cutters.forEach((c) => c.close('length', 0));
    const [cut, uncut] = cutters.map((c) => c.outcome());
    // Row 0: 2 thinking tokens, the forced text (no tokens), then one answer token.
    expect(cut).toMatchObject({ text: 'ab\n</think>\nb', thinkingTokens: 2, answerTokens: 1, budgetCut: true });
    // Row 1 sampled on: its own '</think>' ended thinking; nothing forced.
    expect(uncut).toMatchObject({ text: 'a</think>aaab', thinkingTokens: 2, answerTokens: 4, budgetCut: false });
  });

  it('refuses forced text that encodes to no token', () => {
    expect(() => new ForcedTokens(rows(1), 1, [], () => {})).toThrow(/at least one token/);
  });
});
