/** `thinkbench bench` command line → typed options; every mistake is a UsageError naming the flag. */
import { parseArgs } from 'node:util';
import { EMBEDDED_MODEL_DIR } from '../workers/engine/node';
import type { Dtype } from '../workers/engine/engine';
import { expandSettingSweep } from '../src/lib/strategies/setting-sweep';
import { StrategySettingError } from '../src/lib/strategies/settings';
import { UsageError } from './io';

export const BENCH_USAGE = `Usage: thinkbench bench [options]

Runs an experiment headless in Node (onnxruntime-node, device cpu) with the app's engine and
strategies — or on an OpenAI-compatible server (vLLM, SGLang, llama.cpp, Ollama, thinkbench
serve) with --backend — and prints the results table (accuracy with 95% Wilson interval,
fallback share, tokens, latency, time to first token, decode rate, samples per question,
McNemar against the baseline). The fallback share is the fraction of questions whose answer was
found only by the last-number fallback, with no answer cue.

Options:
  --model DIR           model folder (default ${EMBEDDED_MODEL_DIR})
  --model-id ID         id recorded in the results (default: the folder's last two segments)
  --dtype DTYPE         fp32, fp16, q8, q4 or q4f16 (default fp32)
  --dataset FILE        a JSONL file (GSM8K: question + answer ending "#### n"; other fields
                        with --fields) or a CSV file (needs --fields); default: the built-in
                        arithmetic generator
  --fields MAP          field mapping for --dataset, e.g. question=q,reference=a[,split=s,id=id]
  --split NAME          keep only this split of --dataset (needs split in --fields)
  --n N                 questions (default 20; for a file, a seeded sample of N)
  --seed S              dataset seed (default 1)
  --steps MIN-MAX       built-in difficulty in steps (default 1-5; the model saw 1-5)
  --strategy SPEC       repeatable: name or name:key=value,… (default: direct and cot), e.g.
                        --strategy self-consistency:k=10,stop=esc; one key may list values,
                        budgeted-cot:budget=0.25|0.5|1, for one row per value
  --baseline SPEC       the strategy the others are compared with (default: the first)
  --max-new-tokens N    token limit for a full chain (default 256)
  --out FILE            write the experiment as JSON (the app's import accepts it)
  --summary-json        print one JSON object per strategy per line instead of the table
                        (fields as in the table: accuracy, fallbackShare, meanTokens, …)
  --strict              count answers found only by the last-number fallback as wrong
                        (accuracy and McNemar)
  --backend URL         run on an OpenAI-compatible server instead, e.g. http://127.0.0.1:8000/v1;
                        its capabilities are probed first and recorded in --out's manifest
  --model NAME          with --backend: the server's model name (default: the first it lists)
  --api-key-env VAR     with --backend: read the API key from this environment variable
  --concurrency N       with --backend: most requests in flight when a server ignores n (default 4)
  --format FORMAT       with --backend: think-tags or prompted (default: think-tags when the
                        probe saw <think> or a reasoning field, else prompted)
  --help                this text

A progress bar goes to stderr on a terminal only. Ctrl-C stops the run and reports what finished.`;

export const DTYPES: readonly Dtype[] = ['fp32', 'fp16', 'q8', 'q4', 'q4f16'];

export interface FieldsOption {
  question: string;
  reference: string;
  choices?: string;
  split?: string;
  id?: string;
}

export type RemoteFormat = 'think-tags' | 'prompted';

export interface BackendOption {
  url: string;
  model?: string;
  apiKeyEnv?: string;
  concurrency: number;
  format?: RemoteFormat;
}

