import { describe, expect, it } from 'vitest';
import { parseGsm8kJsonl } from '../../src/lib/datasets/gsm8k';
import { parseTabular } from '../../src/lib/datasets/tabular';
import { DatasetParseError } from '../../src/lib/datasets/errors';
import { describeSource } from '../../src/lib/datasets/types';

function parseError(run: () => unknown): DatasetParseError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetParseError);
    return error as DatasetParseError;
  }
  throw new Error('expected a DatasetParseError');
}

const gsm8kLine = (question: string, answer: string) => JSON.stringify({ question, answer });

describe('GSM8K JSONL', () => {
  const text = [
    gsm8kLine('Natalia sold 48 clips…', 'Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n#### 72'),
    '',
    gsm8kLine('A big one', 'So $1,000 in all.\n#### 1,000'),
  ].join('\n');

  it('reads questions and the number after ####, skipping blank lines', () => {
    const dataset = parseGsm8kJsonl(text, { fileName: 'test.jsonl' });
    expect(dataset.problems).toEqual([
      { id: 'q0', question: 'Natalia sold 48 clips…', reference: '72' },
      { id: 'q1', question: 'A big one', reference: '1000' },
    ]);
    expect(dataset.source).toEqual({ kind: 'file', format: 'gsm8k', fileName: 'test.jsonl' });
    expect(describeSource(dataset.source)).toBe('GSM8K file test.jsonl');
    // The same content gives the same id; other content another.
    expect(parseGsm8kJsonl(text, { fileName: 'x.jsonl' }).id).toBe(dataset.id);
    expect(parseGsm8kJsonl(text + '\n' + gsm8kLine('q', '#### 1'), { fileName: 'x.jsonl' }).id).not.toBe(dataset.id);
  });

  it.each([
    ['invalid JSON', `${gsm8kLine('a', '#### 1')}\n{"question": "b",`, 2, null, /not valid JSON/],
    ['not an object', `${gsm8kLine('a', '#### 1')}\n[1,2]`, 2, null, /JSON object/],
    ['missing answer', `${gsm8kLine('a', '#### 1')}\n\n${JSON.stringify({ question: 'b' })}`, 3, 'answer', /missing/],
    ['answer without ####', `${gsm8kLine('a', 'it is 4')}`, 1, 'answer', /####/],
    ['#### not a number', `${gsm8kLine('a', '#### 1')}\n${gsm8kLine('b', '#### four')}`, 2, 'answer', /not a number/],
    ['question not text', `${JSON.stringify({ question: ['x'], answer: '#### 1' })}`, 1, 'question', /a list/],
    ['empty question', `${gsm8kLine('  ', '#### 1')}`, 1, 'question', /empty/],
  ])('names the line and field: %s', (_label, input, line, field, message) => {
    const error = parseError(() => parseGsm8kJsonl(input, { fileName: 'bad.jsonl' }));
    expect(error.line).toBe(line);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`line ${line}`);
    if (field) expect(error.message).toContain(`field "${field}"`);
  });

  it('rejects an empty file', () => {
    expect(parseError(() => parseGsm8kJsonl('\n\n', { fileName: 'empty.jsonl' })).message).toMatch(/no records/);
  });
});

