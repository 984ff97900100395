/**
 * The sweep tool (tools/tinythink/sweep.py) on its smoke config: trains one tiny variant in a
 * worker process, scores the bars in PyTorch on the validation split, and gathers
 * results.json. Checks the shape and sense of what it reports, so the tool that chose the
 * shipped recipe cannot rot. Skips without Debian's PyTorch, except in CI.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PYTHON, pythonProblem } from './python';

const REPO = resolve(import.meta.dirname, '../..');
const problem = pythonProblem('tinythink sweep test');

const RATES = ['think', 'think_long', 'off_long', 'single_t08', 'sc10', 'cut25', 'cut50', 'cut75', 'cut100'] as const;

describe.skipIf(problem !== null)('tinythink sweep (smoke)', () => {
  const out = mkdtempSync(join(tmpdir(), 'tinythink-sweep-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('trains a variant, scores it on the validation split and gathers results.json', () => {
    execFileSync(PYTHON, ['-m', 'tools.tinythink.sweep', '--out', out, '--smoke'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'], timeout: 280_000 });
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Record<string, unknown>[];
    expect(results).toHaveLength(1);
    const [row] = results;
    expect(row.variant).toBe('p');
    expect(row.n).toBe(12);
    for (const key of RATES) {
      expect(row[key], key).toBeGreaterThanOrEqual(0);
      expect(row[key], key).toBeLessThanOrEqual(1);
    }
    // Differences are of the rates above, and 100% of the chain is the greedy chain itself.
    expect(row.sc_gain).toBeCloseTo((row.sc10 as number) - (row.single_t08 as number), 10);
    expect(row.gap_long).toBeCloseTo((row.think_long as number) - (row.off_long as number), 10);
    expect(row.cut100).toBe(row.think);
    expect(readFileSync(join(out, 'p', 'train.log'), 'utf8')).toMatch(/bars \{/);
  }, 300_000);

  it('refuses an unknown variant with the list of known ones', () => {
    let message = '';
    try {
      execFileSync(PYTHON, ['-m', 'tools.tinythink.sweep', '--out', out, '--only', 'nope'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    } catch (error) {
      message = String((error as { stderr?: string }).stderr);
    }
    expect(message).toMatch(/unknown variant\(s\) nope; known: p, q/);
  });
});
