import { THINK_TAGS, PROMPTED, type ReasoningFormatSpec } from '../formats/reasoning-format';
import { needsShaderF16, type ModelDtype } from './dtype';
import type { ModelSkills } from './skills';

/**
 * The models thinkbench knows by name: the embedded one shipped in public/models and small
 * hub models with Transformers.js ONNX exports. Pure data plus pure choices over it; the
 * Models page, the engine's load options and `thinkbench pull` all read this one list.
 */
export interface CatalogEntry {
  /** Hub id, and the folder under public/models/ where a local copy lives. */
  id: string;
  label: string;
  /** `embedded` ships with the app; `hub` is downloaded (or pulled) first. */
  source: 'embedded' | 'hub';
  /** `model_type` in config.json. */
  modelType: string;
  /** As published by the authors, rounded; embeddings included. */
  parameterCount: number;
  /** vocab × hidden is the embedding matrix, the largest single tensor (adapter limits). */
  vocabSize: number;
  hiddenSize: number;
  contextTokens: number;
  /** ONNX variants published in the repo's onnx/ folder. */
  dtypes: readonly ModelDtype[];
  reasoning: ReasoningFormatSpec;
  revision: string;
  /** Set for models trained for narrow tasks only; the Experiments form warns on other datasets. */
  skills?: ModelSkills;
}

/** DeepSeek-R1 distills always think: their template has no switch, the chain cannot be turned off. */
export const ALWAYS_THINKS: ReasoningFormatSpec =
  THINK_TAGS.kind === 'think-tags' ? { ...THINK_TAGS, templateSwitch: false } : THINK_TAGS;

const ALL: readonly ModelDtype[] = ['fp32', 'fp16', 'q8', 'q4', 'q4f16'];

export const EMBEDDED_MODEL_ID = 'thinkbench/tinythink';

export const CATALOG: readonly CatalogEntry[] = [
  {
    id: EMBEDDED_MODEL_ID,
    label: 'tinythink (embedded)',
    source: 'embedded',
    modelType: 'llama',
    // From its config.json and model card (README.md); tests/unit/catalog.test.ts keeps them in step.
    parameterCount: 813_696,
    vocabSize: 102,
    hiddenSize: 128,
    contextTokens: 1024,
    dtypes: ['fp32', 'q8'],
    reasoning: THINK_TAGS,
    revision: 'main',
    // Its training data (tools/tinythink/data.py): running totals of two-digit numbers, as expressions or one templated sentence.
    skills: { tasks: ['integer-arithmetic'], trainedOn: 'multi-step integer arithmetic (+ and − on two-digit numbers)', example: 'What is 23 + 45 - 12?' },
  },
  hub('onnx-community/Qwen3-0.6B-ONNX', 'Qwen3 0.6B', 'qwen3', 0.6e9, 151_936, 1024, 40_960, THINK_TAGS),
  hub('onnx-community/Qwen2.5-0.5B-Instruct', 'Qwen2.5 0.5B Instruct', 'qwen2', 0.49e9, 151_936, 896, 32_768, PROMPTED),
  hub('onnx-community/Qwen2.5-1.5B-Instruct', 'Qwen2.5 1.5B Instruct', 'qwen2', 1.54e9, 151_936, 1536, 32_768, PROMPTED),
  hub('HuggingFaceTB/SmolLM2-135M-Instruct', 'SmolLM2 135M Instruct', 'llama', 0.135e9, 49_152, 576, 8192, PROMPTED),
  hub('HuggingFaceTB/SmolLM2-360M-Instruct', 'SmolLM2 360M Instruct', 'llama', 0.362e9, 49_152, 960, 8192, PROMPTED),
  hub('HuggingFaceTB/SmolLM2-1.7B-Instruct', 'SmolLM2 1.7B Instruct', 'llama', 1.71e9, 49_152, 2048, 8192, PROMPTED),
  hub('onnx-community/Llama-3.2-1B-Instruct', 'Llama 3.2 1B Instruct', 'llama', 1.24e9, 128_256, 2048, 131_072, PROMPTED),
  hub(
    'onnx-community/DeepSeek-R1-Distill-Qwen-1.5B-ONNX',
    'DeepSeek-R1 Distill Qwen 1.5B',
    'qwen2',
    1.78e9,
    151_936,
    1536,
    131_072,
    ALWAYS_THINKS,
  ),
  hub('onnx-community/gemma-3-1b-it-ONNX', 'Gemma 3 1B it', 'gemma3_text', 1.0e9, 262_144, 1152, 32_768, PROMPTED),
];

function hub(
  id: string,
  label: string,
  modelType: string,
  parameterCount: number,
  vocabSize: number,
  hiddenSize: number,
  contextTokens: number,
  reasoning: ReasoningFormatSpec,
): CatalogEntry {
  return {
    id,
    label,
    source: 'hub',
    modelType,
    parameterCount,
    vocabSize,
    hiddenSize,
    contextTokens,
    dtypes: ALL,
    reasoning,
    revision: 'main',
  };
}

