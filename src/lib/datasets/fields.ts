import { DatasetParseError } from './errors';
import type { DatasetProblem } from './types';
import type { LocatedRecord } from './records';

/**
 * Which field of a record holds what. `choices` is either one field holding a list (a JSON array,
 * or in CSV a JSON array text or `A|B|C`) or several fields, one per choice.
 */
export interface FieldMapping {
  question: string;
  reference: string;
  choices?: string | readonly string[];
  split?: string;
  id?: string;
}

/**
 * How to read the reference: `value` is the answer itself (a number, a letter, yes/no);
 * `gsm8k` is a GSM8K solution whose last line is `#### <number>`.
 */
export type ReferenceFormat = 'value' | 'gsm8k';

/** Whether a location is a file line or a row of a remote table (changes only the wording of errors). */
export type LocationUnit = 'line' | 'row';

/**
 * Turns every record into a problem, or throws at the first bad one; ids are `q<index>` unless
 * the mapping names an id field, so the same data gives the same ids from a file or the hub.
 */
export function problemsFromRecords(
  records: readonly LocatedRecord[],
  mapping: FieldMapping,
  referenceFormat: ReferenceFormat,
  unit: LocationUnit = 'line',
  firstIndex = 0,
): DatasetProblem[] {
  const seenIds = new Map<string, number>();
  return records.map(({ line, record }, index) => {
    const at = (field: string) => ({ line, field, unit });
    const question = requiredText(record, mapping.question, at(mapping.question));
    const referenceText = requiredText(record, mapping.reference, at(mapping.reference));
    const reference = referenceFormat === 'gsm8k' ? gsm8kReference(referenceText, at(mapping.reference)) : referenceText;
    const problem: DatasetProblem = { id: `q${firstIndex + index}`, question, reference };
    if (mapping.id !== undefined) {
      problem.id = requiredText(record, mapping.id, at(mapping.id));
      const earlier = seenIds.get(problem.id);
      if (earlier !== undefined) throw new DatasetParseError(`id "${problem.id}" already used on ${unit} ${earlier}`, at(mapping.id));
      seenIds.set(problem.id, line);
    }
    if (mapping.choices !== undefined) problem.choices = readChoices(record, mapping.choices, line, unit);
    if (mapping.split !== undefined) problem.split = requiredText(record, mapping.split, at(mapping.split));
    return problem;
  });
}

/** The number after the last `####`, as canonical decimal text (`1,000` → `1000`). */
export function gsm8kReference(answer: string, location: { line: number; field: string; unit: LocationUnit }): string {
  const marker = answer.lastIndexOf('####');
  if (marker < 0) throw new DatasetParseError('expected the answer to end with "#### <number>"', location);
  const raw = answer.slice(marker + 4).trim();
  const cleaned = raw.replace(/[,$]/g, '').replace(/\.$/, '');
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) throw new DatasetParseError(`"#### ${raw}" is not a number`, location);
  return String(Number(cleaned));
}

function requiredText(record: Record<string, unknown>, field: string, location: { line: number; field: string; unit: LocationUnit }): string {
  if (!(field in record)) throw new DatasetParseError('missing', location);
  const text = scalarText(record[field]);
  if (text === null) throw new DatasetParseError(`expected text or a number, found ${describe(record[field])}`, location);
  if (text.trim() === '') throw new DatasetParseError('empty', location);
  return text.trim();
}

function readChoices(record: Record<string, unknown>, mapping: string | readonly string[], line: number, unit: LocationUnit): string[] {
  if (typeof mapping !== 'string') return mapping.map((field) => requiredText(record, field, { line, field, unit }));
  const location = { line, field: mapping, unit };
  if (!(mapping in record)) throw new DatasetParseError('missing', location);
  let value = record[mapping];
  if (typeof value === 'string') value = parseChoiceText(value, location);
  if (!Array.isArray(value) || value.length < 2) throw new DatasetParseError('expected a list of at least two choices', location);
  return value.map((choice, index) => {
    const text = scalarText(choice);
    if (text === null || text.trim() === '') throw new DatasetParseError(`choice ${index + 1} is not text`, location);
    return text.trim();
  });
}

/** CSV cells hold lists as a JSON array (`["a","b"]`) or pipe separated (`a|b`). */
function parseChoiceText(text: string, location: { line: number; field: string; unit: LocationUnit }): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[')) return trimmed.split('|');
  try {
    return JSON.parse(trimmed);
  } catch {
    throw new DatasetParseError('choices look like a JSON array but do not parse', location);
  }
}

function scalarText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : typeof value;
}
