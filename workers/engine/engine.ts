/**
 * The engine: implements `Generate` (src/lib/generate.ts) over Transformers.js. Shared by the
 * browser worker and Node; the loaders (browser.ts, node.ts) build it from a loaded model.
 */
import type { Generate, Prompt } from '../../src/lib/generate';
import { eosTokenIds, type ModelParts } from './model-parts';
import { renderPrompt } from './render-prompt';
import type { RunContext } from './generate-step';
import { runGeneration } from './run-generation';
import { SerialQueue } from './serial-queue';

export type Device = 'webgpu' | 'wasm' | 'cpu';
export type Dtype = 'fp32' | 'fp16' | 'q8' | 'q4' | 'q4f16';

/**
 * Load progress. `loadedBytes`/`totalBytes` are totals over the files seen so far (for one
 * progress bar); `file` is the file this update is about.
 */
export interface LoadProgress {
  file: string;
  /** The current file's own bytes (the engine always sets them; optional for hand-made values). */
  fileLoadedBytes?: number;
  fileTotalBytes?: number;
  loadedBytes: number;
  totalBytes: number;
  filesDone: number;
  filesTotal: number;
}

export interface EngineInfo {
  modelId: string;
  device: Device;
  dtype: Dtype;
  /**
   * Fingerprint of the model files loaded (src/lib/models/weights-fingerprint.ts), the generation
   * cache's guard against a retrained model under the same id. Undefined when the files could
   * not be identified: then nothing may be served from the cache.
   */
  weights?: string;
  /** Threads of ONNX Runtime's WASM backend, as it started them (browser only; src/client/wasm-threads.ts). */
  threads?: number;
}

export interface Engine {
  readonly info: EngineInfo;
  generate: Generate;
  /** The chat template applied (add_generation_prompt, enable_thinking), or raw text as is. */
  renderPrompt(prompt: Prompt): string;
  countTokens(text: string): number;
  dispose(): Promise<void>;
}

export type { ModelParts } from './model-parts';

export interface EngineOptions {
  /**
   * Run a request's prompt through the model once and give every row a copy of its KV cache
   * (default), instead of prefilling the same prompt in every row. Off only to measure the difference.
   */
  prefillOnce?: boolean;
}

/**
 * Builds an engine from an already loaded model and tokenizer (benchmarks use this to compare
 * against a bare `model.generate` on the same objects). Requests run one at a time: they share
 * one ONNX session and the library's global sampling RNG.
 */
export function createEngine(parts: ModelParts, info: EngineInfo, options: EngineOptions = {}): Engine {
  const eosIds = eosTokenIds(parts);
  const context: RunContext = { parts, eosIds, prefillOnce: options.prefillOnce ?? true };
  const queue = new SerialQueue();
  return {
    info,
    generate: (request) => queue.run(() => runGeneration(context, request)),
    renderPrompt: (prompt) => renderPrompt(parts.tokenizer, prompt),
    countTokens: (text) => parts.tokenizer.encode(text, { add_special_tokens: false }).length,
    dispose: () => queue.run(async () => void (await parts.model.dispose())),
  };
}