describe('general JSONL/CSV with a field mapping', () => {
  it('maps JSONL fields, numbers as text, choices from a list, and filters a split', () => {
    const text = [
      JSON.stringify({ q: 'Which?', a: 'B', opts: ['x', 'y', 3], part: 'test' }),
      JSON.stringify({ q: 'Sum?', a: 7, opts: ['1', '7'], part: 'train' }),
    ].join('\n');
    const mapping = { question: 'q', reference: 'a', choices: 'opts', split: 'part' };
    const all = parseTabular(text, { format: 'jsonl', fileName: 'mc.jsonl', mapping });
    expect(all.problems).toEqual([
      { id: 'q0', question: 'Which?', reference: 'B', choices: ['x', 'y', '3'], split: 'test' },
      { id: 'q1', question: 'Sum?', reference: '7', choices: ['1', '7'], split: 'train' },
    ]);
    const test = parseTabular(text, { format: 'jsonl', fileName: 'mc.jsonl', mapping, split: 'test' });
    expect(test.problems.map((p) => p.id)).toEqual(['q0']);
    expect(test.id).not.toBe(all.id);
    expect(test.name).toBe('mc.jsonl (test)');
  });

  it('reads RFC 4180 CSV: quotes, commas, newlines and doubled quotes inside fields, CRLF, choice columns', () => {
    const text =
      'id,question,answer,A,B\r\n' +
      'p1,"He said ""hi"", then left.\nWhy?",A,because,no reason\r\n' +
      'p2,Plain,B,yes,no\r\n';
    const dataset = parseTabular(text, {
      format: 'csv',
      fileName: 'q.csv',
      mapping: { id: 'id', question: 'question', reference: 'answer', choices: ['A', 'B'] },
    });
    expect(dataset.problems).toEqual([
      { id: 'p1', question: 'He said "hi", then left.\nWhy?', reference: 'A', choices: ['because', 'no reason'] },
      { id: 'p2', question: 'Plain', reference: 'B', choices: ['yes', 'no'] },
    ]);
  });

  it('reads CSV choice cells as pipes or a JSON array and GSM8K references on request', () => {
    const text = 'question,answer,choices\nQ1,#### 5,a|b|c\nQ2,"#### 1,200","[""x"",""y""]"\n';
    const dataset = parseTabular(text, {
      format: 'csv',
      fileName: 'g.csv',
      referenceFormat: 'gsm8k',
      mapping: { question: 'question', reference: 'answer', choices: 'choices' },
    });
    expect(dataset.problems.map((p) => [p.reference, p.choices])).toEqual([
      ['5', ['a', 'b', 'c']],
      ['1200', ['x', 'y']],
    ]);
  });

  it.each([
    ['wrong field count', 'question,answer\nQ1,1\nQ2,2,extra\n', 3, null, /expected 2 fields/],
    ['quoted field never closed', 'question,answer\nQ1,1\n"Q2,2\n', 3, null, /never closed/],
    ['line counted through a multi-line field', 'question,answer\n"Q1\nstill Q1",1\nQ2,\n', 4, 'answer', /empty/],
    ['missing mapped column', 'prompt,answer\nQ1,1\n', 2, 'question', /missing/],
    ['duplicate header', 'question,question\nQ1,1\n', 1, null, /twice/],
    ['duplicate id', 'id,question,answer\na,Q1,1\na,Q2,2\n', 3, 'id', /already used on line 2/],
  ])('CSV errors name the line and field: %s', (_label, text, line, field, message) => {
    const error = parseError(() =>
      parseTabular(text, { format: 'csv', fileName: 'bad.csv', mapping: { id: text.startsWith('id') ? 'id' : undefined, question: 'question', reference: 'answer' } }),
    );
    expect(error.line).toBe(line);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it('validates every record even when a split filter would drop the bad one', () => {
    const text = [JSON.stringify({ q: 'a', a: '1', s: 'test' }), JSON.stringify({ q: 'b', s: 'train' })].join('\n');
    const error = parseError(() =>
      parseTabular(text, { format: 'jsonl', fileName: 'x.jsonl', split: 'test', mapping: { question: 'q', reference: 'a', split: 's' } }),
    );
    expect([error.line, error.field]).toEqual([2, 'a']);
  });

  it('explains an unknown split and a split without a mapped field', () => {
    const text = JSON.stringify({ q: 'a', a: '1', s: 'train' });
    expect(
      parseError(() => parseTabular(text, { format: 'jsonl', fileName: 'x', split: 'test', mapping: { question: 'q', reference: 'a', split: 's' } })).message,
    ).toMatch(/no records in split "test" \(splits found: train\)/);
    expect(parseError(() => parseTabular(text, { format: 'jsonl', fileName: 'x', split: 'test', mapping: { question: 'q', reference: 'a' } })).message).toMatch(
      /no split field/,
    );
  });

  it('rejects choices that are not a list of at least two', () => {
    const text = JSON.stringify({ q: 'a', a: 'A', c: ['only'] });
    const error = parseError(() => parseTabular(text, { format: 'jsonl', fileName: 'x', mapping: { question: 'q', reference: 'a', choices: 'c' } }));
    expect([error.line, error.field]).toEqual([1, 'c']);
  });
});
