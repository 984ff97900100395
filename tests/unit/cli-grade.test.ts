/** The real CLI, end to end: `node bin/thinkbench.mjs grade FILE` as a user runs it. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { reasoningFormat, THINK_TAGS } from '../../src/lib/formats/reasoning-format';
import { readAnswer, readerFor } from '../../src/lib/strategies/records';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin/thinkbench.mjs');
const dir = mkdtempSync(join(tmpdir(), 'thinkbench-grade-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('thinkbench grade', () => {
  it('prints one JSON verdict per line', async () => {
    const file = join(dir, 'outputs.jsonl');
    const lines = [
      { output: 'She makes 9 * 2 = $18.\nA: 18', reference: 'She sells 16 - 3 - 4 = <<16-3-4=9>>9 eggs.\n#### 18' },
      { output: '<think>\n2+3=5\n</think>\n\nThe answer is 1,000.', reference: 1000 },
      { output: 'Maybe 4, maybe 7', reference: '4' },
    ];
    writeFileSync(file, `${lines.map((line) => JSON.stringify(line)).join('\n')}\n\n`);
    const { code, stdout, stderr } = await cli('grade', file);
    expect(code).toBe(0);
    const rows = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows).toEqual([
      { line: 1, answer: '18', raw: 'A: 18', rule: 'answer-cue', fallback: false, noAnswer: null, reference: '18', correct: true },
      { line: 2, answer: '1000', raw: 'The answer is 1,000', rule: 'the-answer-is', fallback: false, noAnswer: null, reference: '1000', correct: true },
      { line: 3, answer: '7', raw: '7', rule: 'last-number', fallback: true, noAnswer: null, reference: '4', correct: false },
    ]);
    expect(stderr).toContain('graded 3: 2 correct (66.7%); fallback share 33.3% (1 by the last-number fallback)');
  });

  it('reads a think-tag output exactly as the strategies do: the answer after </think> first', async () => {
    const question = 'What is 23+45-12?';
    const outputs = [
      // A cue inside the chain must not outrank the answer written after it.
      '<think>\nmaybe the answer is 5\n</think>\n\n56',
      '<think>\nThe answer is 5? No.\n23+45=68\n68-12=56\n</think>\n\nThe answer is 56.',
      '<think>\n23+45=68\n68-12=',
      '<think>\nA: 12\n</think>\n\nAnswer: fifty-six',
      '<think>\n23+45=68\n68-12=56\n</think>\n\n',
      'The answer is 56.',
    ];
    const file = join(dir, 'think.jsonl');
    writeFileSync(file, outputs.map((output) => JSON.stringify({ output, reference: '56', question })).join('\n'));
    const { code, stdout } = await cli('grade', file);
    expect(code).toBe(0);
    const rows = stdout.trim().split('\n').map((line) => JSON.parse(line) as { answer: string | null; rule: string | null; fallback: boolean });
    const format = reasoningFormat(THINK_TAGS);
    const reader = readerFor({ id: 'q', question, reference: '56' });
    expect(rows.map(({ answer, rule, fallback }) => ({ answer, rule, fallback }))).toEqual(
      outputs.map((output) => {
        const answer = readAnswer(format, output, reader);
        return { answer: answer?.value ?? null, rule: answer?.rule ?? null, fallback: answer?.fallback ?? false };
      }),
    );
    expect(rows.map((row) => row.answer)).toEqual(['56', '56', '12', null, '56', '56']);
  });

  it('--strict counts answers found only by the last-number fallback as wrong', async () => {
    const file = join(dir, 'strict.jsonl');
    const lines = [
      { output: 'The answer is 7.', reference: '7' },
      { output: 'I added them and got 7', reference: '7' },
      { output: 'I got 8', reference: '7' },
      { output: 'The answer is 9.', reference: '7' },
    ];
    writeFileSync(file, lines.map((line) => JSON.stringify(line)).join('\n'));
    const lenient = await cli('grade', file);
    const strict = await cli('grade', '--strict', file);
    const verdicts = (stdout: string) => stdout.trim().split('\n').map((line) => (JSON.parse(line) as { correct: boolean }).correct);
    expect(verdicts(lenient.stdout)).toEqual([true, true, false, false]);
    expect(verdicts(strict.stdout)).toEqual([true, false, false, false]);
    expect(lenient.stderr).toContain('graded 4: 2 correct (50.0%); fallback share 50.0% (2 by the last-number fallback)');
    expect(strict.stderr).toContain('graded 4 (strict: fallbacks count as wrong): 1 correct (25.0%); fallback share 50.0%');
  });

  it('says why an output has no answer: a cue without a value, a refusal, an echo of the question', async () => {
    const question = 'Tom has 18 apples and gives 5 of them to his sister. How many apples does Tom have left?';
    const file = join(dir, 'none.jsonl');
    const lines = [
      { output: 'Answer: twelve. (She started with 18 apples.)', reference: '13' },
      { output: "I'm sorry, I can't solve problems about 18 apples.", reference: '13' },
      { output: question, reference: '13', question },
      { output: 'No idea.', reference: '13' },
    ];
    writeFileSync(file, lines.map((line) => JSON.stringify(line)).join('\n'));
    const { code, stdout } = await cli('grade', file);
    expect(code).toBe(0);
    const rows = stdout.trim().split('\n').map((line) => JSON.parse(line) as { answer: string | null; noAnswer: string | null });
    expect(rows.map((row) => [row.answer, row.noAnswer])).toEqual([
      [null, 'cue-without-value'],
      [null, 'refusal'],
      [null, 'question-echo'],
      [null, 'no-value'],
    ]);
  });

  it('names the line of a bad input and exits non-zero', async () => {
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, '{"output": "A: 1", "reference": "1"}\n{"output": 3}\n');
    const { code, stderr } = await cli('grade', file);
    expect(code).toBe(1);
    expect(stderr).toContain('bad.jsonl:2: "output" must be a string');
    writeFileSync(file, '{"output": "A: 1", "reference": "1", "question": 7}\n');
    expect((await cli('grade', file)).stderr).toContain('bad.jsonl:1: "question" must be a string');
  });

  it('explains its usage', async () => {
    expect((await cli('grade', '--help')).stdout).toContain('Usage: thinkbench grade FILE.jsonl');
    const missing = await cli('grade');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing FILE.jsonl');
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });
});
