/**
 * Reads the final answer out of a model's text, and says which rule found it — or why there is
 * none.
 *
 * 1. Answer cues (`#### n`, `\boxed{n}`, `Answer: n`, `A: n` at a line start, "The answer is
 *    n"; see cues.ts): the LAST cue in the text decides, whichever rule found it, and its value
 *    must start the cue's text (values.ts). A last cue without a readable value means no
 *    answer: an earlier cue was superseded, and a number elsewhere is not what the cue said.
 * 2. Without a cue, kind-specific bare forms: a lone choice letter, yes/no.
 * 3. For numbers only, the last number the model stated itself, flagged `fallback`
 *    (fallback.ts: not from a refusal, the question, or a value called wrong).
 */
import type { ExtractedAnswer } from './types';
import { findCues } from './cues';
import { lastNumberFallback, type FallbackMiss } from './fallback';
import { choiceLetters, valueReader } from './values';

/** What kind of value a question expects. */
export type AnswerKind = 'number' | 'choice' | 'yes-no';

export interface ExtractOptions {
  kind?: AnswerKind;
  /** For `choice`: how many options there are (letters A… up to this many); default 5. */
  choiceCount?: number;
  /** The question asked: numbers in text that only repeats it are not the fallback's answer. */
  question?: string;
}

/**
 * Why a text has no answer: its last cue holds no value of the kind (`Answer: twelve`), it is
 * a refusal, it only repeats the question's numbers, or it holds no value at all.
 */
export type NoAnswerReason = 'cue-without-value' | FallbackMiss;

export type AnswerReading = { answer: ExtractedAnswer; noAnswer: null } | { answer: null; noAnswer: NoAnswerReason };

export function inspectAnswer(text: string, options: ExtractOptions = {}): AnswerReading {
  const kind = options.kind ?? 'number';
  const choiceCount = options.choiceCount ?? 5;
  const lastCue = findCues(text).at(-1);
  if (lastCue) {
    const read = valueReader(kind, choiceCount)(lastCue.body);
    return read ? found(answer(read.value, lastCue.raw(read.end), lastCue.rule)) : { answer: null, noAnswer: 'cue-without-value' };
  }
  if (kind === 'choice') return orNoValue(bareChoice(text, choiceCount));
  if (kind === 'yes-no') return orNoValue(bareYesNo(text));
  const fallback = lastNumberFallback(text, options.question);
  if ('miss' in fallback) return { answer: null, noAnswer: fallback.miss };
  const { number } = fallback;
  return found({ value: number.canonical, raw: number.raw, rule: 'last-number', fallback: true });
}

export function extractAnswer(text: string, options: ExtractOptions = {}): ExtractedAnswer | null {
  return inspectAnswer(text, options).answer;
}

function found(answer: ExtractedAnswer): AnswerReading {
  return { answer, noAnswer: null };
}

function orNoValue(answer: ExtractedAnswer | null): AnswerReading {
  return answer ? found(answer) : { answer: null, noAnswer: 'no-value' };
}

function bareChoice(text: string, choiceCount: number): ExtractedAnswer | null {
  const letters = choiceLetters(choiceCount);
  const whole = new RegExp(String.raw`^\s*\(?([${letters}])\)?[.:]?\s*$`).exec(text);
  if (whole) return answer(whole[1], text.trim(), 'choice-letter');
  const paren = [...text.matchAll(new RegExp(String.raw`\(([${letters}])\)`, 'g'))].at(-1);
  return paren ? answer(paren[1], paren[0], 'choice-letter') : null;
}

function bareYesNo(text: string): ExtractedAnswer | null {
  const first = /^\W*(yes|no)\b/i.exec(text);
  const match = first ?? [...text.matchAll(/\b(yes|no)\b/gi)].at(-1);
  return match ? answer(match[1].toLowerCase(), match[0].trim(), 'yes-no') : null;
}

function answer(value: string, raw: string, rule: ExtractedAnswer['rule']): ExtractedAnswer {
  return { value, raw: raw.trim(), rule, fallback: false };
}
