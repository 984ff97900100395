import { describe, expect, it } from 'vitest';
import type { TokenEvent } from '../../src/lib/generate';
import { RowCutter, type RowCutterOptions } from '../../workers/engine/row-cutter';

/** A toy vocabulary: each id is one piece of text; id 0 is EOS. */
const PIECES = ['<eos>', 'The', ' answer', ' is', ' 4', '2', '.', '\n', 'Q', ':', '</think>', '<think>', 'x'];
const id = (piece: string): number => {
  const index = PIECES.indexOf(piece);
  if (index < 0) throw new Error(`no piece ${piece}`);
  return index;
};
const decode = (ids: readonly number[]): string => ids.map((i) => PIECES[i]).join('');

function cutter(options: Partial<RowCutterOptions> = {}): RowCutter {
  return new RowCutter({ decode, eosIds: new Set([0]), stops: [], maxNewTokens: 100, endMarker: null, ...options });
}

/** Feeds pieces until the row finishes; returns the events and how many pieces were taken. */
function feed(row: RowCutter, pieces: string[]): { events: TokenEvent[]; taken: number } {
  const events: TokenEvent[] = [];
  let taken = 0;
  for (const [step, piece] of pieces.entries()) {
    const event = row.accept(id(piece), step);
    if (!event) break;
    taken++;
    events.push(event);
  }
  return { events, taken };
}

const streamed = (events: TokenEvent[]): string => events.map((event) => event.text).join('');

describe('RowCutter', () => {
  it('cuts at EOS, leaves EOS out of the text, and ignores later tokens', () => {
    const row = cutter();
    const { events, taken } = feed(row, ['The', ' answer', '<eos>', 'x', 'x']);
    expect(taken).toBe(3);
    expect(row.accept(id('x'), 9)).toBeNull();
    const outcome = row.outcome();
    expect(outcome).toMatchObject({ text: 'The answer', finishReason: 'eos', answerTokens: 3, thinkingTokens: 0 });
    expect(streamed(events)).toBe('The answer');
    expect(outcome.lastTokenAtMs).toBe(2);
  });

  it('cuts at a stop string that spans token boundaries and never streams it', () => {
    const row = cutter({ stops: ['\nQ:'] });
    const { events, taken } = feed(row, ['The', ' answer', '\n', 'Q', ':', 'x']);
    expect(taken).toBe(5);
    expect(row.outcome()).toMatchObject({ text: 'The answer', finishReason: 'stop', answerTokens: 5 });
    // The '\n' was held back while it could still start the stop string.
    expect(events.map((event) => event.text)).toEqual(['The', ' answer', '', '', '']);
    expect(streamed(events)).toBe('The answer');
  });

  it('releases held-back text when the stop string does not complete', () => {
    const row = cutter({ stops: ['\nQ:'] });
    const { events } = feed(row, ['The', '\n', 'Q', 'x', '<eos>']);
    expect(events.map((event) => event.text)).toEqual(['The', '', '', '\nQx', '']);
    expect(row.outcome().text).toBe('The\nQx');
  });

  it('finds a stop string inside one token and keeps the text before it', () => {
    const row = cutter({ stops: [' is 4'] });
    feed(row, ['The', ' answer', ' is', ' 4', '2']);
    expect(row.outcome()).toMatchObject({ text: 'The answer', finishReason: 'stop' });
  });

  it('stops at maxNewTokens with finish reason length, flushing held text', () => {
    const row = cutter({ maxNewTokens: 3, stops: ['\nQ:'] });
    const { events, taken } = feed(row, ['The', ' answer', '\n', 'x']);
    expect(taken).toBe(3);
    expect(row.outcome()).toMatchObject({ text: 'The answer\n', finishReason: 'length' });
    expect(streamed(events)).toBe('The answer\n');
  });

  it('counts thinking tokens up to and including the end marker, then answer tokens', () => {
    const row = cutter({ endMarker: '</think>' });
    const { events } = feed(row, ['<think>', 'x', '</think>', '\n', ' 4', '<eos>']);
    expect(row.outcome()).toMatchObject({ thinkingTokens: 3, answerTokens: 3, finishReason: 'eos' });
    expect(events.map((event) => event.phase)).toEqual(['thinking', 'thinking', 'thinking', 'answer', 'answer', 'answer']);
  });

  it('detects an end marker spelled over several tokens', () => {
    const row = cutter({ endMarker: 'Q:' });
    feed(row, ['x', 'Q', ':', ' 4', '<eos>']);
    expect(row.outcome()).toMatchObject({ thinkingTokens: 3, answerTokens: 2 });
  });

  it('forces the answer at a budget cut: forced text is in the text but counts as no token', () => {
    const row = cutter({ endMarker: '</think>', stops: ['\nQ:'] });
    feed(row, ['x', 'x', '\n']);
    expect(row.thinking).toBe(true);
    const forced = row.forceAnswer('\n</think>\n\n', 3);
    expect(forced).toEqual([
      { text: '\n', phase: 'thinking', atMs: 3 },
      { text: '\n</think>\n\n', phase: 'forced', atMs: 3 },
    ]);
    expect(row.thinking).toBe(false);
    // The forced text ends in '\n' but must not start a stop string together with 'Q:'.
    feed(row, ['Q', ':', '<eos>']);
    expect(row.outcome()).toMatchObject({
      text: 'xx\n\n</think>\n\nQ:',
      thinkingTokens: 3,
      answerTokens: 3,
      budgetCut: true,
      finishReason: 'eos',
    });
  });

  it('closes an unfinished row with the given reason and hands out held text', () => {
    const row = cutter({ stops: ['\nQ:'] });
    feed(row, ['x', '\n']);
    expect(row.close('aborted', 5)).toEqual({ text: '\n', phase: 'answer', atMs: 5 });
    expect(row.outcome()).toMatchObject({ text: 'x\n', finishReason: 'aborted', endAtMs: 5 });
    expect(row.close('length', 6)).toBeNull();
  });
});