export function findEntry(id: string, catalog: readonly CatalogEntry[] = CATALOG): CatalogEntry | undefined {
  return catalog.find((entry) => entry.id === id);
}

/**
 * Bytes per weight in the ONNX exports Transformers.js uses. q4/q4f16 quantize only the
 * MatMul weights (4 bits plus one fp32/fp16 scale per 32-weight block); the embedding Gather
 * stays at the float type. q8 quantizes both.
 */
const EMBEDDING_BYTES: Record<ModelDtype, number> = { fp32: 4, fp16: 2, q8: 1, q4: 4, q4f16: 2 };
const MATMUL_BYTES: Record<ModelDtype, number> = { fp32: 4, fp16: 2, q8: 1, q4: 0.625, q4f16: 0.5625 };

/**
 * An ESTIMATE of the download size from the parameter count — the hub's files differ by a few
 * to tens of percent (duplicated tied heads, graph overhead). The UI labels it "≈ … (estimate)";
 * exact sizes come from the hub's headers when the files are fetched.
 */
export function estimateDownloadBytes(entry: CatalogEntry, dtype: ModelDtype): number {
  const embedding = entry.vocabSize * entry.hiddenSize;
  const rest = Math.max(0, entry.parameterCount - embedding);
  return Math.round(embedding * EMBEDDING_BYTES[dtype] + rest * MATMUL_BYTES[dtype]);
}

/** The embedding matrix in bytes: the biggest buffer the model asks a GPU for. */
export function largestTensorBytes(entry: CatalogEntry, dtype: ModelDtype): number {
  return entry.vocabSize * entry.hiddenSize * EMBEDDING_BYTES[dtype];
}

export type InferenceDevice = 'webgpu' | 'wasm' | 'cpu';

/**
 * Preference per device. WebGPU: 4-bit with fp16 activations where the adapter can, else
 * 4-bit, else full precision (int8 MatMulInteger has no fast WebGPU kernel). WASM/CPU: q8,
 * whose integer kernels are the fast path there.
 */
const PREFERENCE: Record<'webgpu-f16' | InferenceDevice, readonly ModelDtype[]> = {
  'webgpu-f16': ['q4f16', 'q4', 'fp16', 'fp32', 'q8'],
  webgpu: ['q4', 'fp32', 'q8'],
  wasm: ['q8', 'q4', 'fp32'],
  cpu: ['q8', 'fp32', 'q4'],
};

export function chooseDtype(entry: Pick<CatalogEntry, 'id' | 'dtypes'>, device: InferenceDevice, shaderF16: boolean): ModelDtype {
  const key = device === 'webgpu' && shaderF16 ? 'webgpu-f16' : device;
  const choice = PREFERENCE[key].find((dtype) => entry.dtypes.includes(dtype));
  if (choice) return choice;
  // A hand-added repo may publish fp16 variants only (many WebGPU-first exports ship just q4f16).
  // WASM runs them; on WebGPU without shader-f16 nothing runs, so the first one is returned and
  // checkDeviceFit says why it cannot (a throw here broke ModelsStore.rows, i.e. every card).
  const fallback = entry.dtypes.find((dtype) => device !== 'webgpu' || shaderF16 || !needsShaderF16(dtype)) ?? entry.dtypes[0];
  if (!fallback) throw new RangeError(`${entry.id} lists no ONNX weights`);
  return fallback;
}

export type Fit = { fits: true } | { fits: false; reason: string };

/** Checks a dtype against the adapter before any download: shader-f16 and buffer limits. */
export function checkDeviceFit(
  entry: CatalogEntry,
  dtype: ModelDtype,
  device: InferenceDevice,
  adapter: { shaderF16: boolean; maxBufferSizeBytes?: number; maxStorageBufferBindingSizeBytes?: number },
): Fit {
  if (device !== 'webgpu') return { fits: true };
  if (needsShaderF16(dtype) && !adapter.shaderF16) {
    return { fits: false, reason: `${dtype} needs the WebGPU feature shader-f16, which this adapter lacks; use q4 or fp32 weights, or WASM.` };
  }
  const limit = Math.min(
    adapter.maxBufferSizeBytes ?? Number.POSITIVE_INFINITY,
    adapter.maxStorageBufferBindingSizeBytes ?? Number.POSITIVE_INFINITY,
  );
  const largest = largestTensorBytes(entry, dtype);
  if (largest > limit) {
    return {
      fits: false,
      reason: `${entry.label} in ${dtype} has a ${formatBytes(largest)} weight tensor; this adapter allows buffers up to ${formatBytes(limit)}. Pick a smaller dtype or WASM.`,
    };
  }
  return { fits: true };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}
