import { Tensor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import type { TokenEvent } from '../../src/lib/generate';
import { ForcedTokens, type CutRule, type ExtendRule } from '../../workers/engine/forced-tokens';
import { RowCutter } from '../../workers/engine/row-cutter';
import { wouldEnd } from '../../workers/engine/would-end';

/** A toy vocabulary: each id is one piece of text; id 0 is EOS. */
const PIECES = ['<eos>', 'a', 'b', '</think>', '\n', 'x', 'W', 'ait'];
const decode = (ids: readonly number[]): string => ids.map((i) => PIECES[i]).join('');
const VOCAB = PIECES.length;
const EOS = 0;
const END = 3;
const FORCED = [4, 3, 4]; // "\n</think>\n"
const WAIT = [6, 7]; // "Wait"

function rows(count: number, maxNewTokens = 20): RowCutter[] {
  return Array.from({ length: count }, () => new RowCutter({ decode, eosIds: new Set([EOS]), stops: [], maxNewTokens, endMarker: '</think>' }));
}

/** Logits that make `preferred` the argmax (and leave every token possible). */
function preferring(preferred: number): number[] {
  return Array.from({ length: VOCAB }, (_, id) => (id === preferred ? 5 : 1));
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/**
 * One greedy decode step: the scripted model prefers `preferred[i]` for row i; the processor
 * edits the logits, the argmax is chosen and handed to the rows. Returns the chosen ids.
 */
function greedyStep(processor: ForcedTokens, cutters: RowCutter[], preferred: number[]): number[] {
  const logits = new Tensor('float32', Float32Array.from(preferred.flatMap(preferring)), [cutters.length, VOCAB]);
  processor._call([], logits);
  const data = logits.data as Float32Array;
  const chosen = preferred.map((_, i) => argmax(data.subarray(i * VOCAB, (i + 1) * VOCAB)));
  chosen.forEach((id, i) => cutters[i].accept(id, 0));
  return chosen;
}

interface Recorded {
  events: TokenEvent[][];
  rule: ExtendRule;
}

function extendRule(cutters: RowCutter[], times: number): Recorded {
  const events: TokenEvent[][] = cutters.map(() => []);
  const rule: ExtendRule = {
    times,
    forcedIds: WAIT,
    endIds: [END, EOS],
    greedy: true,
    draw: () => {
      throw new Error('greedy decoding draws no random number');
    },
    onExtend: (i) => events[i].push(...cutters[i].extendThinking('Wait', 0, WAIT.length)),
  };
  return { events, rule };
}

function cutRule(cutters: RowCutter[], budgetTokens: number): CutRule {
  return { budgetTokens, forcedIds: FORCED, onCut: (i) => cutters[i].forceAnswer('\n</think>\n', 0, FORCED.length) };
}

describe('ForcedTokens (budget cut through the logits)', () => {
  it('cuts a row still thinking once it has B tokens, forcing the ids one per step, uncounted', () => {
    const cutters = rows(2);
    const cuts: number[] = [];
    const rule = cutRule(cutters, 2);
    const processor = new ForcedTokens(cutters, { cut: { ...rule, onCut: (i) => (cuts.push(i), rule.onCut(i)) } });
    greedyStep(processor, cutters, [1, 1]); // token 0
    greedyStep(processor, cutters, [2, END]); // token 1: row 1 closes its chain itself
    expect(cutters[1].thinking).toBe(false);

    const forcedSteps = [0, 1, 2].map(() => greedyStep(processor, cutters, [1, 1]));
    expect(cuts).toEqual([0]);
    expect(forcedSteps.map((chosen) => chosen[0])).toEqual(FORCED);
    expect(greedyStep(processor, cutters, [2, 2])).toEqual([2, 2]);

    cutters.forEach((c) => c.close('length', 0));
    const [cut, uncut] = cutters.map((c) => c.outcome());
    // Row 0: 2 thinking tokens, the forced text (no tokens), then one answer token.
    expect(cut).toMatchObject({ text: 'ab\n</think>\nb', thinkingTokens: 2, answerTokens: 1, budgetCut: true, extensions: 0 });
    // Row 1 sampled on: its own '</think>' ended thinking; nothing forced.
    expect(uncut).toMatchObject({ text: 'a</think>aaab', thinkingTokens: 2, answerTokens: 4, budgetCut: false });
  });

  it('refuses forced text that encodes to no token', () => {
    expect(() => new ForcedTokens(rows(1), { cut: { ...cutRule(rows(1), 1), forcedIds: [] } })).toThrow(/at least one token/);
    const cutters = rows(1);
    expect(() => new ForcedTokens(cutters, { extend: { ...extendRule(cutters, 1).rule, forcedIds: [] } })).toThrow(/at least one token/);
  });
});

describe('ForcedTokens (think longer: s1 "Wait" in place of the end of thinking)', () => {
  it('puts "Wait" where a row would end its thinking, up to m times per row, then lets it end', () => {
    const cutters = rows(2);
    const { events, rule } = extendRule(cutters, 2);
    const processor = new ForcedTokens(cutters, { extend: rule });
    // Row 0 wants to end after every 'a'; row 1 keeps thinking ('b') and is never touched.
    const script = [1, END, END, 1, END, END, 1, END, 1]; // what it prefers during forced steps does not matter
    const chosen0 = script.map((want) => greedyStep(processor, cutters, [want, 2])[0]);
    // The end token is replaced by the first forced id in the same step, never fed.
    expect(chosen0).toEqual([1, 6, 7, 1, 6, 7, 1, END, 1]);
    expect(events[0].filter((e) => e.phase === 'forced').map((e) => e.text)).toEqual(['Wait', 'Wait']);
    expect(events[1]).toEqual([]);
    expect(cutters[0].thinking).toBe(false);

    cutters.forEach((c) => c.close('length', 0));
    const [extended, untouched] = cutters.map((c) => c.outcome());
    // 3 'a' + the final '</think>' are thinking tokens; "Wait" is forced text, no tokens.
    expect(extended).toMatchObject({ text: 'aWaitaWaita</think>a', thinkingTokens: 4, answerTokens: 1, extensions: 2 });
    // Its first attempt to end came after 1 token: let through, it would have had 1 + 1.
    expect(extended.thinkingTokensAdded).toBe(4 - 2);
    expect(untouched).toMatchObject({ thinkingTokens: 9, extensions: 0, thinkingTokensAdded: 0 });
  });

  it('treats EOS while thinking as an attempt to end (s1 stops its thinking at the end of turn too)', () => {
    const cutters = rows(1);
    const { rule } = extendRule(cutters, 1);
    const processor = new ForcedTokens(cutters, { extend: rule });
    const chosen = [1, EOS, EOS, EOS].map((want) => greedyStep(processor, cutters, [want])[0]);
    expect(chosen).toEqual([1, 6, 7, EOS]);
    expect(cutters[0].outcome()).toMatchObject({ text: 'aWait', finishReason: 'eos', extensions: 1, thinkingTokens: 2, thinkingTokensAdded: 0 });
  });

  it('with a budget in the same request, counts only generated tokens: an extended row is cut at B tokens, steps later', () => {
    const cutters = rows(2);
    const { rule } = extendRule(cutters, 1);
    const processor = new ForcedTokens(cutters, { cut: cutRule(cutters, 3), extend: rule });
    // Row 0 tries to end after one token (extended: 2 forced steps), then thinks on; row 1 never ends.
    const chosen = [
      [1, 1],
      [END, 1],
      [END, 1],
      [1, 1], // row 1 reaches 3 tokens here: cut from the next step
      [1, 1],
      [1, 1],
      [1, 1], // row 0 reaches 3 tokens at the previous step (its forced steps took no tokens)
      [1, 1],
      [1, 1],
    ].map((preferred) => greedyStep(processor, cutters, preferred));
    expect(chosen.map((c) => c[0])).toEqual([1, 6, 7, 1, 1, ...FORCED, 1]);
    expect(chosen.map((c) => c[1])).toEqual([1, 1, 1, ...FORCED, 1, 1, 1]);
    cutters.forEach((c) => c.close('length', 0));
    const [extended, plain] = cutters.map((c) => c.outcome());
    expect(extended).toMatchObject({ text: 'aWaitaa\n</think>\na', thinkingTokens: 3, budgetCut: true, extensions: 1, thinkingTokensAdded: 1 });
    expect(plain).toMatchObject({ text: 'aaa\n</think>\naaa', thinkingTokens: 3, budgetCut: true, extensions: 0 });
  });

  it('adds the forced steps of every extension to the steps generate must allow', () => {
    const cutters = rows(1);
    expect(new ForcedTokens(cutters, { cut: cutRule(cutters, 3), extend: extendRule(cutters, 2).rule }).extraSteps).toBe(FORCED.length + 2 * WAIT.length);
  });
});

describe('wouldEnd (the decision before the sampler draws)', () => {
  const logProbs = (probs: number[]): Float32Array => Float32Array.from(probs, (p) => Math.log(p));

  it('greedy: an end id is the argmax, first maximum winning as in the library', () => {
    expect(wouldEnd(Float32Array.from([1, 3, 2]), [1], true, () => 0)).toBe(true);
    expect(wouldEnd(Float32Array.from([3, 3, 2]), [1], true, () => 0)).toBe(false);
    expect(wouldEnd(Float32Array.from([1, 3, 2]), [0, 2], true, () => 0)).toBe(false);
  });

  it('sampled: ends with probability P(end ids); otherwise bans them and leaves the rest as they were', () => {
    // P(end) = 0.25 + 0.05 = 0.3 over ids 1 and 3.
    const probs = [0.4, 0.25, 0.3, 0.05];
    expect(wouldEnd(logProbs(probs), [1, 3], false, () => 0.299)).toBe(true);
    const logits = logProbs(probs);
    expect(wouldEnd(logits, [1, 3], false, () => 0.301)).toBe(false);
    expect(Array.from(logits)).toEqual([Math.fround(Math.log(0.4)), -Infinity, Math.fround(Math.log(0.3)), -Infinity]);
  });

  it('sampled: draws no number when the outcome is certain', () => {
    const never = (): number => {
      throw new Error('drew');
    };
    expect(wouldEnd(Float32Array.from([0, -Infinity, 1]), [1], false, never)).toBe(false);
    expect(wouldEnd(Float32Array.from([-Infinity, 2, -Infinity]), [1], false, never)).toBe(true);
  });

  it('sampled: over many draws the end is chosen at its probability', () => {
    let state = 12345;
    const uniform = (): number => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const trials = 20000;
    let ends = 0;
    for (let t = 0; t < trials; t++) if (wouldEnd(logProbs([0.5, 0.2, 0.3]), [1], false, uniform)) ends++;
    // 0.2 ± 4.5 standard errors (sd of the mean ≈ 0.0028).
    expect(Math.abs(ends / trials - 0.2)).toBeLessThan(0.0127);
  });
});
