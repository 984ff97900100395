import { describe, expect, it } from 'vitest';
import { majorityVote } from '../../src/lib/strategies/vote';

const ballots = (...answers: (string | null)[]) => answers.map((answer) => ({ answer }));

describe('majorityVote', () => {
  it('takes the most common answer and reports the distribution and agreement', () => {
    const outcome = majorityVote(ballots('5', '7', '5', null, '5', '7'));
    expect(outcome.answer).toBe('5');
    expect(outcome.votes).toEqual([
      { answer: '5', count: 3, weight: 3 },
      { answer: '7', count: 2, weight: 2 },
    ]);
    expect(outcome.agreement).toBeCloseTo(3 / 5);
    expect(outcome.answered).toBe(5);
  });

  it('breaks ties by the earliest sample, whatever the answer text', () => {
    expect(majorityVote(ballots('9', '1', '1', '9')).answer).toBe('9');
    expect(majorityVote(ballots('1', '9', '9', '1')).answer).toBe('1');
    expect(majorityVote(ballots(null, '3', '2')).answer).toBe('3');
  });

  it('weights votes when asked', () => {
    const outcome = majorityVote([
      { answer: '5', weight: 0.2 },
      { answer: '5', weight: 0.2 },
      { answer: '7', weight: 0.9 },
    ]);
    expect(outcome.answer).toBe('7');
    expect(outcome.votes[1]).toEqual({ answer: '5', count: 2, weight: 0.4 });
    expect(outcome.agreement).toBeCloseTo(0.9 / 1.3);
  });

  it('gives no answer when nothing was readable', () => {
    expect(majorityVote(ballots(null, null))).toEqual({ answer: null, votes: [], agreement: 0, answered: 0 });
  });
});
