/**
 * Reads the final answer out of a model's text, and says which rule found it.
 *
 * Rules, most explicit first; the first rule that yields a value of the expected kind wins,
 * and within a rule the LAST occurrence wins (models restate, then conclude):
 * `#### n` (GSM8K, Chain of Draft) → `\boxed{n}` → an answer cue (`Answer: n`, `A: n`,
 * `Final answer: n`) → "The answer is n" → kind-specific bare forms (a lone choice letter,
 * yes/no) → for numbers only, the last number anywhere, flagged `fallback`.
 */
import type { ExtractedAnswer, ExtractionRule } from './types';
import { findNumbers } from './numbers';

/** What kind of value a question expects. */
export type AnswerKind = 'number' | 'choice' | 'yes-no';

export interface ExtractOptions {
  kind?: AnswerKind;
  /** For `choice`: how many options there are (letters A… up to this many); default 5. */
  choiceCount?: number;
}

interface Found {
  value: string;
  /** Offset of the value's end within the searched segment. */
  end: number;
}

type ValueReader = (segment: string) => Found | null;

interface CueRule {
  rule: ExtractionRule;
  /** Global pattern; the value is read from the text after the match. */
  pattern: RegExp;
}

const CUE_RULES: readonly CueRule[] = [
  { rule: 'gsm8k-hash', pattern: /####[ \t]*/g },
  // `incorrect answer:` (learn-from-mistakes exemplars) is not a cue for the final answer.
  { rule: 'answer-cue', pattern: /(?<![\w-])(?<!incorrect )(?:final answer|answer)[ \t]*[:：][ \t]*|(?<![\w])A:[ \t]*/gi },
  { rule: 'the-answer-is', pattern: /\bthe (?:final |correct )?answer (?:is|=)[ \t]*:?[ \t]*/gi },
];

export function extractAnswer(text: string, options: ExtractOptions = {}): ExtractedAnswer | null {
  const kind = options.kind ?? 'number';
  const read = valueReader(kind, options.choiceCount ?? 5);
  return (
    fromCue(text, CUE_RULES[0], read) ??
    fromBoxed(text, read) ??
    fromCue(text, CUE_RULES[1], read) ??
    fromCue(text, CUE_RULES[2], read) ??
    bare(text, kind, options.choiceCount ?? 5)
  );
}

function fromCue(text: string, cue: CueRule, read: ValueReader): ExtractedAnswer | null {
  const matches = [...text.matchAll(new RegExp(cue.pattern.source, cue.pattern.flags))];
  for (const match of matches.reverse()) {
    const start = (match.index ?? 0) + match[0].length;
    // The value must be on the cue's own line: `Answer:\n\n(reasoning…)` is not an answer.
    const line = text.slice(start).split('\n', 1)[0];
    const found = read(line);
    if (found) return answer(found.value, text.slice(match.index, start + found.end), cue.rule);
  }
  return null;
}

function fromBoxed(text: string, read: ValueReader): ExtractedAnswer | null {
  const matches = [...text.matchAll(/\\boxed\s*\{((?:[^{}]|\{[^{}]*\})*)\}/g)];
  for (const match of matches.reverse()) {
    const found = read(latexToPlain(match[1]));
    if (found) return answer(found.value, match[0], 'boxed');
  }
  return null;
}

/** `\frac{3}{4}` → `3/4`; drops `\text{…}` units, `\!` and `\,` spacing, `\$`. */
function latexToPlain(latex: string): string {
  return latex
    .replace(/\\d?frac\{([^{}]*)\}\{([^{}]*)\}/g, '$1/$2')
    .replace(/\\text\{[^{}]*\}/g, '')
    .replace(/\\[!,;]/g, '')
    .replace(/\\\$/g, '$')
    .replace(/\\%/g, '%');
}

function bare(text: string, kind: AnswerKind, choiceCount: number): ExtractedAnswer | null {
  if (kind === 'choice') {
    const letters = choiceLetters(choiceCount);
    const whole = new RegExp(String.raw`^\s*\(?([${letters}])\)?[.:]?\s*$`).exec(text);
    if (whole) return answer(whole[1], text.trim(), 'choice-letter');
    const paren = [...text.matchAll(new RegExp(String.raw`\(([${letters}])\)`, 'g'))].at(-1);
    return paren ? answer(paren[1], paren[0], 'choice-letter') : null;
  }
  if (kind === 'yes-no') {
    const first = /^\W*(yes|no)\b/i.exec(text);
    const match = first ?? [...text.matchAll(/\b(yes|no)\b/gi)].at(-1);
    return match ? answer(match[1].toLowerCase(), match[0].trim(), 'yes-no') : null;
  }
  const last = findNumbers(text).at(-1);
  return last ? { value: last.canonical, raw: last.raw, rule: 'last-number', fallback: true } : null;
}

function answer(value: string, raw: string, rule: ExtractionRule): ExtractedAnswer {
  return { value, raw: raw.trim(), rule, fallback: false };
}

function choiceLetters(count: number): string {
  const n = Math.max(1, Math.min(26, Math.floor(count)));
  return `A-${String.fromCharCode(64 + n)}`;
}

function valueReader(kind: AnswerKind, choiceCount: number): ValueReader {
  if (kind === 'number') {
    return (segment) => {
      const first = findNumbers(segment)[0];
      return first ? { value: first.canonical, end: first.index + segment.slice(first.index).indexOf(first.raw) + first.raw.length } : null;
    };
  }
  if (kind === 'choice') {
    const pattern = new RegExp(String.raw`^\s*\**\(?([${choiceLetters(choiceCount)}])\)?(?![A-Za-z0-9])`);
    return (segment) => {
      const match = pattern.exec(segment);
      return match ? { value: match[1], end: match[0].length } : null;
    };
  }
  return (segment) => {
    const match = /^\W*(yes|no)\b/i.exec(segment);
    return match ? { value: match[1].toLowerCase(), end: match[0].length } : null;
  };
}
