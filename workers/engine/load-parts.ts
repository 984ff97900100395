import { AutoModelForCausalLM, AutoTokenizer, type ProgressInfo } from '@huggingface/transformers';
import type { Device, Dtype, LoadProgress } from './engine';
import { toModelLoadError } from './errors';
import { LoadProgressAggregator } from './load-progress';
import { onnxFile } from './model-files';
import type { ModelParts } from './model-parts';

export interface LoadPartsOptions {
  /** What errors call the model (the catalog id). */
  modelId: string;
  /** What Transformers.js loads: an id under env.localModelPath / the hub, or a folder path. */
  source: string;
  device: Device;
  dtype: Dtype;
  /** Threads of onnxruntime-node's intra-op pool (Node only); default: the runtime's own choice. */
  threads?: number;
  onProgress?: (progress: LoadProgress) => void;
}

/** Loads tokenizer and model; any failure becomes a ModelLoadError naming the model and file. */
export async function loadModelParts(options: LoadPartsOptions): Promise<ModelParts> {
  const progress = new LoadProgressAggregator();
  const progress_callback = (info: ProgressInfo): void => {
    const view = progress.update(info);
    if (view) options.onProgress?.(view);
  };
  try {
    const tokenizer = await AutoTokenizer.from_pretrained(options.source, { progress_callback });
    const model = await AutoModelForCausalLM.from_pretrained(options.source, {
      device: options.device,
      dtype: options.dtype,
      ...(options.threads ? { session_options: { intraOpNumThreads: options.threads } } : {}),
      progress_callback,
    });
    return { model, tokenizer };
  } catch (error) {
    throw toModelLoadError(error, {
      modelId: options.modelId,
      unfinishedFiles: progress.unfinishedFiles(),
      weightsFile: onnxFile(options.dtype),
    });
  }
}