export interface BenchOptions {
  /** Set: run on this server; `modelDir`, `modelId` and `dtype` are then unused. */
  backend?: BackendOption;
  modelDir: string;
  modelId?: string;
  dtype: Dtype;
  dataset: { kind: 'builtin'; minSteps: number; maxSteps: number } | { kind: 'file'; path: string; fields?: FieldsOption; split?: string };
  n: number;
  seed: number;
  strategies: string[];
  baseline: string;
  maxNewTokens: number;
  out?: string;
  summaryJson: boolean;
  /** Count fallback answers wrong. */
  strict: boolean;
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      allowPositionals: false,
      strict: true,
      options: {
        model: { type: 'string' },
        'model-id': { type: 'string' },
        dtype: { type: 'string' },
        dataset: { type: 'string' },
        fields: { type: 'string' },
        split: { type: 'string' },
        n: { type: 'string' },
        seed: { type: 'string' },
        steps: { type: 'string' },
        strategy: { type: 'string', multiple: true },
        baseline: { type: 'string' },
        'max-new-tokens': { type: 'string' },
        out: { type: 'string' },
        'summary-json': { type: 'boolean' },
        strict: { type: 'boolean' },
        backend: { type: 'string' },
        'api-key-env': { type: 'string' },
        concurrency: { type: 'string' },
        format: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const knownDtype = parseDtype(values.dtype ?? 'fp32');
  const strategies = expandSweeps(values.strategy ?? ['direct', 'cot']);
  const baseline = values.baseline ?? strategies[0];
  if (!strategies.includes(baseline)) throw new UsageError(`--baseline "${baseline}" is not one of the --strategy values`);
  if (values.dataset === undefined && (values.fields !== undefined || values.split !== undefined)) {
    throw new UsageError('--fields and --split need --dataset');
  }
  if (values.dataset !== undefined && values.steps !== undefined) throw new UsageError('--steps is for the built-in dataset, not --dataset');
  const [minSteps, maxSteps] = parseSteps(values.steps ?? '1-5');
  const backend = values.backend === undefined ? undefined : parseBackend(values);
  if (backend === undefined) {
    for (const flag of ['api-key-env', 'concurrency', 'format'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} needs --backend`);
    }
  } else if (values.dtype !== undefined || values['model-id'] !== undefined) {
    throw new UsageError('--dtype and --model-id are for local models; with --backend, --model names the server\'s model');
  }
  return {
    ...(backend !== undefined ? { backend } : {}),
    modelDir: backend === undefined ? (values.model ?? EMBEDDED_MODEL_DIR) : EMBEDDED_MODEL_DIR,
    ...(values['model-id'] !== undefined ? { modelId: values['model-id'] } : {}),
    dtype: knownDtype,
    dataset:
      values.dataset === undefined
        ? { kind: 'builtin', minSteps, maxSteps }
        : {
            kind: 'file',
            path: values.dataset,
            ...(values.fields !== undefined ? { fields: parseFields(values.fields) } : {}),
            ...(values.split !== undefined ? { split: values.split } : {}),
          },
    n: positiveInt('--n', values.n ?? '20'),
    seed: nonNegativeInt('--seed', values.seed ?? '1'),
    strategies,
    baseline,
    maxNewTokens: positiveInt('--max-new-tokens', values['max-new-tokens'] ?? '256'),
    ...(values.out !== undefined ? { out: values.out } : {}),
    summaryJson: values['summary-json'] ?? false,
    strict: values.strict ?? false,
  };
}

/** `--strategy budgeted-cot:budget=0.25|0.5|1` is one row per value, as in the app (setting-sweep.ts). */
function expandSweeps(texts: readonly string[]): string[] {
  try {
    return texts.flatMap(expandSettingSweep);
  } catch (error) {
    if (error instanceof StrategySettingError) throw new UsageError(`--strategy: ${error.message}`);
    throw error;
  }
}

const FORMATS: readonly RemoteFormat[] = ['think-tags', 'prompted'];

function parseBackend(values: { backend?: string; model?: string; 'api-key-env'?: string; concurrency?: string; format?: string }): BackendOption {
  const url = values.backend ?? '';
  if (!/^https?:\/\//.test(url)) throw new UsageError(`--backend must be an http:// or https:// URL, got "${url}"`);
  const format = values.format === undefined ? undefined : FORMATS.find((known) => known === values.format);
  if (values.format !== undefined && format === undefined) throw new UsageError(`--format must be ${FORMATS.join(' or ')}, got "${values.format}"`);
  const apiKeyEnv = values['api-key-env'];
  if (apiKeyEnv !== undefined && process.env[apiKeyEnv] === undefined) throw new UsageError(`--api-key-env: the environment variable ${apiKeyEnv} is not set`);
  return {
    url,
    ...(values.model !== undefined ? { model: values.model } : {}),
    ...(apiKeyEnv !== undefined ? { apiKeyEnv } : {}),
    concurrency: positiveInt('--concurrency', values.concurrency ?? '4'),
    ...(format !== undefined ? { format } : {}),
  };
}

function positiveInt(flag: string, text: string): number {
  const value = nonNegativeInt(flag, text);
  if (value === 0) throw new UsageError(`${flag} must be at least 1`);
  return value;
}

/** `--dtype`, checked against the dtypes the engine loads (bench and serve). */
export function parseDtype(text: string): Dtype {
  const dtype = DTYPES.find((d) => d === text);
  if (dtype === undefined) throw new UsageError(`--dtype must be one of ${DTYPES.join(', ')}, got "${text}"`);
  return dtype;
}

export function nonNegativeInt(flag: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} must be a whole number, got "${text}"`);
  return Number(text);
}

function parseSteps(text: string): [number, number] {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!match) throw new UsageError(`--steps must be N or MIN-MAX, got "${text}"`);
  const min = Number(match[1]);
  const max = Number(match[2] ?? match[1]);
  if (min < 1 || max < min) throw new UsageError(`--steps must satisfy 1 <= MIN <= MAX, got "${text}"`);
  return [min, max];
}

const FIELD_KEYS = ['question', 'reference', 'choices', 'split', 'id'] as const;

function parseFields(text: string): FieldsOption {
  const fields: Partial<Record<(typeof FIELD_KEYS)[number], string>> = {};
  for (const pair of text.split(',')) {
    const [key, value, ...rest] = pair.split('=');
    const known = FIELD_KEYS.find((k) => k === key.trim());
    if (known === undefined || value === undefined || value.trim() === '' || rest.length > 0) {
      throw new UsageError(`--fields: "${pair}" should be KEY=FIELD with KEY one of ${FIELD_KEYS.join(', ')}`);
    }
    fields[known] = value.trim();
  }
  if (fields.question === undefined || fields.reference === undefined) throw new UsageError('--fields needs question=… and reference=…');
  return { ...fields, question: fields.question, reference: fields.reference };
}
