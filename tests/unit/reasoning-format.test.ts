import { describe, expect, it } from 'vitest';
import { PROMPTED, THINK_TAGS, reasoningFormat } from '../../src/lib/formats/reasoning-format';

describe('think-tag format', () => {
  const format = reasoningFormat(THINK_TAGS);

  it('switches thinking through the chat template', () => {
    const prompt = format.prompt('What is 2 + 3?', { thinking: false });
    expect(prompt).toEqual({
      kind: 'chat',
      messages: [{ role: 'user', content: 'What is 2 + 3?' }],
      enableThinking: false,
    });
  });

  it('splits the chain from the answer at </think>', () => {
    expect(format.split('<think>\n2+3=5\n</think>\n\n5')).toEqual({ thinking: '2+3=5', answer: '5' });
    expect(format.split('<think>\n2+3=')).toEqual({ thinking: '2+3=', answer: '' });
  });
});

describe('prompted format', () => {
  const format = reasoningFormat(PROMPTED);

  it('asks for a chain and an answer cue in the user turn', () => {
    const prompt = format.prompt('Q?', { thinking: true, instruction: 'Be brief.' });
    expect(prompt.kind).toBe('chat');
    if (prompt.kind !== 'chat') return;
    expect(prompt.messages.at(-1)?.content).toBe(`Q?\nBe brief.\n${PROMPTED.kind === 'prompted' ? PROMPTED.thinkInstruction : ''}`);
  });

  it('forces the answer cue at a budget cut', () => {
    expect(format.thinkingControl(12)).toEqual({ endMarker: 'Answer:', budgetTokens: 12, forcedText: '\nAnswer:' });
    expect(format.split('3 + 4 = 7\nAnswer: 7')).toEqual({ thinking: '3 + 4 = 7', answer: '7' });
  });
});
