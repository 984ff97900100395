/**
 * The real `thinkbench bench` (bin → tsx → cli/main.ts) on the embedded model in Node: a tiny
 * experiment, checked through its --summary-json lines and its --out file read back with the
 * app's import parser. THINKBENCH_ENGINE_MODEL_DIR points it at another model folder.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Readable, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { parseExperimentExport } from '../../src/lib/experiments/export-import';
import { summarize } from '../../src/lib/experiments/summary';
import { flattenSummary } from '../../src/lib/experiments/export-summary';
import { MODEL_DIR } from './engine-fixture';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';

const run = promisify(execFile);

async function bench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/thinkbench.mjs', 'bench', ...args], { maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The same CLI in this process (argument errors need no fresh process, and spawning one costs seconds here). */
async function benchInProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const sink = (key: 'stdout' | 'stderr') =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        out[key] += chunk.toString();
        done();
      },
    });
  const io: CliIo = { stdout: sink('stdout'), stderr: sink('stderr'), stdin: Readable.from([]) };
  const code = await main(['bench', ...args], io);
  return { code, ...out };
}

describe('thinkbench bench', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-bench-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs strategies on the built-in dataset, prints JSON lines and writes an importable export', async () => {
    const out = join(dir, 'run.json');
    const strategies = ['direct', 'cot', 'self-consistency:k=3,batch=3,temperature=0.8,seed=5'];
    const result = await bench([
      '--model', MODEL_DIR, '--n', '3', '--seed', '4', '--max-new-tokens', '96', '--summary-json', '--out', out,
      ...strategies.flatMap((s) => ['--strategy', s]),
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.strategy)).toEqual(strategies);
    for (const line of lines) {
      expect(line).toMatchObject({ n: 3, strict: false });
      for (const key of ['accuracy', 'fallbackShare', 'ciLow', 'ciHigh', 'meanTokens', 'meanLatencyMs', 'samplesPerQuestion']) expect(typeof line[key]).toBe('number');
      expect(line.fallbackShare).toBe((line.fallbacks as number) / 3);
      expect(line.ciLow as number).toBeLessThanOrEqual(line.accuracy as number);
      expect(line.ciHigh as number).toBeGreaterThanOrEqual(line.accuracy as number);
      expect(line.meanLatencyMs as number).toBeGreaterThan(0);
    }
    expect(lines.map((line) => line.samplesPerQuestion)).toEqual([1, 1, 3]);

    const imported = parseExperimentExport(readFileSync(out, 'utf8'));
    expect(imported.experiment.spec.strategies).toEqual(strategies);
    expect(imported.experiment.status).toBe('completed');
    expect(imported.dataset.problems).toHaveLength(3);
    expect(imported.units).toHaveLength(9);
    expect(imported.experiment.manifest?.model.files.some((file) => file.path === 'onnx/model.onnx' && file.bytes > 0)).toBe(true);
    // The file reproduces the printed table, and carries it.
    const table = summarize(imported.units, strategies, 'direct');
    expect(JSON.parse(JSON.stringify(table))).toEqual(lines);
    // …rounded for readers (export-summary.ts); the exact numbers are the units'.
    // (no probe strategies here, so the probe table is empty)
    expect((JSON.parse(readFileSync(out, 'utf8')) as { summary: { strict: boolean; strategies: unknown[] } }).summary).toEqual({
      strict: false,
      strategies: table.map(flattenSummary),
      probes: [],
    });
  });

  it('--strict counts fallback answers wrong and says so', async () => {
    const args = ['--model', MODEL_DIR, '--n', '2', '--strategy', 'direct', '--max-new-tokens', '32', '--strict'];
    const json = await benchInProcess([...args, '--summary-json']);
    expect(json.code).toBe(0);
    const line = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(line).toMatchObject({ strategy: 'direct', n: 2, strict: true });
    expect(typeof line.fallbackShare).toBe('number');
    const table = await benchInProcess(args);
    expect(table.stdout).toMatch(/accuracy \[95% CI\]\s+fallback/);
    expect(table.stdout.trim().split('\n').at(-1)).toBe('strict: answers found only by the last-number fallback count as wrong');
  });

  it('prints the table by default', async () => {
    const result = await bench(['--model', MODEL_DIR, '--n', '1', '--strategy', 'direct', '--max-new-tokens', '32']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^strategy\s+n\s+accuracy \[95% CI\]\s+fallback\s/);
    expect(result.stdout).toMatch(/\ndirect\s+1\s/);
    // Not a terminal: no progress bar.
    expect(result.stderr).toBe('');
  });

  it.each([
    [['--strategy', 'nonsense'], /unknown strategy "nonsense"/],
    [['--strategy', 'self-consistency:k=zero'], /expected a number/],
    [['--n', 'ten'], /--n must be a whole number/],
    [['--dtype', 'int3'], /--dtype must be one of/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
    [['--baseline', 'self-consistency'], /--baseline "self-consistency" is not one of/],
    [['--dataset', '/nonexistent/file.jsonl'], /cannot read \/nonexistent\/file.jsonl/],
  ])('refuses bad arguments %j with a clear message and exit 2', async (args, message) => {
    const result = await benchInProcess(['--model', MODEL_DIR, ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('Usage: thinkbench bench');
  });

  it('fails with exit 1 naming the line and field of a bad dataset file, before loading the model', async () => {
    const { writeFileSync } = await import('node:fs');
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, '{"question": "a", "answer": "#### 1"}\n{"question": "b"}\n');
    const result = await benchInProcess(['--model', '/nonexistent/model', '--dataset', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 2, field "answer": missing/);
  });

  it('has --help', async () => {
    const result = await benchInProcess(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--summary-json/);
    expect(result.stdout).toMatch(/--strict/);
  });
});
