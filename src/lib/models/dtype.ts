/**
 * Weight precisions a model can ship and the ONNX file each one loads.
 *
 * The suffixes mirror Transformers.js 4.3.1 (`src/utils/dtypes.js`, DEFAULT_DTYPE_SUFFIX_MAPPING):
 * the catalog, the CLI `pull` and the browser download must ask for exactly the file the engine
 * will later open, or a "cached" model would miss its weights.
 */
export const DTYPE_SUFFIX = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  q4: '_q4',
  q4f16: '_q4f16',
} as const;

/** Structurally the same union as the engine's `Dtype` (workers/engine/engine.ts). */
export type ModelDtype = keyof typeof DTYPE_SUFFIX;

export const MODEL_DTYPES = Object.keys(DTYPE_SUFFIX) as ModelDtype[];

export function isModelDtype(value: string): value is ModelDtype {
  return Object.hasOwn(DTYPE_SUFFIX, value);
}

/** `onnx/model_q4f16.onnx` for q4f16. */
export function onnxFilePath(dtype: ModelDtype): string {
  return `onnx/model${DTYPE_SUFFIX[dtype]}.onnx`;
}

/** Whether running this dtype needs the WebGPU `shader-f16` feature. */
export function needsShaderF16(dtype: ModelDtype): boolean {
  return dtype === 'fp16' || dtype === 'q4f16';
}
