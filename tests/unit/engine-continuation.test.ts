import { describe, expect, it } from 'vitest';
import { continuationInputs } from '../../workers/engine/continuation';
import { budgetPlan, initialEndMarker } from '../../workers/engine/thinking-plan';

describe('continuationInputs', () => {
  // Two rows: prompt [7, 8], generated [1, 2] and [3, 4]; the cache holds all but the last column.
  const sequences = [
    [7n, 8n, 1n, 2n],
    [7n, 8n, 3n, 4n],
  ];
  const mask = [
    [1n, 1n, 1n, 1n],
    [1n, 1n, 1n, 1n],
  ];

  it('pads shorter tails between the cached part and the last token, masked out', () => {
    const next = continuationInputs(sequences, mask, [[50, 51], []], 0);
    expect(next.inputIds).toEqual([
      [7n, 8n, 1n, 2n, 50n, 51n],
      [7n, 8n, 3n, 0n, 0n, 4n],
    ]);
    expect(next.attentionMask).toEqual([
      [1n, 1n, 1n, 1n, 1n, 1n],
      [1n, 1n, 1n, 0n, 0n, 1n],
    ]);
    expect(next.uncachedLength).toBe(3);
  });

  it('gives every real token the position it would have without padding (cumsum(mask) - 1)', () => {
    const next = continuationInputs(sequences, mask, [[50, 51], []], 0);
    const positions = next.attentionMask[1].reduce<number[]>((out, m) => [...out, (out.at(-1) ?? -1) + Number(m)], []);
    const real = positions.filter((_, i) => next.attentionMask[1][i] === 1n);
    expect(real).toEqual([0, 1, 2, 3]);
  });

  it('adds nothing but the last token when no row has extras', () => {
    const next = continuationInputs(sequences, mask, [[], []], 0);
    expect(next.inputIds).toEqual(sequences);
    expect(next.uncachedLength).toBe(1);
  });
});

describe('thinking plan', () => {
  const control = { endMarker: '</think>', budgetTokens: 8, forcedText: '\n</think>\n\n' };
  const chat = { kind: 'chat' as const, messages: [{ role: 'user' as const, content: 'Q' }] };

  it('starts rows thinking unless the prompt already closed thinking', () => {
    expect(initialEndMarker(control, chat, '<|im_start|>assistant\n')).toBe('</think>');
    expect(initialEndMarker(control, { ...chat, enableThinking: false }, 'x')).toBeNull();
    expect(initialEndMarker(control, { kind: 'raw', text: '' }, 'assistant\n<think>\n\n</think>\n\n')).toBeNull();
    expect(initialEndMarker(undefined, chat, 'x')).toBeNull();
  });

  it('cuts only when the budget is below maxNewTokens', () => {
    expect(budgetPlan(control, '</think>', 100)).toEqual({ kind: 'cut', budgetTokens: 8, forcedText: '\n</think>\n\n' });
    expect(budgetPlan(control, '</think>', 8)).toEqual({ kind: 'none' });
    expect(budgetPlan({ ...control, budgetTokens: 0 }, '</think>', 100)).toMatchObject({ kind: 'force-first' });
    expect(budgetPlan({ endMarker: 'Answer:', budgetTokens: 3 }, 'Answer:', 10)).toMatchObject({ forcedText: 'Answer:' });
    expect(budgetPlan(control, null, 100)).toEqual({ kind: 'none' });
    expect(() => budgetPlan({ ...control, budgetTokens: 1.5 }, '</think>', 100)).toThrow(RangeError);
  });

  it('budget 0 opens and closes an empty thinking block, unless the prompt already opened one', () => {
    const zero = { ...control, budgetTokens: 0, emptyThinking: { open: '<think>', text: '<think>\n\n</think>\n\n' } };
    expect(budgetPlan(zero, '</think>', 100, '<|im_start|>assistant\n')).toEqual({
      kind: 'force-first',
      forcedText: '<think>\n\n</think>\n\n',
    });
    // A template that ends in `<think>\n` (DeepSeek-R1 distills) only needs the block closed.
    expect(budgetPlan(zero, '</think>', 100, '<|im_start|>assistant\n<think>\n')).toEqual({
      kind: 'force-first',
      forcedText: '\n</think>\n\n',
    });
  });
});
