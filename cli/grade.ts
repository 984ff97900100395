/**
 * `thinkbench grade FILE.jsonl`: grades model outputs against references, one JSON line out per
 * line in. Each input line is `{"output": "<model text>", "reference": "<GSM8K answer or value>"}`.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { grade, type GradeResult } from '../src/lib/answers/grade';
import type { AnswerKind } from '../src/lib/answers/extract';
import { EXIT, UsageError, type CliIo, type Command } from './io';

const KINDS: readonly AnswerKind[] = ['number', 'choice', 'yes-no'];

const USAGE = `Usage: thinkbench grade FILE.jsonl [--kind number|choice|yes-no] [--strict]

Grades model outputs. Each line of FILE (or stdin when FILE is -) is a JSON object with
  output     the model's text; a <think>…</think> chain is split off as the app's strategies
             do, and the answer is read from what follows it first
  reference  the gold answer: a GSM8K answer (ending "#### n"), "A: n", or a plain value
  question   (optional) the question: numbers in an output that only repeats it are no answer
and prints one JSON line per input: {"line", "answer", "raw", "rule", "fallback", "noAnswer",
"reference", "correct"}. Numbers are compared by value (1,000 = 1000.0). The rule says how the
answer was found: the last answer cue in the text (#### n, \\boxed{n}, Answer: n, A: n at a
line start, "the answer is n"), whose value must start the cue's text; "last-number" is a
fallback and sets "fallback": true. Without an answer, "noAnswer" says why: cue-without-value,
refusal, question-echo or no-value. A summary with the fallback share goes to stderr.

Options:
  --kind     what the answers are (default: inferred from each reference)
  --strict   count answers found only by the last-number fallback as wrong`;

export class GradeInputError extends Error {
  override readonly name = 'GradeInputError';
}

export interface GradeLine {
  output: string;
  reference: string;
  question?: string;
}

/** One input line, parsed and checked; errors name the file and line. */
export function parseGradeLine(text: string, where: string): GradeLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new GradeInputError(`${where}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GradeInputError(`${where}: expected a JSON object with "output" and "reference"`);
  }
  const output: unknown = Reflect.get(value, 'output');
  const reference: unknown = Reflect.get(value, 'reference');
  if (typeof output !== 'string') throw new GradeInputError(`${where}: "output" must be a string`);
  if (typeof reference !== 'string' && typeof reference !== 'number') {
    throw new GradeInputError(`${where}: "reference" must be a string or a number`);
  }
  const question: unknown = Reflect.get(value, 'question');
  if (question !== undefined && typeof question !== 'string') throw new GradeInputError(`${where}: "question" must be a string`);
  return { output, reference: String(reference), ...(question !== undefined ? { question } : {}) };
}

export function gradeRow(line: number, result: GradeResult): Record<string, unknown> {
  return {
    line,
    answer: result.answer?.value ?? null,
    raw: result.answer?.raw ?? null,
    rule: result.answer?.rule ?? null,
    fallback: result.answer?.fallback ?? false,
    noAnswer: result.noAnswer,
    reference: result.reference,
    correct: result.correct,
  };
}

export const gradeCommand: Command = {
  summary: 'grade model outputs in a JSONL file against references (GSM8K answers or values)',
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { file, kind, strict } = parseGradeArgs(argv);
    const input = file === '-' ? io.stdin : await openFile(file);
    let lineNumber = 0;
    let graded = 0;
    let correct = 0;
    let fallbacks = 0;
    for await (const text of createInterface({ input, crlfDelay: Infinity })) {
      lineNumber += 1;
      if (text.trim() === '') continue;
      const row = parseGradeLine(text, `${file}:${lineNumber}`);
      const result = grade(row.output, row.reference, {
        strict,
        ...(kind ? { kind } : {}),
        ...(row.question !== undefined ? { question: row.question } : {}),
      });
      graded += 1;
      if (result.correct) correct += 1;
      if (result.answer?.fallback) fallbacks += 1;
      io.stdout.write(`${JSON.stringify(gradeRow(lineNumber, result))}\n`);
    }
    const percent = (count: number) => (graded > 0 ? ((100 * count) / graded).toFixed(1) : '0.0');
    const mode = strict ? ' (strict: fallbacks count as wrong)' : '';
    io.stderr.write(
      `graded ${graded}${mode}: ${correct} correct (${percent(correct)}%); fallback share ${percent(fallbacks)}% (${fallbacks} by the last-number fallback)\n`,
    );
    return EXIT.ok;
  },
};

/** Opens a file for reading, or fails with a message naming it (before any output). */
async function openFile(file: string): Promise<NodeJS.ReadableStream> {
  const stream = createReadStream(file, { encoding: 'utf8' });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (error) => reject(new GradeInputError(`cannot read ${file}: ${error.message}`)));
  });
  return stream;
}

function parseGradeArgs(argv: readonly string[]): { file: string; kind: AnswerKind | undefined; strict: boolean } {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { kind: { type: 'string' }, strict: { type: 'boolean' } } });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const [file, ...extra] = parsed.positionals;
  if (file === undefined) throw new UsageError('missing FILE.jsonl');
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const kind = parsed.values.kind;
  if (kind !== undefined && !KINDS.some((k) => k === kind)) {
    throw new UsageError(`--kind must be one of ${KINDS.join(', ')}, got "${kind}"`);
  }
  return { file, kind: KINDS.find((k) => k === kind), strict: parsed.values.strict ?? false };
}
