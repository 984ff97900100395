/**
 * Grading: a model's extracted answer against a reference, by value — `1,000` equals
 * `1000.0`, never compared as strings.
 */
import type { ExtractedAnswer } from './types';
import { extractAnswer, type AnswerKind } from './extract';
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
  /** The reference's gold value, or null when it could not be read. */
  reference: string | null;
  correct: boolean;
}

export interface GradeOptions {
  kind?: AnswerKind;
  choices?: readonly string[];
}

export function grade(output: string, reference: string, options: GradeOptions = {}): GradeResult {
  const kind = options.kind ?? inferAnswerKind(parseableReferenceText(reference), options.choices);
  const choiceCount = options.choices?.length || 5;
  const answer = extractAnswer(output, { kind, choiceCount });
  const gold = parseReference(reference, kind);
  const correct = answer !== null && gold !== null && sameAnswer(answer.value, gold, kind);
  return { kind, answer, reference: gold, correct };
}

/** For kind inference, a GSM8K-style reference is judged by its final value, not its rationale. */
function parseableReferenceText(reference: string): string {
  const hash = /####\s*(.*)$/.exec(reference.trim());
  return hash ? hash[1] : reference;
}
