import { describe, expect, it } from 'vitest';
import { extractAnswer, inspectAnswer, type AnswerKind, type NoAnswerReason } from '../../src/lib/answers/extract';
import { grade, parseReference, sameAnswer } from '../../src/lib/answers/grade';
import { canonicalNumber, findNumbers, parseNumber } from '../../src/lib/answers/numbers';
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
  // The last cue in the text wins, whichever rule it belongs to.
  ['#### 12\nThe answer is 13', '13', 'the-answer-is'],
  ['Incorrect answer: 57\nCorrect answer: 56', '56', 'answer-cue'],
  // A value the model calls wrong is neither a cue nor a last-number answer.
  ['Incorrect answer: 57', null, null],
  ['16-3-4 is 9 eggs', '9', 'last-number'],
  ['She has 3 apples and 2nd place', '3', 'last-number'],
  ['I am not sure.', null, null],
  ['The answer is 11111111111111111111111111111.', '11111111111111111111111111111', 'the-answer-is'],
  ['A: 007', '7', 'answer-cue'],
  // A cue alone on its line reads the next line, and the value must start it.
  ['Answer:\nthe sum is 4', null, null],
  ['**Final Answer:**\n\n42', '42', 'answer-cue'],
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

// Misgradings reported in issue 12: each gave a wrong value (or a value where there is none).
const issue12: Case[] = [
  // `a:` inside a sentence is not the `A:` cue; the last cue wins.
  ['Part a: 10 widgets… The answer is 7.', '7', 'the-answer-is'],
  ['Q: Tom has 18 apples. A: 18 … The answer is 20.', '20', 'the-answer-is'],
  ['Part b: 3 more.\nanswer: 9', '9', 'answer-cue'],
  ['Wrong answer: 56\nThe answer is 57.', '57', 'the-answer-is'],
  ['Incorrect final answer: 56\nFinal answer: 57', '57', 'answer-cue'],
  ['Answer: 12 - 4 = 8', '8', 'answer-cue'],
  ['Answer: $12 - $4 = $8 left', '8', 'answer-cue'],
  ['Answer: 3 * 4 = 12 = 12.0', '12', 'answer-cue'],
  ['The answer is 2 + 3 + 4 = 9.', '9', 'the-answer-is'],
  ['Answer: 1/2 of 10 is 5', '5', 'answer-cue'],
  ['Answer: 50% of 80 = 40', '40', 'answer-cue'],
  ['The answer is not 5, it is 7.', '7', 'the-answer-is'],
  ["The answer is not 5 but 7.", '7', 'the-answer-is'],
  ['The answer is 1 000 000.', '1000000', 'the-answer-is'],
  ['Answer: 12 000 apples', '12000', 'answer-cue'],
  ['The answer is **18**.', '18', 'the-answer-is'],
  ['The answer is $\\boxed{18}$.', '18', 'boxed'],
  ['\\boxed{12 - 4 = 8}', '8', 'boxed'],
  ['Answer: 18 is what she has.', '18', 'answer-cue'],
  ['Answer: 12 apples - 4 apples = 8 apples', '8', 'answer-cue'],
  ['Answer: 18 apples and 2 pears', '18', 'answer-cue'],
  // A hedge or connective before the value does not hide it.
  ['I think the answer is probably 7.', '7', 'the-answer-is'],
  ['The final answer is therefore **12**.', '12', 'the-answer-is'],
  ['So the answer is that she keeps 12.', null, null],
  ['#### 5\nA: 6', '6', 'answer-cue'],
];

describe('extractAnswer: issue 12 misgradings', () => {
  it.each(issue12)('%j → %s by %s', (text, value, rule, kind) => {
    const found = extractAnswer(text, { kind: kind ?? 'number' });
    expect(found?.value ?? null).toBe(value);
    expect(found?.rule ?? null).toBe(rule);
  });
});

type NoAnswerCase = [text: string, reason: NoAnswerReason, question?: string];

const QUESTION = 'Tom has 18 apples and gives 5 of them to his sister. How many apples does Tom have left?';

describe('inspectAnswer: why there is no answer', () => {
  it.each<NoAnswerCase>([
    // The cue is answered in words: the 18 in the parenthesis is not the answer.
    ['Answer: twelve. (She started with 18 apples.)', 'cue-without-value'],
    ['The answer is not 5.', 'cue-without-value'],
    ['Answer: 3 + 4', 'cue-without-value'],
    ['Answer:\nthe sum is 4', 'cue-without-value'],
    ["I'm sorry, but I can't solve this: I don't know how many of the 18 apples were eaten.", 'refusal'],
    ['I cannot answer that without knowing the price of 3 pens.', 'refusal'],
    ['As an AI, I am unable to determine 5 + 7.', 'refusal'],
    // Only the question, repeated: its numbers are not an answer.
    [QUESTION, 'question-echo', QUESTION],
    [`Question: ${QUESTION}\nLet me think about it.`, 'question-echo', QUESTION],
    ['Wrong answer: 56', 'no-value'],
    ['I am not sure.', 'no-value'],
  ])('%j → no answer (%s)', (text, reason, question) => {
    const reading = inspectAnswer(text, question === undefined ? {} : { question });
    expect(reading.answer).toBeNull();
    expect(reading.noAnswer).toBe(reason);
  });

  it('still takes the last number the model wrote itself after echoing the question', () => {
    const reading = inspectAnswer(`${QUESTION}\nHe has 18 - 5 = 13 left.`, { question: QUESTION });
    expect(reading.answer).toMatchObject({ value: '13', rule: 'last-number', fallback: true });
    expect(reading.noAnswer).toBeNull();
    // A number of the question that the model restates in its own words still counts.
    expect(extractAnswer('So Tom still has all 18, he never gave any.', { question: QUESTION })?.value).toBe('18');
  });

  it('a cue in a refusal still answers', () => {
    expect(extractAnswer("I can't be sure, but the answer is 7.")).toMatchObject({ value: '7', rule: 'the-answer-is' });
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
    // Thousands grouped by spaces (also no-break and thin spaces), as many locales write them.
    expect(parseNumber('1 000 000')).toBe(1_000_000);
    expect(parseNumber('12\u202f345')).toBe(12_345);
    expect(findNumbers('She paid 1 000 000 dollars in 12 months').map((n) => n.canonical)).toEqual(['1000000', '12']);
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
