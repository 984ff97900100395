/**
 * The built-in generator must phrase questions exactly as the model's trainer does, or every
 * experiment would measure the model out of distribution. This renders our problems with the
 * trainer's own code (tools/tinythink/data.py: Problem.question, chain, answer) and
 * compares text for text. Skips when Debian's Python or the trainer is absent.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateArithmeticProblems } from '../../src/lib/datasets/arithmetic';

const PYTHON = '/usr/bin/python3';
const TRAINER = 'tools/tinythink/data.py';
const available = existsSync(PYTHON) && existsSync(TRAINER);

const RENDER = `
import json, sys
sys.path.insert(0, 'tools')
from tinythink.data import Problem
out = []
for p in json.load(sys.stdin):
    problem = Problem(tuple(p['numbers']), tuple(p['ops']), p['phrasing'], p['name'], p['item'])
    out.append({'question': problem.question(), 'chain': problem.chain().split('\\n'), 'answer': problem.answer})
print(json.dumps(out))
`;

describe.skipIf(!available)("built-in problems in the trainer's phrasing", () => {
  it('renders every question, chain and answer exactly as tools/tinythink/data.py does', () => {
    const problems = [...generateArithmeticProblems({ n: 300, seed: 11 }), ...generateArithmeticProblems({ n: 20, seed: 3, minSteps: 7, maxSteps: 8 })];
    const input = JSON.stringify(problems.map(({ numbers, ops, phrasing, name, item }) => ({ numbers, ops, phrasing, name, item })));
    const rendered = JSON.parse(execFileSync(PYTHON, ['-c', RENDER], { input, encoding: 'utf8' })) as { question: string; chain: string[]; answer: number }[];
    expect(rendered.map((r) => r.question)).toEqual(problems.map((p) => p.question));
    expect(rendered.map((r) => r.chain)).toEqual(problems.map((p) => p.chain));
    expect(rendered.map((r) => String(r.answer))).toEqual(problems.map((p) => p.reference));
    expect(problems.some((p) => p.phrasing === 'word')).toBe(true);
  });
});

