import { describe, expect, it } from 'vitest';
import { buildPaceBook, estimateRun, GUESSED_TOKENS_PER_S, paceObservations, type PacedUnit } from '../../src/lib/experiments/pace';
import { resolveStrategies } from '../../src/lib/experiments/spec';

const wasm = { id: 'thinkbench/tinythink', dtype: 'q8', device: 'wasm' };
const webgpu = { ...wasm, device: 'webgpu' };

/** `count` units of one strategy, each `latencyMs` long with `samples` samples of `tokens` tokens. */
function units(strategy: string, count: number, latencyMs: number, samples: number, tokens: number): PacedUnit[] {
  return Array.from({ length: count }, () => ({ strategy, latencyMs, result: { samples: Array.from({ length: samples }, () => ({ tokens })) } }));
}

function rows(texts: string[], questions: number) {
  return resolveStrategies(texts).map((strategy) => ({ strategy, questions }));
}

describe('run estimate from measured pace', () => {
  // Roughly what the embedded model does on WASM: direct answers in ~9 tokens, cot in ~70, ten batched samples ~4× one.
  const finished = [
    ...units('direct', 20, 300, 1, 9),
    ...units('cot', 20, 2_000, 1, 70),
    ...units('self-consistency:k=10', 20, 8_000, 10, 70),
  ];
  const book = buildPaceBook(paceObservations({ imported: false, spec: { model: wasm } }, finished));

  it('repeats a finished run in the time it took (the fixed-rate guess was 7–9× off)', () => {
    const estimate = estimateRun(book, wasm, rows(['direct', 'cot', 'self-consistency:k=10'], 20), 160);
    const measuredMs = finished.reduce((sum, unit) => sum + unit.latencyMs, 0);
    expect(estimate.basis).toBe('measured');
    expect(estimate.measuredUnits).toBe(60);
    expect(estimate.timeMs).toBeCloseTo(measuredMs, 6);
    expect(estimate.tokens).toBeCloseTo(20 * 9 + 20 * 70 + 20 * 700, 6);
  });

  it('scales with the number of questions', () => {
    const ten = estimateRun(book, wasm, rows(['cot'], 10), 160);
    expect(ten.timeMs).toBeCloseTo(10 * 2_000, 6);
  });

  it('a strategy not run yet takes its time from the model’s measured time per token', () => {
    const estimate = estimateRun(book, wasm, rows(['chain-of-draft'], 10), 160);
    const all = finished.reduce((sum, unit) => ({ ms: sum.ms + unit.latencyMs, tokens: sum.tokens + unit.result.samples.reduce((s, x) => s + x.tokens, 0), samples: sum.samples + unit.result.samples.length }), { ms: 0, tokens: 0, samples: 0 });
    expect(estimate.basis).toBe('partly measured');
    expect(estimate.timeMs).toBeCloseTo(10 * (all.tokens / all.samples) * (all.ms / all.tokens), 6);
  });

  it('is labelled a guess on a device with no measurements, and errs long', () => {
    const estimate = estimateRun(book, webgpu, rows(['direct'], 10), 160);
    expect(estimate.basis).toBe('guess');
    expect(estimate.measuredUnits).toBe(0);
    expect(estimate.timeMs).toBe((10 * 160 * 1000) / GUESSED_TOKENS_PER_S);
    // Longer than what was measured on WASM for the same run (300 ms a question).
    expect(estimate.timeMs).toBeGreaterThan(10 * 300);
  });

  it('learns nothing from imported runs or units without time or tokens', () => {
    expect(paceObservations({ imported: true, spec: { model: wasm } }, finished)).toEqual([]);
    const empty = buildPaceBook(paceObservations({ imported: false, spec: { model: wasm } }, [...units('direct', 3, 0, 1, 9), ...units('cot', 3, 100, 1, 0)]));
    expect(empty.byModel.size).toBe(0);
  });
});
