/**
 * Grading: a model's extracted answer against a reference, by value — `1,000` equals
 * `1000.0`, never compared as strings.
 */
import type { ExtractedAnswer } from './types';
import { extractAnswer, type AnswerKind, type NoAnswerReason } from './extract';
import { inspectFinalAnswer, THINK_TAG_PAIR, type ThinkTags } from './final-answer';
import { canonicalNumberText, parseNumber, sameNumber } from './numbers';

/**
 * What kind of answer a reference asks for: `choice` when the problem lists choices or the
 * reference is a lone letter, `yes-no` for yes/no, otherwise `number`.
 */
export function inferAnswerKind(reference: string, choices?: readonly string[]): AnswerKind {
  if (choices && choices.length > 0) return 'choice';
  const trimmed = reference.trim();
  if (/^(yes|no)\.?$/i.test(trimmed)) return 'yes-no';
  if (/^\(?[A-Z]\)?\.?$/.test(trimmed)) return 'choice';
  return 'number';
}

/**
 * The gold value of a reference: a plain value (`18`, `$1,000`, `B`, `Yes`), a GSM8K answer
 * (rationale, then `#### 18`), or a solution ending `A: 18`. Null when the reference holds
 * no value of the kind (a last-number guess is not trusted for a gold answer).
 */
export function parseReference(reference: string, kind: AnswerKind = inferAnswerKind(reference)): string | null {
  const trimmed = reference.trim();
  if (kind === 'number') {
    const plain = canonicalNumberText(trimmed);
    if (plain !== null) return plain;
  }
  const found = extractAnswer(trimmed, { kind, choiceCount: 26 });
  return found && !found.fallback ? found.value : null;
}

/** Two normalised answers of the same kind are the same answer. */
export function sameAnswer(a: string, b: string, kind: AnswerKind = 'number'): boolean {
  if (kind === 'number') {
    const x = parseNumber(a);
    const y = parseNumber(b);
    return x !== null && y !== null && sameNumber(x, y);
  }
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

export interface GradeResult {
  kind: AnswerKind;
  answer: ExtractedAnswer | null;
  /** Why no answer was read; null when one was. */
  noAnswer: NoAnswerReason | null;
  /** The reference's gold value, or null when it could not be read. */
  reference: string | null;
  /** The answer is the reference (in strict mode: and was read by a cue, not the fallback). */
  correct: boolean;
}

export interface GradeOptions {
  kind?: AnswerKind;
  choices?: readonly string[];
  /** The question asked: the last-number fallback never takes numbers from an echo of it. */
  question?: string;
  /** Count an answer found only by the last-number fallback as wrong. */
  strict?: boolean;
  /** The think tags split off before reading the answer (null: none); default `<think>…</think>`. */
  thinkTags?: ThinkTags | null;
}

/** Grades a whole model output: its chain of thought is split off exactly as the strategies do. */
export function grade(output: string, reference: string, options: GradeOptions = {}): GradeResult {
  const kind = options.kind ?? inferAnswerKind(parseableReferenceText(reference), options.choices);
  const choiceCount = options.choices?.length || 5;
  const reading = inspectFinalAnswer(
    output,
    { kind, choiceCount, ...(options.question !== undefined ? { question: options.question } : {}) },
    options.thinkTags === undefined ? THINK_TAG_PAIR : options.thinkTags,
  );
  const { answer } = reading;
  const gold = parseReference(reference, kind);
  const same = answer !== null && gold !== null && sameAnswer(answer.value, gold, kind);
  return { kind, answer, noAnswer: reading.noAnswer, reference: gold, correct: same && !(options.strict && answer?.fallback) };
}

/** For kind inference, a GSM8K-style reference is judged by its final value, not its rationale. */
function parseableReferenceText(reference: string): string {
  const hash = /####\s*(.*)$/.exec(reference.trim());
  return hash ? hash[1] : reference;
}
