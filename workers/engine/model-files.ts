import type { Dtype } from './engine';

/** ONNX file suffix per dtype (Transformers.js src/utils/dtypes.js). */
const ONNX_SUFFIX: Record<Dtype, string> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  q4: '_q4',
  q4f16: '_q4f16',
};

export function onnxFile(dtype: Dtype): string {
  return `onnx/model${ONNX_SUFFIX[dtype]}.onnx`;
}

/** Every file a causal LM folder must hold for Transformers.js (without tokenizer_config.json
 * the tokenizer silently fails to load). generation_config.json is optional. */
export function requiredModelFiles(dtype: Dtype): string[] {
  return ['config.json', 'tokenizer.json', 'tokenizer_config.json', onnxFile(dtype)];
}
