/**
 * Reading an export file back: every field is checked, and a bad file is rejected whole with
 * the path of the first problem (`units[3].result.samples[0].timings.ttftMs: expected a
 * number`). Files from a newer thinkbench are refused rather than half-read.
 */
import type { ExtractedAnswer, ExtractionRule } from '../answers/types';
import type { Dataset, DatasetProblem, DatasetSource } from '../datasets/types';
import type { FinishReason, SampleTimings } from '../generate';
import type { SampleRecord, StrategyResult, VoteCount } from '../strategies/types';
import { EXPORT_FORMAT, EXPORT_VERSION, type ExperimentExport, type ExportedExperiment } from './export-format';
import {
  boolean,
  child,
  ImportParseError,
  integer,
  list,
  nullable,
  number,
  object,
  oneOf,
  optional,
  string,
  type JsonObject,
} from './json-reader';
import type { ExperimentSpec, ExperimentStatus, ModelRef, RunManifest, UnitResult } from './types';
import { parseCapabilities } from '../backends/openai/capabilities';

import { readLogprobs } from './logprobs-json';

export { ImportParseError } from './json-reader';

const keys = <T extends string>(record: Record<T, true>) => Object.keys(record) as T[];
const FINISH_REASONS = keys<FinishReason>({ eos: true, stop: true, length: true, aborted: true, terminated: true });
const RULES = keys<ExtractionRule>({
  'gsm8k-hash': true,
  boxed: true,
  'answer-cue': true,
  'the-answer-is': true,
  'choice-letter': true,
  'yes-no': true,
  'last-number': true,
});
const STATUSES = keys<ExperimentStatus>({
  pending: true,
  running: true,
  paused: true,
  interrupted: true,
  cancelled: true,
  failed: true,
  completed: true,
});

export function parseExperimentExport(text: string): ExperimentExport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ImportParseError('', `not valid JSON (${(error as Error).message})`);
  }
  const root = object(json, '');
  if (root.format !== EXPORT_FORMAT) throw new ImportParseError('format', `not a thinkbench experiment export (expected "${EXPORT_FORMAT}")`);
  const version = integer(root, 'version', '');
  if (version > EXPORT_VERSION) throw new ImportParseError('version', `made by a newer thinkbench (version ${version}; this one reads up to ${EXPORT_VERSION})`);
  if (version < 1) throw new ImportParseError('version', `unknown version ${version}`);
  const experiment = readExperiment(child(root, 'experiment', ''));
  const dataset = readDataset(child(root, 'dataset', ''));
  const units = list(root, 'units', '', (value, path) => readUnit(object(value, path), path));
  checkConsistency(experiment, dataset, units);
  return { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: string(root, 'exportedAt', ''), experiment, dataset, units };
}

function readExperiment({ value, path }: { value: JsonObject; path: string }): ExportedExperiment {
  const baseline = optional(value, 'baseline', () => string(value, 'baseline', path));
  return {
    id: string(value, 'id', path),
    name: string(value, 'name', path),
    createdAt: number(value, 'createdAt', path),
    status: oneOf(value, 'status', path, STATUSES),
    spec: readSpec(child(value, 'spec', path)),
    ...(baseline !== undefined ? { baseline } : {}),
    manifest: nullable(value, 'manifest', () => readManifest(child(value, 'manifest', path))),
  };
}

function readModel({ value, path }: { value: JsonObject; path: string }): ModelRef {
  return { id: string(value, 'id', path), dtype: string(value, 'dtype', path), device: string(value, 'device', path) };
}

function readSpec({ value, path }: { value: JsonObject; path: string }): ExperimentSpec {
  const dataset = child(value, 'dataset', path);
  return {
    model: readModel(child(value, 'model', path)),
    dataset: { id: string(dataset.value, 'id', dataset.path), n: integer(dataset.value, 'n', dataset.path), seed: integer(dataset.value, 'seed', dataset.path) },
    strategies: list(value, 'strategies', path, (entry, at) => {
      if (typeof entry !== 'string') throw new ImportParseError(at, 'expected text');
      return entry;
    }),
    maxNewTokens: integer(value, 'maxNewTokens', path),
  };
}

