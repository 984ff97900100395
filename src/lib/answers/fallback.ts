/**
 * The last-number fallback, for a text with no answer cue: the last number the model stated
 * itself. Numbers that are not the model's answer are left out:
 * - every number of a refusal ("I can't solve this without knowing how many of the 18 apples…"):
 *   a text that declines to answer has no last-number answer, whatever numbers it mentions;
 * - numbers inside text copied from the question (a model that only echoes the question has
 *   not answered it), when the question is known;
 * - the value of a `Wrong answer:` / `Incorrect answer:` line: the model says it is not the answer.
 */
import { findNumbers, type FoundNumber } from './numbers';

/** Why the fallback found nothing; `no-value` when the text holds no eligible number. */
export type FallbackMiss = 'refusal' | 'question-echo' | 'no-value';

export type FallbackResult = { number: FoundNumber } | { miss: FallbackMiss };

/**
 * A refusal: "I can't / cannot / am unable to / won't" + a verb of answering, or "as an AI".
 * Hedges ("I'm not sure", "I can't be certain") are not refusals.
 */
const REFUSAL =
  /\b(?:I(?:[ \t]+(?:cannot|can[’']?t|can[ \t]+not|won[’']t|will[ \t]+not|am[ \t]+(?:unable|not[ \t]+able)[ \t]+to)|[’']m[ \t]+(?:unable|not[ \t]+able)[ \t]+to)[ \t]+(?:help|answer|solve|provide|determine|calculate|compute|work[ \t]+out|figure[ \t]+out|assist|do[ \t]+(?:this|that))\b|as[ \t]+an[ \t]+AI\b)/i;

/** `Wrong answer: 56`: the rest of the line is a value the model rejects. */
const REJECTED = /\b(?:wrong|incorrect)[ \t]+(?:final[ \t]+)?answer[ \t]*\**[ \t]*[:：][^\n]*/gi;

/** A run of this many words shared with the question is an echo of it, not the model's own text. */
const ECHO_WORDS = 6;

export function isRefusal(text: string): boolean {
  return REFUSAL.test(text);
}

export function lastNumberFallback(text: string, question?: string): FallbackResult {
  if (isRefusal(text)) return { miss: 'refusal' };
  const numbers = findNumbers(text);
  if (numbers.length === 0) return { miss: 'no-value' };
  const echoed = question ? echoSpans(text, question) : [];
  const rejected = [...text.matchAll(REJECTED)].map((match): Span => [match.index ?? 0, (match.index ?? 0) + match[0].length]);
  const inside = (spans: readonly Span[], number: FoundNumber) => {
    const at = digitIndex(text, number);
    return spans.some(([from, to]) => at >= from && at < to);
  };
  const eligible = numbers.filter((number) => !inside(echoed, number) && !inside(rejected, number));
  const last = eligible.at(-1);
  if (last) return { number: last };
  return { miss: numbers.some((number) => inside(echoed, number)) ? 'question-echo' : 'no-value' };
}

/** Where a number's first digit is (its match may start at a sign, `$` or a space). */
function digitIndex(text: string, number: FoundNumber): number {
  const from = text.indexOf(number.raw, number.index);
  return Math.max(from, number.index) + Math.max(0, number.raw.search(/[\d.]/));
}

/** [from, to) character offsets. */
type Span = [number, number];

interface Word {
  text: string;
  from: number;
  to: number;
}

function words(text: string): Word[] {
  return [...text.matchAll(/[\p{L}]+|\d+(?:[.,]\d+)*/gu)].map((match) => ({
    text: match[0].toLowerCase(),
    from: match.index ?? 0,
    to: (match.index ?? 0) + match[0].length,
  }));
}

/**
 * Parts of `text` copied from `question`: runs of ECHO_WORDS words (letters or numbers, case and
 * punctuation ignored) that also follow one another in the question. A run must hold at least
 * three words of letters, so a chain that repeats the question's numbers (`23 + 45 - 12`) is
 * not mistaken for an echo.
 */
function echoSpans(text: string, question: string): Span[] {
  const asked = words(question).map((word) => word.text);
  const grams = new Set<string>();
  for (let i = 0; i + ECHO_WORDS <= asked.length; i++) grams.add(asked.slice(i, i + ECHO_WORDS).join(' '));
  const said = words(text);
  const spans: Span[] = [];
  for (let i = 0; i + ECHO_WORDS <= said.length; i++) {
    const run = said.slice(i, i + ECHO_WORDS);
    const lettered = run.filter((word) => /^\p{L}/u.test(word.text)).length;
    if (lettered >= 3 && grams.has(run.map((word) => word.text).join(' '))) spans.push([run[0].from, run[ECHO_WORDS - 1].to]);
  }
  return spans;
}
