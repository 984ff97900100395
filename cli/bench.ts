/**
 * `thinkbench bench`: an experiment run headless in Node with the app's engine, strategies and
 * experiment core; prints the Results page's table (or JSON lines) and can write the export
 * file the app imports.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { arithmeticDataset } from '../src/lib/datasets/arithmetic';
import { parseGsm8kJsonl } from '../src/lib/datasets/gsm8k';
import { parseTabular } from '../src/lib/datasets/tabular';
import type { Dataset } from '../src/lib/datasets/types';
import { reasoningFormat } from '../src/lib/formats/reasoning-format';
import { reasoningFromTemplate } from '../src/lib/models/custom-model';
import { StrategySettingError } from '../src/lib/strategies/settings';
import { asRecord } from '../src/lib/strategies/registry';
import { cachedGenerate, MemoryGenerationCache } from '../src/lib/experiments/cache';
import { measureMedianChain, needsMedianChain } from '../src/lib/experiments/calibrate';
import { buildExport, exportToJson } from '../src/lib/experiments/export-format';
import { buildMatrix, sliceProblems } from '../src/lib/experiments/matrix';
import { runExperiment } from '../src/lib/experiments/runner';
import { ExperimentSpecError, resolveStrategies, type ResolvedStrategy } from '../src/lib/experiments/spec';
import { summarize } from '../src/lib/experiments/summary';
import { formatSummaryTable } from '../src/lib/experiments/summary-table';
import { formatProbeTable, summarizeProbes } from '../src/lib/experiments/probe-summary';
import type { ExperimentSpec, RunManifest } from '../src/lib/experiments/types';
import { loadNodeEngine } from '../workers/engine/node';
import { onnxFile } from '../workers/engine/model-files';
import { BENCH_USAGE, parseBenchArgs, type BenchOptions } from './bench-args';
import { EXIT, UsageError, type CliIo, type Command } from './io';
import { progressBar } from './progress-bar';

export const benchCommand: Command = {
  summary: 'run an experiment headless (CPU) and print the results table',
  usage: BENCH_USAGE,
  run: (argv, io) => runBench(parseBenchArgs(argv), io),
};

export async function runBench(options: BenchOptions, io: CliIo): Promise<number> {
  // Everything that can be wrong with the command line is checked before the model loads.
  const strategies = resolveOrUsageError(options.strategies);
  const dataset = loadDataset(options);
  const problems = sliceProblems(dataset.problems, { n: options.n, seed: options.seed });

  const engine = await loadNodeEngine({ modelDir: options.modelDir, dtype: options.dtype, ...(options.modelId ? { modelId: options.modelId } : {}) });
  try {
    const { modelId } = engine.info;
    const format = reasoningFormat(reasoningFromTemplate(chatTemplateOf(options.modelDir)));
    const generate = cachedGenerate(engine.generate, new MemoryGenerationCache(), { modelId, dtype: options.dtype });
    const controller = new AbortController();
    const onInterrupt = () => controller.abort(new DOMException('interrupted', 'AbortError'));
    process.once('SIGINT', onInterrupt);
    const bar = io.stderr.isTTY ? progressBar(io.stderr) : null;
    const createdAt = Date.now();
    let outcome;
    try {
      const median = needsMedianChain(strategies)
        ? await measureMedianChain({ generate, format, maxNewTokens: options.maxNewTokens, problems, signal: controller.signal })
        : null;
      outcome = await runExperiment({
        units: buildMatrix(strategies, problems),
        generate,
        format,
        maxNewTokens: options.maxNewTokens,
        ...(median !== null ? { medianChainTokens: median } : {}),
        signal: controller.signal,
        ...(bar ? { onProgress: (progress) => bar.update(progress) } : {}),
      });
    } finally {
      bar?.done();
      process.off('SIGINT', onInterrupt);
    }

    const summaries = summarize(outcome.results, options.strategies, options.baseline);
    if (options.summaryJson) {
      for (const row of summaries) io.stdout.write(`${JSON.stringify(row)}\n`);
    } else {
      io.stdout.write(`${formatSummaryTable(summaries)}\n`);
    }
    // The faithfulness probes' own measures (answer changed, area over curve, …) under the table.
    const probes = summarizeProbes(outcome.results, options.strategies);
    if (probes.length > 0) {
      if (options.summaryJson) for (const row of probes) io.stdout.write(`${JSON.stringify({ probe: row })}\n`);
      else io.stdout.write(`\n${formatProbeTable(probes)}\n`);
    }
    if (options.out !== undefined) {
      const spec: ExperimentSpec = {
        model: { id: modelId, dtype: options.dtype, device: 'cpu' },
        dataset: { id: dataset.id, n: options.n, seed: options.seed },
        strategies: options.strategies,
        maxNewTokens: options.maxNewTokens,
      };
      const data = buildExport(
        {
          id: `bench-${createdAt}`,
          name: `bench ${basename(options.modelDir)} on ${dataset.name}`,
          createdAt,
          status: outcome.status === 'completed' ? 'completed' : 'cancelled',
          spec,
          baseline: options.baseline,
          manifest: manifestFor(options, spec, dataset, strategies, createdAt),
        },
        { ...dataset, problems },
        outcome.results,
      );
      await writeFile(options.out, exportToJson(data));
    }
    if (outcome.status === 'aborted') {
      io.stderr.write(`thinkbench bench: interrupted after ${outcome.progress.done} of ${outcome.progress.total} units\n`);
      return EXIT.failure;
    }
    return EXIT.ok;
  } finally {
    await engine.dispose();
  }
}

function resolveOrUsageError(texts: readonly string[]): ResolvedStrategy[] {
  try {
    return resolveStrategies(texts);
  } catch (error) {
    if (error instanceof StrategySettingError || error instanceof ExperimentSpecError) throw new UsageError(`--strategy: ${error.message}`);
    throw error;
  }
}

function loadDataset(options: BenchOptions): Dataset {
  const source = options.dataset;
  if (source.kind === 'builtin') {
    return arithmeticDataset({ n: options.n, seed: options.seed, minSteps: source.minSteps, maxSteps: source.maxSteps });
  }
  let text: string;
  try {
    text = readFileSync(source.path, 'utf8');
  } catch (error) {
    throw new UsageError(`--dataset: cannot read ${source.path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const fileName = basename(source.path);
  const csv = extname(source.path).toLowerCase() === '.csv';
  if (source.fields === undefined) {
    if (csv) throw new UsageError('--dataset: a CSV file needs --fields question=…,reference=…');
    return parseGsm8kJsonl(text, { fileName });
  }
  return parseTabular(text, { format: csv ? 'csv' : 'jsonl', fileName, mapping: source.fields, ...(source.split !== undefined ? { split: source.split } : {}) });
}

function chatTemplateOf(modelDir: string): string | undefined {
  const config: unknown = JSON.parse(readFileSync(join(modelDir, 'tokenizer_config.json'), 'utf8'));
  const template = typeof config === 'object' && config !== null ? Reflect.get(config, 'chat_template') : undefined;
  return typeof template === 'string' ? template : undefined;
}

function manifestFor(options: BenchOptions, spec: ExperimentSpec, dataset: Dataset, strategies: readonly ResolvedStrategy[], createdAt: number): RunManifest {
  const files = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', onnxFile(options.dtype)]
    .filter((file) => existsSync(join(options.modelDir, file)))
    .map((file) => {
      const bytes = readFileSync(join(options.modelDir, file));
      return { path: file, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    });
  return {
    appVersion: appVersion(),
    runtime: `node ${process.version} ${process.platform} ${process.arch}`,
    model: { ...spec.model, files },
    dataset: { id: dataset.id, name: dataset.name, source: dataset.source, n: options.n, seed: options.seed },
    strategies: strategies.map((strategy) => ({ text: strategy.text, id: strategy.setting.id, config: { ...asRecord(strategy.setting.config) } })),
    maxNewTokens: options.maxNewTokens,
    createdAt,
  };
}

function appVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(resolve(import.meta.dirname, '..', 'package.json'), 'utf8'));
  const version = typeof pkg === 'object' && pkg !== null ? Reflect.get(pkg, 'version') : undefined;
  return typeof version === 'string' ? version : 'unknown';
}
