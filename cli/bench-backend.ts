/**
 * Where `thinkbench bench` generates: the local engine (a model folder on onnxruntime-node) or an
 * OpenAI-compatible server (probed first). Both give the runner the same things: a `Generate`,
 * the model's reasoning format, the cache identity and what the manifest records.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Generate } from '../src/lib/generate';
import { PROMPTED, reasoningFormat, THINK_TAGS, type ReasoningFormat } from '../src/lib/formats/reasoning-format';
import { reasoningFromTemplate } from '../src/lib/models/custom-model';
import { generationIdentity, type GenerationIdentity } from '../src/lib/experiments/cache';
import type { ModelRef, RunManifest } from '../src/lib/experiments/types';
import type { ServerCapabilities } from '../src/lib/backends/openai/capabilities';
import { probeServer } from '../src/lib/backends/openai/probe';
import { createRemoteGenerate } from '../src/lib/backends/openai/remote-generate';
import { normalizeBaseUrl, type Connection } from '../src/lib/backends/openai/transport';
import { loadNodeEngine } from '../workers/engine/node';
import { onnxFile } from '../workers/engine/model-files';
import type { BackendOption, BenchOptions } from './bench-args';
import type { CliIo } from './io';

export interface BenchBackend {
  generate: Generate;
  format: ReasoningFormat;
  /** What keys the run's in-memory generation cache; null turns it off (weights not identified). */
  identity: GenerationIdentity | null;
  model: ModelRef;
  files: RunManifest['model']['files'];
  server?: ServerCapabilities;
  /** A short name for the run's title. */
  label: string;
  dispose(): Promise<void>;
}

export async function openLocalBackend(options: BenchOptions): Promise<BenchBackend> {
  const engine = await loadNodeEngine({ modelDir: options.modelDir, dtype: options.dtype, ...(options.modelId ? { modelId: options.modelId } : {}) });
  const { modelId } = engine.info;
  return {
    generate: engine.generate,
    format: reasoningFormat(reasoningFromTemplate(chatTemplateOf(options.modelDir))),
    identity: generationIdentity(engine.info),
    model: { id: modelId, dtype: options.dtype, device: 'cpu' },
    files: modelFiles(options),
    label: options.modelDir.split('/').filter(Boolean).pop() ?? modelId,
    dispose: () => engine.dispose(),
  };
}

export async function openRemoteBackend(backend: BackendOption, io: CliIo, signal: AbortSignal): Promise<BenchBackend> {
  const connection: Connection = {
    baseUrl: normalizeBaseUrl(backend.url),
    ...(backend.apiKeyEnv !== undefined ? { apiKey: process.env[backend.apiKeyEnv] ?? '' } : {}),
    onRetry: (notice) => io.stderr.write(`thinkbench bench: ${notice.url} answered ${notice.status}; retry ${notice.attempt} in ${Math.round(notice.delayMs)} ms\n`),
  };
  io.stderr.write(`thinkbench bench: probing ${connection.baseUrl} …\n`);
  const capabilities = await probeServer({ connection, ...(backend.model !== undefined ? { model: backend.model } : {}), signal });
  io.stderr.write(`thinkbench bench: ${describeCapabilities(capabilities)}\n`);
  for (const note of capabilities.notes) io.stderr.write(`  ${note}\n`);
  const format = backend.format ?? (capabilities.thinkTags ? 'think-tags' : 'prompted');
  return {
    generate: createRemoteGenerate({ connection, capabilities, concurrency: backend.concurrency }),
    format: reasoningFormat(format === 'think-tags' ? THINK_TAGS : PROMPTED),
    // The cache lives for this one run against this one server, so the server and model name
    // identify the weights well enough; two servers with one model name are kept apart.
    identity: { modelId: `${connection.baseUrl}#${capabilities.model}`, dtype: 'remote', device: 'server', weights: `served by ${connection.baseUrl}` },
    model: { id: capabilities.model, dtype: 'remote', device: `server ${connection.baseUrl}` },
    files: [],
    server: capabilities,
    label: capabilities.model,
    dispose: async () => {},
  };
}

/** One line: what the probe found. */
export function describeCapabilities(c: ServerCapabilities): string {
  const yes = (flag: boolean) => (flag ? 'yes' : 'no');
  return [
    `model ${c.model}`,
    `n ${c.honoursN ? 'honoured' : 'ignored (fan-out)'}`,
    `logprobs ${c.logprobs ? `top ${c.topLogprobsCap}` : 'no'}`,
    `seed reproducible ${yes(c.seedReproducible)}`,
    `top_k ${yes(c.topK)}`,
    `raw completions ${yes(c.completions)}`,
    `continue_final_message ${yes(c.continueFinalMessage)}`,
    `reasoning ${c.reasoningField ?? (c.thinkTags ? '<think> in content' : 'none seen')}`,
  ].join(', ');
}

function chatTemplateOf(modelDir: string): string | undefined {
  const config: unknown = JSON.parse(readFileSync(join(modelDir, 'tokenizer_config.json'), 'utf8'));
  const template = typeof config === 'object' && config !== null ? Reflect.get(config, 'chat_template') : undefined;
  return typeof template === 'string' ? template : undefined;
}

function modelFiles(options: BenchOptions): RunManifest['model']['files'] {
  return ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', onnxFile(options.dtype)]
    .filter((file) => existsSync(join(options.modelDir, file)))
    .map((file) => {
      const bytes = readFileSync(join(options.modelDir, file));
      return { path: file, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    });
}
