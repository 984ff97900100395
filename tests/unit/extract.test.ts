import { describe, expect, it } from 'vitest';
import { extractAnswer, type AnswerKind } from '../../src/lib/answers/extract';
import { grade, parseReference, sameAnswer } from '../../src/lib/answers/grade';
import { canonicalNumber, parseNumber } from '../../src/lib/answers/numbers';
import type { ExtractionRule } from '../../src/lib/answers/types';

type Case = [text: string, value: string | null, rule: ExtractionRule | null, kind?: AnswerKind];

const cases: Case[] = [
  ['The answer is 56.', '56', 'the-answer-is'],
  ['<think>\n23+45=68\n68-12=56\n</think>\n\nThe answer is 56.', '56', 'the-answer-is'],
  ['So she makes $18 a day.\n#### 18', '18', 'gsm8k-hash'],
  ['#### 1,000', '1000', 'gsm8k-hash'],
  ['#### $1,234.50', '1234.5', 'gsm8k-hash'],
  ['Total = 7\nA: 26', '26', 'answer-cue'],
  ['Answer: -3', '-3', 'answer-cue'],
  ['Final answer: 0.75', '0.75', 'answer-cue'],
  ['Answer: 3/4', '0.75', 'answer-cue'],
  ['Answer: .5', '0.5', 'answer-cue'],
  ['Answer: 50%', '50', 'answer-cue'],
  ['Answer: 1000.0', '1000', 'answer-cue'],
  ['Answer: −7', '-7', 'answer-cue'],
  ['so x = \\boxed{42}', '42', 'boxed'],
  ['\\boxed{\\frac{3}{4}}', '0.75', 'boxed'],
  ['\\boxed{1,200 \\text{ dollars}}', '1200', 'boxed'],
  ['The answer is 5. Wait, the answer is 7.', '7', 'the-answer-is'],
  ['#### 12\nThe answer is 13', '12', 'gsm8k-hash'],
  ['Incorrect answer: 57\nCorrect answer: 56', '56', 'answer-cue'],
  ['Incorrect answer: 57', '57', 'last-number'],
  ['16-3-4 is 9 eggs', '9', 'last-number'],
  ['She has 3 apples and 2nd place', '3', 'last-number'],
  ['I am not sure.', null, null],
  ['The answer is 11111111111111111111111111111.', '11111111111111111111111111111', 'the-answer-is'],
  ['A: 007', '7', 'answer-cue'],
  ['Answer:\nthe sum is 4', '4', 'last-number'],
  ['B', 'B', 'choice-letter', 'choice'],
  ['I think (C) is right', 'C', 'choice-letter', 'choice'],
  ['Answer: (D)', 'D', 'answer-cue', 'choice'],
  ['The answer is B.', 'B', 'the-answer-is', 'choice'],
  ['Yes, because birds fly.', 'yes', 'yes-no', 'yes-no'],
  ['So the answer is no.', 'no', 'the-answer-is', 'yes-no'],
  ['Answer: Yes', 'yes', 'answer-cue', 'yes-no'],
];

describe('extractAnswer', () => {
  it.each(cases)('%j → %s by %s', (text, value, rule, kind) => {
    const found = extractAnswer(text, { kind: kind ?? 'number' });
    expect(found?.value ?? null).toBe(value);
    expect(found?.rule ?? null).toBe(rule);
    expect(found?.fallback ?? false).toBe(rule === 'last-number');
  });

  it('reports the text it matched', () => {
    expect(extractAnswer('Thus: The answer is $1,000.')?.raw).toBe('The answer is $1,000');
  });
});

describe('numbers', () => {
  it('parses written numbers and prints them canonically', () => {
    expect(parseNumber('1,000')).toBe(1000);
    expect(parseNumber('$18.')).toBe(18);
    expect(parseNumber('12 apples')).toBeNull();
    expect(canonicalNumber(1 / 3)).toBe('0.333333333333');
    expect(canonicalNumber(-0)).toBe('0');
    expect(canonicalNumber(0.1 + 0.2)).toBe('0.3');
    expect(canonicalNumber(2.5e30)).toBe('2500000000000000000000000000000');
  });

  it('compares by value, never by string', () => {
    expect(sameAnswer('1,000', '1000.0')).toBe(true);
    expect(sameAnswer('$5', '5.00')).toBe(true);
    expect(sameAnswer('5', '50')).toBe(false);
    expect(sameAnswer('B', 'b', 'choice')).toBe(true);
  });
});

describe('references', () => {
  it.each([
    ['Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nNatalia sold 48+24 = <<48+24=72>>72 clips.\n#### 72', '72'],
    ['#### 1,600', '1600'],
    ['It takes 2/2=<<2/2=1>>1 bolt\nA: 3', '3'],
    ['18', '18'],
    ['$1,000.00', '1000'],
    ['-4', '-4'],
    ['no number here', null],
  ])('%j → %s', (reference, value) => {
    expect(parseReference(reference)).toBe(value);
  });

  it('grades a GSM8K answer against model outputs', () => {
    const reference = 'She makes 9 * 2 = $<<9*2=18>>18 every day.\n#### 18';
    expect(grade('... so 2 * 9 = $18\nA: 18', reference)).toMatchObject({ correct: true, reference: '18' });
    expect(grade('The answer is 18.0.', reference).correct).toBe(true);
    expect(grade('A: 26', reference).correct).toBe(false);
    expect(grade('I do not know', reference)).toMatchObject({ correct: false, answer: null });
    expect(grade('Answer: (b)', 'B', { choices: ['x', 'y'] }).correct).toBe(false);
    expect(grade('Answer: (B)', 'B', { choices: ['x', 'y'] }).correct).toBe(true);
    expect(grade('Yes.', 'yes').correct).toBe(true);
  });
});