function readManifest({ value, path }: { value: JsonObject; path: string }): RunManifest {
  const model = child(value, 'model', path);
  const dataset = child(value, 'dataset', path);
  const adapter = optional(model.value, 'adapter', () => string(model.value, 'adapter', model.path));
  const server = value.server === undefined ? undefined : parseCapabilities(value.server);
  if (server === null) throw new ImportParseError(`${path}.server`, 'not a server capabilities record');
  return {
    appVersion: string(value, 'appVersion', path),
    runtime: string(value, 'runtime', path),
    model: {
      ...readModel(model),
      ...(adapter !== undefined ? { adapter } : {}),
      files: list(model.value, 'files', model.path, (entry, at) => {
        const file = object(entry, at);
        const sha256 = optional(file, 'sha256', () => string(file, 'sha256', at));
        return { path: string(file, 'path', at), bytes: integer(file, 'bytes', at), ...(sha256 !== undefined ? { sha256 } : {}) };
      }),
    },
    dataset: {
      id: string(dataset.value, 'id', dataset.path),
      name: string(dataset.value, 'name', dataset.path),
      source: readSource(child(dataset.value, 'source', dataset.path)),
      n: integer(dataset.value, 'n', dataset.path),
      seed: integer(dataset.value, 'seed', dataset.path),
    },
    strategies: list(value, 'strategies', path, (entry, at) => {
      const strategy = object(entry, at);
      return { text: string(strategy, 'text', at), id: string(strategy, 'id', at), config: { ...child(strategy, 'config', at).value } };
    }),
    maxNewTokens: integer(value, 'maxNewTokens', path),
    createdAt: number(value, 'createdAt', path),
    ...(server !== undefined ? { server } : {}),
  };
}

function readSource({ value, path }: { value: JsonObject; path: string }): DatasetSource {
  const kind = oneOf(value, 'kind', path, ['builtin', 'file', 'hf-rows'] as const);
  switch (kind) {
    case 'builtin':
      return {
        kind,
        generator: oneOf(value, 'generator', path, ['arithmetic'] as const),
        n: integer(value, 'n', path),
        seed: integer(value, 'seed', path),
        minSteps: integer(value, 'minSteps', path),
        maxSteps: integer(value, 'maxSteps', path),
      };
    case 'file':
      return { kind, format: oneOf(value, 'format', path, ['gsm8k', 'jsonl', 'csv'] as const), fileName: string(value, 'fileName', path) };
    case 'hf-rows':
      return {
        kind,
        host: string(value, 'host', path),
        dataset: string(value, 'dataset', path),
        config: string(value, 'config', path),
        split: string(value, 'split', path),
      };
  }
}

function readDataset({ value, path }: { value: JsonObject; path: string }): Dataset {
  return {
    id: string(value, 'id', path),
    name: string(value, 'name', path),
    source: readSource(child(value, 'source', path)),
    problems: list(value, 'problems', path, (entry, at) => {
      const problem = object(entry, at);
      const choices = optional(problem, 'choices', () =>
        list(problem, 'choices', at, (choice, choiceAt) => {
          if (typeof choice !== 'string') throw new ImportParseError(choiceAt, 'expected text');
          return choice;
        }),
      );
      const split = optional(problem, 'split', () => string(problem, 'split', at));
      const read: DatasetProblem = { id: string(problem, 'id', at), question: string(problem, 'question', at), reference: string(problem, 'reference', at) };
      if (choices !== undefined) read.choices = choices;
      if (split !== undefined) read.split = split;
      return read;
    }),
  };
}

function readUnit(value: JsonObject, path: string): UnitResult {
  return {
    unitId: string(value, 'unitId', path),
    strategy: string(value, 'strategy', path),
    problemId: string(value, 'problemId', path),
    reference: string(value, 'reference', path),
    answer: nullable(value, 'answer', () => string(value, 'answer', path)),
    correct: boolean(value, 'correct', path),
    result: readResult(child(value, 'result', path)),
    latencyMs: number(value, 'latencyMs', path),
    cachedSamples: integer(value, 'cachedSamples', path),
    finishedAt: number(value, 'finishedAt', path),
  };
}

