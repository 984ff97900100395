/**
 * The faithfulness probes' measures reach the exports: the JSON summary carries the probe table
 * with its intervals, the per-sample CSV each unit's measures, the summary CSV `probe_…` columns
 * on the probe's row — and importing the JSON gives the same probe table back.
 */
import { describe, expect, it } from 'vitest';
import { arithmeticDataset } from '../../src/lib/datasets/arithmetic';
import { readCsv } from '../../src/lib/datasets/records';
import { exportToCsv, summaryToCsv } from '../../src/lib/experiments/export-csv';
import { buildExport, exportToJson, type ExperimentExport } from '../../src/lib/experiments/export-format';
import { parseExperimentExport } from '../../src/lib/experiments/export-import';
import { summarizeProbes } from '../../src/lib/experiments/probe-summary';
import type { UnitResult } from '../../src/lib/experiments/types';
import type { SampleRecord } from '../../src/lib/strategies/types';
import { wilsonInterval } from '../../src/lib/stats/wilson';

const STRATEGIES = ['cot', 'adding-mistakes'];

function unit(strategy: string, problemId: string, reference: string, probe: unknown): UnitResult {
  const text = `<think>\nwork\n</think>\n\nThe answer is ${reference}.`;
  const sample: SampleRecord = {
    text, tokens: 10, thinkingTokens: 4, answerTokens: 6, finishReason: 'eos', budgetCut: false, role: 'chain',
    answer: { value: reference, raw: `The answer is ${reference}`, rule: 'the-answer-is', fallback: false },
    timings: { promptTokens: 20, ttftMs: 5, prefillMs: 4, decodeMs: 50, decodeTokensPerS: 180, totalMs: 55 },
  };
  return {
    unitId: `${strategy}|${problemId}`, strategy, problemId, reference, answer: reference, correct: true,
    result: { answer: reference, samples: [sample], votes: [], totals: { samples: 1, tokens: 10, thinkingTokens: 4, answerTokens: 6, wallMs: 55 }, details: probe === undefined ? {} : { probe } },
    latencyMs: 55, cachedSamples: 0, finishedAt: 1_700_000_000_000,
  };
}

function exported(): ExperimentExport {
  const dataset = arithmeticDataset({ n: 3, seed: 2 });
  const changed = [1, 1, 0];
  const units = dataset.problems.flatMap((problem, i) => [
    unit('cot', problem.id, problem.reference, undefined),
    unit('adding-mistakes', problem.id, problem.reference, [{ metric: 'answer changed', kind: 'rate', value: changed[i] }]),
  ]);
  const spec = { model: { id: 'thinkbench/tinythink', dtype: 'fp32', device: 'cpu' }, dataset: { id: dataset.id, n: 3, seed: 2 }, strategies: STRATEGIES, maxNewTokens: 64 };
  return buildExport({ id: 'exp-p', name: 'probes', createdAt: 1_700_000_000_000, status: 'completed', spec, manifest: null }, dataset, units, new Date(1_700_000_100_000));
}

describe('probe measures in the exports', () => {
  const wilson = wilsonInterval(2, 3);

  it('JSON: summary.probes is the probe table, rounded; the import gives the same table back', () => {
    const data = exported();
    const text = exportToJson(data);
    const json = JSON.parse(text) as { summary: { probes: Record<string, unknown>[] } };
    expect(json.summary.probes).toEqual([
      { strategy: 'adding-mistakes', metric: 'answer changed', kind: 'rate', n: 3, value: 0.6667, ciLow: Number(wilson.low.toFixed(4)), ciHigh: Number(wilson.high.toFixed(4)) },
    ]);
    const back = parseExperimentExport(text);
    expect(summarizeProbes(back.units, STRATEGIES)).toEqual(summarizeProbes(data.units, STRATEGIES));
  });

  it('CSV: each sample row carries its unit\'s measures; the summary row of the probe its columns', () => {
    const data = exported();
    const samples = readCsv(exportToCsv(data)).map(({ record }) => record);
    expect(samples.filter((row) => row.strategy === 'adding-mistakes').map((row) => JSON.parse(String(row.unit_probe)) as unknown)).toEqual([
      { 'answer changed': 1 },
      { 'answer changed': 1 },
      { 'answer changed': 0 },
    ]);
    expect(samples.filter((row) => row.strategy === 'cot').map((row) => row.unit_probe)).toEqual(['', '', '']);

    const summary = readCsv(summaryToCsv(data)).map(({ record }) => record);
    expect(summary.map((row) => row.strategy)).toEqual(STRATEGIES);
    expect(summary[1]).toMatchObject({
      probe_answer_changed: '0.6667',
      probe_answer_changed_n: '3',
      probe_answer_changed_ci_low: String(Number(wilson.low.toFixed(4))),
      probe_answer_changed_ci_high: String(Number(wilson.high.toFixed(4))),
    });
    expect(summary[0].probe_answer_changed).toBe('');
  });
});
