/**
 * Shared bits of the benchmarks: command-line options, the machine description every result is
 * reported with, and timing helpers. Benchmarks run with `npx tsx bench/<name>.ts [--model DIR]
 * [--dtype fp32|q8]` and print their raw numbers as JSON (the last line) for BENCHMARKS.md.
 */
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { EMBEDDED_MODEL_DIR } from '../workers/engine/node';
import type { Dtype } from '../workers/engine/engine';

export interface BenchArgs {
  modelDir: string;
  dtype: Dtype;
  /** Free-form numeric options a benchmark defines (e.g. --n 300). */
  numbers: Record<string, number>;
}

export function benchArgs(numberDefaults: Record<string, number>): BenchArgs {
  const options: Record<string, { type: 'string' }> = { model: { type: 'string' }, dtype: { type: 'string' } };
  for (const key of Object.keys(numberDefaults)) options[key] = { type: 'string' };
  const { values } = parseArgs({ options, strict: true });
  const dtype = (values.dtype ?? 'fp32') as string;
  if (!['fp32', 'q8'].includes(dtype)) throw new Error(`--dtype must be fp32 or q8, got ${dtype}`);
  const numbers: Record<string, number> = {};
  for (const [key, fallback] of Object.entries(numberDefaults)) {
    const raw = values[key];
    numbers[key] = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(numbers[key])) throw new Error(`--${key} must be a number`);
  }
  return { modelDir: values.model ?? EMBEDDED_MODEL_DIR, dtype: dtype as Dtype, numbers };
}

export function machine(): Record<string, string | number> {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

export function nowMs(): number {
  return performance.now();
}

/** This process's CPU time in ms, all threads (onnxruntime's too), user + system. */
export function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

export function round(value: number, digits = 3): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Prints a header line and, last, the raw results as one JSON line. */
export function report(name: string, args: BenchArgs, results: unknown): void {
  process.stdout.write(`${JSON.stringify({ benchmark: name, model: args.modelDir, dtype: args.dtype, machine: machine(), at: new Date().toISOString(), results })}\n`);
}
