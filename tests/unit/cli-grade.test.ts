/** The real CLI, end to end: `node bin/thinkbench.mjs grade FILE` as a user runs it. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

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
      { line: 1, answer: '18', raw: 'A: 18', rule: 'answer-cue', fallback: false, reference: '18', correct: true },
      { line: 2, answer: '1000', raw: 'The answer is 1,000', rule: 'the-answer-is', fallback: false, reference: '1000', correct: true },
      { line: 3, answer: '7', raw: '7', rule: 'last-number', fallback: true, reference: '4', correct: false },
    ]);
    expect(stderr).toContain('graded 3: 2 correct (66.7%), 1 by the last-number fallback');
  });

  it('names the line of a bad input and exits non-zero', async () => {
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, '{"output": "A: 1", "reference": "1"}\n{"output": 3}\n');
    const { code, stderr } = await cli('grade', file);
    expect(code).toBe(1);
    expect(stderr).toContain('bad.jsonl:2: "output" must be a string');
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