function readResult({ value, path }: { value: JsonObject; path: string }): StrategyResult {
  const totals = child(value, 'totals', path);
  const details = optional(value, 'details', () => ({ ...child(value, 'details', path).value }));
  return {
    answer: nullable(value, 'answer', () => string(value, 'answer', path)),
    samples: list(value, 'samples', path, (entry, at) => readSample(object(entry, at), at)),
    votes: list(value, 'votes', path, (entry, at): VoteCount => {
      const vote = object(entry, at);
      return { answer: string(vote, 'answer', at), count: integer(vote, 'count', at), weight: number(vote, 'weight', at) };
    }),
    totals: {
      samples: integer(totals.value, 'samples', totals.path),
      tokens: integer(totals.value, 'tokens', totals.path),
      thinkingTokens: integer(totals.value, 'thinkingTokens', totals.path),
      answerTokens: integer(totals.value, 'answerTokens', totals.path),
      wallMs: number(totals.value, 'wallMs', totals.path),
    },
    ...(details !== undefined ? { details } : {}),
  };
}

function readSample(value: JsonObject, path: string): SampleRecord & { cached?: boolean } {
  const timings = child(value, 'timings', path);
  const cached = optional(value, 'cached', () => boolean(value, 'cached', path));
  const logprobs = optional(value, 'logprobs', () => {
    const at = child(value, 'logprobs', path);
    return readLogprobs(at.value, at.path);
  });
  const extension = optional(value, 'thinkingExtension', () => {
    const at = child(value, 'thinkingExtension', path);
    return { times: integer(at.value, 'times', at.path), addedTokens: integer(at.value, 'addedTokens', at.path) };
  });
  const read: SampleTimings = {
    promptTokens: integer(timings.value, 'promptTokens', timings.path),
    ttftMs: number(timings.value, 'ttftMs', timings.path),
    prefillMs: number(timings.value, 'prefillMs', timings.path),
    decodeMs: number(timings.value, 'decodeMs', timings.path),
    decodeTokensPerS: number(timings.value, 'decodeTokensPerS', timings.path),
    totalMs: number(timings.value, 'totalMs', timings.path),
  };
  return {
    text: string(value, 'text', path),
    tokens: integer(value, 'tokens', path),
    thinkingTokens: integer(value, 'thinkingTokens', path),
    answerTokens: integer(value, 'answerTokens', path),
    finishReason: oneOf(value, 'finishReason', path, FINISH_REASONS),
    budgetCut: boolean(value, 'budgetCut', path),
    ...(extension !== undefined ? { thinkingExtension: extension } : {}),
    timings: read,
    role: string(value, 'role', path),
    answer: nullable(value, 'answer', () => readAnswer(child(value, 'answer', path))),
    ...(cached !== undefined ? { cached } : {}),
    ...(logprobs !== undefined ? { logprobs } : {}),
  };
}

function readAnswer({ value, path }: { value: JsonObject; path: string }): ExtractedAnswer {
  return {
    value: string(value, 'value', path),
    raw: string(value, 'raw', path),
    rule: oneOf(value, 'rule', path, RULES),
    fallback: boolean(value, 'fallback', path),
  };
}

/** Cross-checks that a hand-edited or truncated file would fail: units name known strategies and questions, once each. */
function checkConsistency(experiment: ExportedExperiment, dataset: Dataset, units: readonly UnitResult[]): void {
  const strategies = new Set(experiment.spec.strategies);
  const problems = new Set(dataset.problems.map((problem) => problem.id));
  const seen = new Set<string>();
  units.forEach((unit, index) => {
    const path = `units[${index}]`;
    if (!strategies.has(unit.strategy)) throw new ImportParseError(`${path}.strategy`, `"${unit.strategy}" is not a strategy of this experiment`);
    if (!problems.has(unit.problemId)) throw new ImportParseError(`${path}.problemId`, `"${unit.problemId}" is not a question of the dataset`);
    if (seen.has(unit.unitId)) throw new ImportParseError(`${path}.unitId`, `"${unit.unitId}" appears twice`);
    seen.add(unit.unitId);
  });
  if (experiment.baseline !== undefined && !strategies.has(experiment.baseline)) {
    throw new ImportParseError('experiment.baseline', `"${experiment.baseline}" is not a strategy of this experiment`);
  }
}
