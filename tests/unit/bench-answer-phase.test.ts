/**
 * Benchmark 3 times both sides on one clock (bench/answer-phase.ts): before, the cut side was
 * read off token events and the regenerate side was a wall-clock around the whole call.
 */
import { describe, expect, it } from 'vitest';
import { answerPhaseMs } from '../../bench/answer-phase';
import type { TokenEvent } from '../../src/lib/generate';

const event = (atMs: number, phase: TokenEvent['phase']): TokenEvent => ({ text: 'x', phase, atMs });

describe('answerPhaseMs', () => {
  it('a cut request: from the forced-text event to the last token', () => {
    const events = [event(5, 'thinking'), event(9, 'thinking'), event(12, 'forced'), event(15, 'answer'), event(20, 'answer')];
    expect(answerPhaseMs(events)).toBe(8);
  });

  it('a regenerating request: from its start (atMs 0, prefill included) to the last token', () => {
    expect(answerPhaseMs([event(7, 'answer'), event(9, 'answer'), event(11, 'answer')])).toBe(11);
  });

  it('no tokens, no measurement', () => {
    expect(answerPhaseMs([])).toBeNull();
  });

  it('is what bench/budget-cut.ts times both sides with', async () => {
    const { readFileSync } = await import('node:fs');
    const source = readFileSync(new URL('../../bench/budget-cut.ts', import.meta.url), 'utf8');
    expect(source.match(/answerPhaseMs\((\w+)\)/g)).toEqual(['answerPhaseMs(cutEvents)', 'answerPhaseMs(regeneratedEvents)']);
    expect(source).not.toMatch(/nowMs\(\)/);
  });
});
