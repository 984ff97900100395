/**
 * `thinkbench bench`: an experiment run headless in Node with the app's engine, strategies and
 * experiment core; prints the Results page's table (or JSON lines) and can write the export
 * file the app imports.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { arithmeticDataset } from '../src/lib/datasets/arithmetic';
import { parseGsm8kJsonl } from '../src/lib/datasets/gsm8k';
import { parseTabular } from '../src/lib/datasets/tabular';
import type { Dataset } from '../src/lib/datasets/types';
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
import type { ServerCapabilities } from '../src/lib/backends/openai/capabilities';
import { unsupportedReason } from '../src/lib/backends/openai/requirements';
import { openLocalBackend, openRemoteBackend, type BenchBackend } from './bench-backend';
import { BENCH_USAGE, parseBenchArgs, type BenchOptions } from './bench-args';
import { EXIT, UsageError, type CliIo, type Command } from './io';
import { progressBar } from './progress-bar';

export const benchCommand: Command = {
  summary: 'run an experiment headless (CPU, or on a server with --backend) and print the results table',
  usage: BENCH_USAGE,
  run: (argv, io) => runBench(parseBenchArgs(argv), io),
};

export async function runBench(options: BenchOptions, io: CliIo): Promise<number> {
  // Everything that can be wrong with the command line is checked before the model loads.
  const strategies = resolveOrUsageError(options.strategies);
  const dataset = loadDataset(options);
  const problems = sliceProblems(dataset.problems, { n: options.n, seed: options.seed });

  const controller = new AbortController();
  const onInterrupt = () => controller.abort(new DOMException('interrupted', 'AbortError'));
  process.once('SIGINT', onInterrupt);
  let backend: BenchBackend;
  try {
    backend = options.backend ? await openRemoteBackend(options.backend, io, controller.signal) : await openLocalBackend(options);
  } catch (error) {
    process.off('SIGINT', onInterrupt);
    throw error;
  }
  try {
    if (backend.server) refuseUnsupported(strategies, backend.server);
    const { format } = backend;
    const generate = cachedGenerate(backend.generate, new MemoryGenerationCache(), backend.identity);
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
    }

    const summaries = summarize(outcome.results, options.strategies, options.baseline, { strict: options.strict });
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
        model: backend.model,
        dataset: { id: dataset.id, n: options.n, seed: options.seed },
        strategies: options.strategies,
        maxNewTokens: options.maxNewTokens,
      };
      const data = buildExport(
        {
          id: `bench-${createdAt}`,
          name: `bench ${backend.label} on ${dataset.name}`,
          createdAt,
          status: outcome.status === 'completed' ? 'completed' : 'cancelled',
          spec,
          baseline: options.baseline,
          manifest: manifestFor(options, spec, dataset, strategies, createdAt, backend),
        },
        { ...dataset, problems },
        outcome.results,
      );
      await writeFile(options.out, exportToJson(data, { strict: options.strict }));
    }
    if (outcome.status === 'aborted') {
      io.stderr.write(`thinkbench bench: interrupted after ${outcome.progress.done} of ${outcome.progress.total} units\n`);
      return EXIT.failure;
    }
    return EXIT.ok;
  } finally {
    process.off('SIGINT', onInterrupt);
    await backend.dispose();
  }
}

/** Strategies this server cannot run are refused before anything runs, each with the reason. */
function refuseUnsupported(strategies: readonly ResolvedStrategy[], server: ServerCapabilities): void {
  const refused = strategies.flatMap((strategy) => {
    const reason = unsupportedReason(strategy.setting, server);
    return reason === null ? [] : [`${strategy.text}: ${reason}`];
  });
  if (refused.length > 0) throw new UsageError(`--strategy: not supported by this server:\n  ${refused.join('\n  ')}`);
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

function manifestFor(
  options: BenchOptions,
  spec: ExperimentSpec,
  dataset: Dataset,
  strategies: readonly ResolvedStrategy[],
  createdAt: number,
  backend: BenchBackend,
): RunManifest {
  return {
    appVersion: appVersion(),
    runtime: `node ${process.version} ${process.platform} ${process.arch}`,
    model: { ...spec.model, files: backend.files },
    dataset: { id: dataset.id, name: dataset.name, source: dataset.source, n: options.n, seed: options.seed },
    strategies: strategies.map((strategy) => ({ text: strategy.text, id: strategy.setting.id, config: { ...asRecord(strategy.setting.config) } })),
    maxNewTokens: options.maxNewTokens,
    createdAt,
    ...(backend.server ? { server: backend.server } : {}),
  };
}

function appVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(resolve(import.meta.dirname, '..', 'package.json'), 'utf8'));
  const version = typeof pkg === 'object' && pkg !== null ? Reflect.get(pkg, 'version') : undefined;
  return typeof version === 'string' ? version : 'unknown';
}
