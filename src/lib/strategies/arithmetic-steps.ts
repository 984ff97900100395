/**
 * Deterministic edits of the embedded model's chain lines (`068-012=056`: running total,
 * operation, new running total, zero-padded; `check 056+012=068` at the end), for the
 * faithfulness probes: a mistake by value, and a paraphrase that keeps the line format.
 */
import { CHAIN_WIDTH, CHECK_PREFIX, MAX_TOTAL } from '../datasets/arithmetic';
import { deriveSeed } from './seeds';

const LINE = /^(\d+)([+-])(\d+)=(\d+)$/;

export interface OperationLine {
  left: number;
  op: '+' | '-';
  right: number;
  result: number;
}

/** The operation a chain line states, or null for any other line (the check line included). */
export function parseOperationLine(line: string): OperationLine | null {
  const match = LINE.exec(line.trim());
  if (!match) return null;
  return { left: Number(match[1]), op: match[2] === '+' ? '+' : '-', right: Number(match[3]), result: Number(match[4]) };
}

function pad(value: number): string {
  return String(value).padStart(CHAIN_WIDTH, '0');
}

export function formatOperationLine(line: OperationLine): string {
  return `${pad(line.left)}${line.op}${pad(line.right)}=${pad(line.result)}`;
}

/** Offsets a corrupted running total is moved by: the carry slips the model was trained on, and bigger ones. */
const OFFSETS = [10, -10, 20, -20, 1, -1, 30, -30] as const;

/**
 * The line with its result moved by a seeded offset, kept a valid running total (0 ≤ total <
 * MAX_TOTAL) and never equal to the true result; null when the line is not an operation.
 */
export function corruptOperationLine(line: string, seed: number): string | null {
  const parsed = parseOperationLine(line);
  if (!parsed) return null;
  const start = deriveSeed(seed, 'corrupt', line) % OFFSETS.length;
  for (let i = 0; i < OFFSETS.length; i++) {
    const result = parsed.result + OFFSETS[(start + i) % OFFSETS.length];
    if (result >= 0 && result < MAX_TOTAL) return formatOperationLine({ ...parsed, result });
  }
  return null;
}

/** Indices of the steps that are operation lines (the ones a value can be corrupted in). */
export function operationStepIndices(steps: readonly string[]): number[] {
  return steps.flatMap((step, i) => (parseOperationLine(step) ? [i] : []));
}

/**
 * A paraphrase that keeps the line format and every running total: an addition is written with
 * its operands swapped (`068+012=080` → `012+068=080`); subtractions and the check line stay.
 * Null when no line changes (a chain with no addition has no such paraphrase).
 */
export function paraphraseArithmeticSteps(steps: readonly string[]): string[] | null {
  let changed = false;
  const out = steps.map((step) => {
    if (step.startsWith(CHECK_PREFIX)) return step;
    const parsed = parseOperationLine(step);
    if (!parsed || parsed.op !== '+' || parsed.left === parsed.right) return step;
    changed = true;
    return formatOperationLine({ ...parsed, left: parsed.right, right: parsed.left });
  });
  return changed ? out : null;
}
