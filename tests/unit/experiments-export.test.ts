import { describe, expect, it } from 'vitest';
import { reasoningFormat, THINK_TAGS } from '../../src/lib/formats/reasoning-format';
import { arithmeticDataset } from '../../src/lib/datasets/arithmetic';
import { resolveStrategies } from '../../src/lib/experiments/spec';
import { buildMatrix } from '../../src/lib/experiments/matrix';
import { runExperiment } from '../../src/lib/experiments/runner';
import { cachedGenerate, MemoryGenerationCache } from '../../src/lib/experiments/cache';
import { summarize } from '../../src/lib/experiments/summary';
import { buildExport, exportToJson, type ExperimentExport } from '../../src/lib/experiments/export-format';
import { exportToCsv, summaryToCsv } from '../../src/lib/experiments/export-csv';
import { ImportParseError, parseExperimentExport } from '../../src/lib/experiments/export-import';
import { readCsv } from '../../src/lib/datasets/records';
import { scriptedModel } from './experiments-fixtures';
import type { TokenLogprobs } from '../../src/lib/generate';

const STRATEGIES = ['direct', 'self-consistency:k=3,batch=3'];

async function exported(): Promise<ExperimentExport> {
  const dataset = arithmeticDataset({ n: 4, seed: 2 });
  // The scripted model is right except on the first question.
  const answers = new Map(dataset.problems.map((p, i) => [p.question, i === 0 ? '999' : p.reference]));
  const model = scriptedModel({ answers });
  const cache = new MemoryGenerationCache();
  const generate = cachedGenerate(model.generate, cache, { modelId: 'thinkbench/tinythink', dtype: 'q8', device: 'cpu', weights: 'w1' });
  const units = buildMatrix(resolveStrategies(STRATEGIES), dataset.problems);
  await runExperiment({ units: units.slice(0, 2), generate, format: reasoningFormat(THINK_TAGS), maxNewTokens: 64 });
  // A second pass from scratch: the first two units now come from the cache (marked cached).
  const outcome = await runExperiment({ units, generate, format: reasoningFormat(THINK_TAGS), maxNewTokens: 64, epochMs: () => 1_700_000_000_000 });
  const spec = { model: { id: 'thinkbench/tinythink', dtype: 'q8', device: 'cpu' }, dataset: { id: dataset.id, n: 4, seed: 2 }, strategies: STRATEGIES, maxNewTokens: 64 };
  return buildExport(
    {
      id: 'exp-1',
      name: 'round trip',
      createdAt: 1_700_000_000_000,
      status: 'completed',
      spec,
      baseline: 'direct',
      manifest: {
        appVersion: '0.1.0',
        runtime: 'node test',
        model: { ...spec.model, files: [{ path: 'onnx/model_quantized.onnx', bytes: 123, sha256: 'ab' }] },
        dataset: { id: dataset.id, name: dataset.name, source: dataset.source, n: 4, seed: 2 },
        strategies: resolveStrategies(STRATEGIES).map((s) => ({ text: s.text, id: s.setting.id, config: { ...s.setting.config } })),
        maxNewTokens: 64,
        createdAt: 1_700_000_000_000,
      },
    },
    dataset,
    outcome.results,
    new Date(1_700_000_100_000),
  );
}

/** The object at a path inside parsed JSON (test data whose shape we know). */
function dig(root: unknown, ...path: (string | number)[]): Record<string, unknown> {
  return path.reduce<unknown>((value, key) => (value as Record<string | number, unknown>)[key], root) as Record<string, unknown>;
}

