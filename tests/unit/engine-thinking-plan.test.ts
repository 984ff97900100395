import { describe, expect, it } from 'vitest';
import { budgetPlan, initialEndMarker } from '../../workers/engine/thinking-plan';

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
