import { describe, expect, it } from 'vitest';
import { reasoningFormat, THINK_TAGS } from '../../src/lib/formats/reasoning-format';
import { arithmeticDataset } from '../../src/lib/datasets/arithmetic';
import { resolveStrategies } from '../../src/lib/experiments/spec';
import { buildMatrix } from '../../src/lib/experiments/matrix';
import { runExperiment } from '../../src/lib/experiments/runner';
import { cachedGenerate, MemoryGenerationCache } from '../../src/lib/experiments/cache';
import { summarize } from '../../src/lib/experiments/summary';
import { buildExport, exportToJson, type ExperimentExport } from '../../src/lib/experiments/export-format';
import { exportToCsv } from '../../src/lib/experiments/export-csv';
import { ImportParseError, parseExperimentExport } from '../../src/lib/experiments/export-import';
import { readCsv } from '../../src/lib/datasets/records';
import { scriptedModel } from './experiments-fixtures';

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
    expect(imported).toEqual(JSON.parse(exportToJson(data)));
    expect(imported.units[0].result.samples[0]).toMatchObject({ cached: true });
    expect(summarize(imported.units, imported.experiment.spec.strategies, imported.experiment.baseline)).toEqual(
      summarize(data.units, STRATEGIES, 'direct'),
    );
  });

  it('writes one CSV row per sample, quoting texts with newlines', async () => {
    const data = await exported();
    const rows = readCsv(exportToCsv(data));
    expect(rows).toHaveLength(4 * 1 + 4 * 3);
    expect(rows[0].record).toMatchObject({ experiment: 'exp-1', strategy: 'direct', problem_id: 'q0', unit_correct: 'false', cached: 'true', answer_rule: 'the-answer-is' });
    expect(rows[4].record.strategy).toBe(STRATEGIES[1]);
    expect(String(rows[5].record.text)).toContain('</think>\n\nThe answer is');
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
