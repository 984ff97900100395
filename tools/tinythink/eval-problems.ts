/**
 * The held-out and out-of-distribution problems that `data.py` writes to `splits/*.jsonl`
 * (one generator for training and evaluation, so the splits cannot drift apart).
 */
import { readFileSync } from 'node:fs';
import type { Problem } from '../../src/lib/strategies/types';

export interface SplitProblem extends Problem {
  /** Operations in the problem: one chain line each (numbers - 1). */
  steps: number;
}

interface SplitLine {
  question: string;
  answer: number;
  steps: number;
}

function isSplitLine(value: unknown): value is SplitLine {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.question === 'string' && typeof record.answer === 'number' && typeof record.steps === 'number';
}

export function readSplit(path: string, name: string): SplitProblem[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line, i) => {
      const parsed: unknown = JSON.parse(line);
      if (!isSplitLine(parsed)) throw new Error(`${path}:${i + 1}: not a problem line`);
      return { id: `${name}-${i}`, question: parsed.question, reference: String(parsed.answer), steps: parsed.steps };
    });
}