describe('export and import', () => {
  it('round-trips through JSON: the same data and the same results table', async () => {
    const data = await exported();
    expect(data.units[0].cachedSamples).toBe(1);
    const imported = parseExperimentExport(exportToJson(data));
    // `summary` is derived: the importer recomputes it from the units, so it is not read back.
    const { summary: _summary, ...written } = JSON.parse(exportToJson(data)) as Record<string, unknown>;
    expect(imported).toEqual(written);
    expect(imported.units[0].result.samples[0]).toMatchObject({ cached: true });
    expect(summarize(imported.units, imported.experiment.spec.strategies, imported.experiment.baseline)).toEqual(
      summarize(data.units, STRATEGIES, 'direct'),
    );
  });

  it('writes the results table with the fallback share into the JSON, and the importer recomputes it instead', async () => {
    const data = await exported();
    // Make the wrong first question's answer one found only by the last-number fallback.
    const first = data.units[0];
    first.result.samples = first.result.samples.map((sample) => (sample.answer ? { ...sample, answer: { ...sample.answer, rule: 'last-number', fallback: true } } : sample));
    const json = JSON.parse(exportToJson(data, { strict: true })) as { summary: { strict: boolean; strategies: Record<string, unknown>[] } };
    expect(json.summary.strict).toBe(true);
    expect(json.summary.strategies.map((row) => [row.strategy, row.fallbacks, row.fallbackShare])).toEqual([
      ['direct', 1, 0.25],
      [STRATEGIES[1], 0, 0],
    ]);
    expect(parseExperimentExport(exportToJson(data, { strict: true }))).toEqual(parseExperimentExport(exportToJson(data)));
  });

  it('round-trips per-token logprobs exactly: typed arrays as number lists, -Infinity as null', async () => {
    const data = await exported();
    const logprobs: TokenLogprobs = {
      tokenTexts: ['4', '2'],
      tokenIds: Int32Array.from([27, 25]),
      logprobs: Float32Array.from([-0.123456789, -2.5e-7]),
      sampledLogprobs: Float32Array.from([0, -1 / 3]),
      entropies: Float32Array.from([0.7, 1e-9]),
      topK: 2,
      topIds: Int32Array.from([27, 30, 25, 101]),
      topTexts: ['4', '7', '2', '?'],
      topLogprobs: Float32Array.from([-0.123456789, -3.3, -2.5e-7, -Infinity]),
      selfCertainties: Float32Array.from([3.1, 4.2]),
    };
    data.units[0].result.samples[0] = { ...data.units[0].result.samples[0], logprobs };
    const json = exportToJson(data);
    expect(json).toContain('"topLogprobs":[-0.12345679104328156,-3.299999952316284,-2.499999993688107e-7,null]');
    const imported = parseExperimentExport(json);
    expect(imported.units[0].result.samples[0].logprobs).toEqual(logprobs);
    expect(imported.units[0].result.samples[0].logprobs?.logprobs).toBeInstanceOf(Float32Array);
    expect(imported.units[1].result.samples[0].logprobs).toBeUndefined();
    const broken = json.replace('"topIds":[27,30,25,101]', '"topIds":[27,30,25]');
    expect(() => parseExperimentExport(broken)).toThrowError(/top-K lists must hold tokens × topK = 4 entries/);
  });

  it('round-trips what a thinking extension did (s1 budget forcing), and rejects a malformed one', async () => {
    const data = await exported();
    data.units[0].result.samples[0] = { ...data.units[0].result.samples[0], thinkingExtension: { times: 2, addedTokens: 17 } };
    const json = exportToJson(data);
    const imported = parseExperimentExport(json);
    expect(imported.units[0].result.samples[0].thinkingExtension).toEqual({ times: 2, addedTokens: 17 });
    expect(imported.units[1].result.samples[0].thinkingExtension).toBeUndefined();
    expect(() => parseExperimentExport(json.replace('"addedTokens":17', '"addedTokens":1.5'))).toThrowError(/addedTokens/);
  });

  it('writes one CSV row per sample, quoting texts with newlines', async () => {
    const data = await exported();
    const rows = readCsv(exportToCsv(data));
    expect(rows).toHaveLength(4 * 1 + 4 * 3);
    expect(rows[0].record).toMatchObject({ experiment: 'exp-1', experiment_name: 'round trip', strategy: 'direct', problem_id: 'q0', unit_correct: 'false', unit_fallback: 'false', cached: 'true', answer_rule: 'the-answer-is' });
    expect(rows[0].record.question).toBe(data.dataset.problems.find((p) => p.id === 'q0')?.question);
    expect(String(rows[0].record.question)).toMatch(/\d/);
    expect(rows[4].record.strategy).toBe(STRATEGIES[1]);
    expect(String(rows[5].record.text)).toContain('</think>\n\nThe answer is');
    // unit_fallback: the unit's final answer was found only by the last-number fallback.
    const sample = data.units[1].result.samples[0];
    data.units[1].result.samples[0] = { ...sample, answer: sample.answer && { ...sample.answer, rule: 'last-number', fallback: true } };
    expect(readCsv(exportToCsv(data)).map((row) => row.record.unit_fallback).slice(0, 3)).toEqual(['false', 'true', 'false']);
  });

  it('rounds times and rates in the CSV while the JSON keeps them exact for reimport', async () => {
    const data = await exported();
    const timings = data.units[0].result.samples[0].timings;
    Object.assign(timings, { ttftMs: 12.345678, prefillMs: 3.14159, decodeMs: 98.7654321, decodeTokensPerS: 41.987654, totalMs: 111.11111 });
    const [row] = readCsv(exportToCsv(data));
    expect(row.record).toMatchObject({ ttft_ms: '12.3', prefill_ms: '3.1', decode_ms: '98.8', decode_tokens_per_s: '42', total_ms: '111.1' });
    const reimported = parseExperimentExport(exportToJson(data));
    expect(reimported.units[0].result.samples[0].timings).toEqual(timings);
  });

  it('neutralises formula starts from model output, questions and names in the CSV', async () => {
    const data = await exported();
    data.experiment.name = '=cmd|" /C calc"!A0';
    data.dataset.problems[0].question = "@SUM(1+1)*cmd|' /C calc'!A0";
    const sample = data.units[0].result.samples[0];
    sample.text = '=HYPERLINK("http://evil.example","click")';
    if (sample.answer) sample.answer.value = '-5';
    const csv = exportToCsv(data);
    const [row] = readCsv(csv);
    expect(row.record).toMatchObject({
      experiment_name: `'=cmd|" /C calc"!A0`,
      question: "'@SUM(1+1)*cmd|' /C calc'!A0",
      text: `'=HYPERLINK("http://evil.example","click")`,
      answer: '-5',
    });
    // No cell anywhere in the file starts with a formula character once unquoted.
    for (const { record } of readCsv(csv)) {
      for (const value of Object.values(record)) expect(String(value)).not.toMatch(/^[=+@\t\r]|^-(?![\d.])/);
    }
    expect(readCsv(summaryToCsv(data))[0].record.experiment_name).toBe(`'=cmd|" /C calc"!A0`);
  });

  it('exports the summary with 95% intervals and the McNemar comparison, rounded, in JSON and CSV', async () => {
    const data = await exported();
    const table = summarize(data.units, STRATEGIES, 'direct');
    const json = JSON.parse(exportToJson(data)) as { summary: { strict: boolean; strategies: Record<string, unknown>[] } };
    expect(json.summary.strict).toBe(false);
    expect(json.summary.strategies.map((row) => row.strategy)).toEqual(STRATEGIES);
    expect(json.summary.strategies[0]).toMatchObject({ strategy: 'direct', n: 4, correct: 3, accuracy: 0.75, ciLow: Number(table[0].ciLow.toFixed(4)), ciHigh: Number(table[0].ciHigh.toFixed(4)) });
    expect(table[0].ciLow).not.toBe(Number(table[0].ciLow.toFixed(4)));
    expect(json.summary.strategies[1]).toMatchObject({ baseline: 'direct', baselinePairs: 4, baselineB: 0, baselineC: 0, baselinePValue: 1 });
    const rows = readCsv(summaryToCsv(data));
    expect(rows).toHaveLength(2);
    expect(rows[0].record).toMatchObject({ experiment: 'exp-1', experiment_name: 'round trip', strategy: 'direct', accuracy: '0.75', ci_low: String(Number(table[0].ciLow.toFixed(4))) });
    expect(rows[1].record).toMatchObject({ strategy: STRATEGIES[1], baseline: 'direct', baseline_pairs: '4', baseline_p_value: '1' });
    expect(Object.keys(rows[0].record)).toEqual(expect.arrayContaining(['ci_high', 'mean_tokens', 'mean_latency_ms', 'decode_tokens_per_s']));
  });

  it.each<[string, (data: Record<string, unknown>) => void, string]>([
    ['a wrong type deep inside', (d) => (dig(d, 'units', 1, 'result', 'samples', 0, 'timings').ttftMs = 'fast'), 'units[1].result.samples[0].timings.ttftMs'],
    ['an unknown finish reason', (d) => (dig(d, 'units', 0, 'result', 'samples', 0).finishReason = 'tired'), 'units[0].result.samples[0].finishReason'],
    ['a unit of an unknown strategy', (d) => (dig(d, 'units', 2).strategy = 'cot'), 'units[2].strategy'],
    ['a unit for a question not in the dataset', (d) => (dig(d, 'units', 2).problemId = 'q99'), 'units[2].problemId'],
    ['a missing dataset', (d) => delete d.dataset, 'dataset'],
    ['a newer version', (d) => (d.version = 2), 'version'],
    ['another format', (d) => (d.format = 'something-else'), 'format'],
  ])('rejects %s, naming the path', async (_label, corrupt, path) => {
    const json = JSON.parse(exportToJson(await exported())) as Record<string, unknown>;
    corrupt(json);
    let error: unknown;
    try {
      parseExperimentExport(JSON.stringify(json));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ImportParseError);
    expect((error as ImportParseError).path).toBe(path);
    expect((error as ImportParseError).message.startsWith(path)).toBe(true);
  });

  it('rejects text that is not JSON', () => {
    expect(() => parseExperimentExport('{"format":')).toThrow(/not valid JSON/);
  });
});
