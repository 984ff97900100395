/** Loads the engine in Node on onnxruntime-node (device 'cpu'), from a local folder only. */
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { env } from '@huggingface/transformers';
import { createEngine, type Dtype, type Engine, type EngineInfo, type LoadProgress } from './engine';
import type { ModelParts } from './model-parts';
import { ModelLoadError } from './errors';
import { loadModelParts } from './load-parts';
import { requiredModelFiles } from './model-files';
import { nodeWeightsFingerprint } from './node-weights';

/** The embedded model, relative to the repository root. */
export const EMBEDDED_MODEL_DIR = 'public/models/thinkbench/tinythink';

export interface NodeEngineOptions {
  modelDir: string;
  dtype?: Dtype;
  /** Defaults to the folder's last two path segments (`thinkbench/tinythink`). */
  modelId?: string;
  /** onnxruntime-node's intra-op threads; default: the runtime's own choice (one per physical core). */
  threads?: number;
  onProgress?: (progress: LoadProgress) => void;
}

export async function loadNodeEngine(options: NodeEngineOptions): Promise<Engine> {
  const { parts, info } = await loadNodeModelParts(options);
  return createEngine(parts, info);
}

/**
 * The loaded model and tokenizer without the engine around them, for measurements against a
 * bare `model.generate` on the same objects (`createEngine(parts, info)` builds the engine).
 */
export async function loadNodeModelParts(
  options: NodeEngineOptions,
): Promise<{ parts: ModelParts; info: EngineInfo }> {
  const dir = resolve(options.modelDir);
  const dtype = options.dtype ?? 'fp32';
  const modelId = options.modelId ?? `${basename(dirname(dir))}/${basename(dir)}`;
  // Checked up front: the library's own missing-file errors are less clear about what to do.
  for (const file of requiredModelFiles(dtype)) {
    if (!existsSync(join(dir, file))) {
      throw new ModelLoadError({ modelId, file, reason: 'missing-file', detail: `${join(dir, file)} does not exist` });
    }
  }
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  const parts = await loadModelParts({ modelId, source: dir, device: 'cpu', dtype, threads: options.threads, onProgress: options.onProgress });
  return { parts, info: { modelId, device: 'cpu', dtype, weights: await nodeWeightsFingerprint(dir, dtype) } };
}
