/**
 * The trainer's slipped chains (tools/tinythink/data.py: written_totals, SLIP_RATE): a training
 * chain may drop a carry or borrow, and everything after the slip must follow from it, or the
 * model would learn chains whose answers do not follow from their lines. Runs the trainer's own
 * code on thousands of problems and checks each written chain line by line.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PYTHON, pythonProblem } from './python';

const REPO = resolve(import.meta.dirname, '../..');
const problem = pythonProblem('tinythink slips test');

const WRITE = `
import json, random
from tools.tinythink import data
rng = random.Random(7)
rows = []
for i in range(6000):
    p = data.make_problem(rng, 2 + i % 6)
    rows.append({'numbers': list(p.numbers), 'ops': list(p.ops), 'totals': p.totals(),
                 'written': data.written_totals(rng, p), 'never': data.written_totals(rng, p, 0.0)})
ex_rng = random.Random(3)
examples = [data.make_training_example(ex_rng, [1.0] * 6, set()) for _ in range(3000)]
print(json.dumps({'rate': data.SLIP_RATE, 'max_total': data.MAX_TOTAL, 'rows': rows,
                  'targets': [e.prompt[-400:] + e.target for e in examples]}))
`;

interface Row {
  numbers: number[];
  ops: string[];
  totals: number[];
  written: number[];
  never: number[];
}

function carries(total: number, op: string, n: number): boolean {
  return op === '+' ? (total % 10) + (n % 10) >= 10 : total % 10 < n % 10;
}

describe.skipIf(problem !== null)('tinythink slipped training chains', () => {
  const out = problem === null ? (JSON.parse(execFileSync(PYTHON, ['-c', WRITE], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 << 20 })) as { rate: number; max_total: number; rows: Row[]; targets: string[] }) : null;

  it('slips only by dropping a carry or borrow, never on the last line, and carries on from the slip', () => {
    const { rows, rate, max_total } = out!;
    let eligible = 0;
    let slipped = 0;
    for (const row of rows) {
      expect(row.never).toEqual(row.totals);
      expect(row.written[0]).toBe(row.numbers[0]);
      row.ops.forEach((op, i) => {
        const n = row.numbers[i + 1];
        const from = row.written[i];
        const right = op === '+' ? from + n : from - n;
        const last = i === row.ops.length - 1;
        const slip = row.written[i + 1] - right;
        if (last || !carries(from, op, n)) {
          expect(slip, `line ${i} of ${JSON.stringify(row)}`).toBe(0);
          return;
        }
        eligible += 1;
        if (slip !== 0) {
          // A dropped carry leaves the sum 10 short; a dropped borrow leaves the difference 10 over.
          expect(slip).toBe(op === '+' ? -10 : 10);
          slipped += 1;
        }
      });
      for (const t of row.written) expect(t >= 0 && t < max_total).toBe(true);
    }
    // The measured share of slipped lines is the configured rate (binomial, 4 sigma).
    const sigma = Math.sqrt((rate * (1 - rate)) / eligible);
    expect(eligible).toBeGreaterThan(3000);
    expect(Math.abs(slipped / eligible - rate)).toBeLessThan(4 * sigma + 0.01);
    expect(slipped).toBeGreaterThan(0);
  });

  it('ends every trained chain with the answer its own lines reach', () => {
    let chains = 0;
    let wrong = 0;
    for (const text of out!.targets) {
      const think = /<think>\n([\s\S]*?)\n<\/think>\n\nThe answer is (\d+)\./.exec(text);
      if (!think || think[1].trim() === '') continue;
      const lines = think[1].split('\n');
      const check = lines.at(-1)!;
      if (!check.startsWith('check ')) continue; // a cut chain
      chains += 1;
      const last = /^(\d+)[+-](\d+)=(\d+)$/.exec(lines.at(-2)!)!;
      expect(Number(think[2])).toBe(Number(last[3]));
      // Each line starts from the total the line before it wrote.
      for (let i = 1; i < lines.length - 1; i++) expect(lines[i].slice(0, 3)).toBe(lines[i - 1].slice(-3));
      const [, a, op, b, c] = /^(\d+)([+-])(\d+)=(\d+)$/.exec(lines[0])!;
      if (Number(c) !== (op === '+' ? Number(a) + Number(b) : Number(a) - Number(b))) wrong += 1;
    }
    expect(chains).toBeGreaterThan(1000);
    // Some first lines slipped, most did not.
    expect(wrong).toBeGreaterThan(0);
    expect(wrong / chains).toBeLessThan(0.2);
  });
});
