/**
 * Why BENCHMARKS.md §2 says ESC's "equal accuracy" holds by construction: with windows of 5 in
 * k = 10, whenever ESC stops early its answer is the full vote's (checked here over every
 * sequence of ten answers from a small alphabet), while the Beta rule can stop on a window the
 * rest of the samples overturn.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { betaRule, escRule } from '../../src/lib/strategies/stopping';
import { majorityVote } from '../../src/lib/strategies/vote';

const ALPHABET = ['a', 'b', null] as const;

function* sequences(length: number): Generator<(string | null)[]> {
  const total = ALPHABET.length ** length;
  for (let code = 0; code < total; code++) {
    const out: (string | null)[] = [];
    for (let i = 0, rest = code; i < length; i++, rest = Math.floor(rest / ALPHABET.length)) out.push(ALPHABET[rest % ALPHABET.length]);
    yield out;
  }
}

const vote = (answers: readonly (string | null)[]) => majorityVote(answers.map((answer) => ({ answer }))).answer;

describe('ESC (window 5) inside k = 10', () => {
  it('never answers differently from the vote of all ten', () => {
    const esc = escRule(5);
    let stoppedEarly = 0;
    for (const answers of sequences(10)) {
      const stop = esc.stopAt(answers);
      const used = stop === null ? answers : answers.slice(0, stop);
      if (stop !== null && stop < 10) stoppedEarly += 1;
      expect(vote(used)).toBe(vote(answers));
    }
    expect(stoppedEarly).toBeGreaterThan(0);
  });

  it('while the Beta rule (threshold 0.95, calls of 5) can', () => {
    const answers = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'b', 'b'];
    expect(betaRule(0.95).stopAt(answers.slice(0, 5))).toBe(4);
    expect(vote(answers.slice(0, 5))).toBe('a');
    expect(vote(answers)).toBe('b');
  });

  it('BENCHMARKS.md says so beside the equal-accuracy claim', () => {
    const doc = readFileSync(new URL('../../BENCHMARKS.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## 2. Adaptive self-consistency'), doc.indexOf('## 3.'));
    expect(section).toMatch(/For ESC this holds by construction/);
  });
});
