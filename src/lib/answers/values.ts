/**
 * Reading a value where a cue says the answer is: the value must START the cue's text. Taking
 * the first number anywhere after the cue graded `Answer: twelve. (She started with 18
 * apples.)` as 18; a cue whose text does not start with a value has none.
 *
 * Two forms are read past their first number, because the value they state comes later:
 * - a calculation, `x op y = z` (also `1/2 of 10 is 5`), states its result: z. A calculation
 *   with no result (`Answer: 3 + 4`) states no value.
 * - a correction, `not 5, it is 7` / `not 5 but 7`, states the value after it: 7.
 */
import type { AnswerKind } from './extract';
import { numberAt, type NumberMatch } from './numbers';

export interface ReadValue {
  value: string;
  /** Where the value ends in the cue's text (for the raw text a rule matched). */
  end: number;
}

export type ValueReader = (body: string) => ReadValue | null;

/**
 * What may come before a value without hiding it: a hedge or connective (`the answer is
 * probably 7`, `… is therefore 12`), emphasis and brackets (`**18**`, `\(18\)`, `(18)`).
 */
const LEAD =
  /[ \t]*(?:(?:probably|likely|approximately|about|around|roughly|exactly|just|simply|clearly|indeed|definitely|still|now|therefore|thus|so)\b[ \t,]*)*(?:[*_]+[ \t]*)?(?:\\\(|\\\[|\()?[ \t]*/iy;

/** `not 5, it is 7`, `not 5; rather 7`, `not 5 but 7`: what comes before the corrected value. */
const CORRECTION = /not\b[^\n]*?(?:[,;]|\bbut\b)[ \t]*(?:but[ \t]+)?(?:(?:it|that|this)(?:[ \t]+is|['’]s)[ \t]+|rather[ \t]+)?/iy;

/** An arithmetic operator between two numbers of a calculation. */
const OPERATOR = /[ \t]*(?:[+\-−*×·÷/]|\bx\b|\bof\b|\btimes\b)[ \t]*/y;

/** What introduces a calculation's result. */
const EQUALS = /[ \t]*(?:=|\bis\b|\bequals\b|\bmakes\b)[ \t]*/y;

/** A unit after a number of a calculation: `12 apples - 4 apples = 8 apples`. */
const UNIT = /[ \t]+\p{L}+/uy;

export function valueReader(kind: AnswerKind, choiceCount: number): ValueReader {
  const read = kind === 'number' ? readNumber : kind === 'choice' ? choiceReader(choiceCount) : readYesNo;
  return (body) => {
    const start = skip(LEAD, body, 0);
    const direct = read(body, start);
    if (direct) return direct;
    const corrected = skip(CORRECTION, body, start);
    return corrected > start ? read(body, skip(LEAD, body, corrected)) : null;
  };
}

/** The end of a sticky pattern's match at `index`, or `index` when it does not match there. */
function skip(pattern: RegExp, text: string, index: number): number {
  pattern.lastIndex = index;
  return pattern.test(text) ? pattern.lastIndex : index;
}

/** The number at `start`, or the result of the calculation that starts there. */
function readNumber(body: string, start: number): ReadValue | null {
  const first = numberAt(body, start);
  if (!first) return null;
  let value = first.number.canonical;
  let end = first.end;
  // Whether an operator has been applied since the last result: `3 + 4` alone has no value.
  let pending = false;
  for (;;) {
    const step = nextStep(body, end) ?? nextStep(body, skip(UNIT, body, end));
    if (!step) break;
    end = step.number.end;
    pending = step.operator;
    if (!step.operator) value = step.number.number.canonical;
  }
  return pending ? null : { value, end };
}

/** The operand (`- 4`) or the result (`= 8`, `is 5`) that follows a calculation's number at `end`. */
function nextStep(body: string, end: number): { operator: boolean; number: NumberMatch } | null {
  const afterOperator = skip(OPERATOR, body, end);
  const operand = afterOperator > end ? numberAt(body, afterOperator) : null;
  if (operand) return { operator: true, number: operand };
  const afterEquals = skip(EQUALS, body, end);
  const result = afterEquals > end ? numberAt(body, afterEquals) : null;
  return result ? { operator: false, number: result } : null;
}

function choiceReader(choiceCount: number): (body: string, start: number) => ReadValue | null {
  const pattern = new RegExp(String.raw`\(?([${choiceLetters(choiceCount)}])\)?(?![A-Za-z0-9])`, 'y');
  return (body, start) => {
    pattern.lastIndex = start;
    const match = pattern.exec(body);
    return match ? { value: match[1], end: pattern.lastIndex } : null;
  };
}

function readYesNo(body: string, start: number): ReadValue | null {
  const pattern = /\W*(yes|no)\b/iy;
  pattern.lastIndex = start;
  const match = pattern.exec(body);
  return match ? { value: match[1].toLowerCase(), end: pattern.lastIndex } : null;
}

/** The letters of `count` choices as a character-class range, `A-E`. */
export function choiceLetters(count: number): string {
  const n = Math.max(1, Math.min(26, Math.floor(count)));
  return `A-${String.fromCharCode(64 + n)}`;
}
