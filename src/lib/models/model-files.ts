import { DTYPE_SUFFIX, onnxFilePath, type ModelDtype } from './dtype';
import { MAX_EXTERNAL_DATA_CHUNKS, type HubModelConfig } from './hub-config';

/**
 * The files the engine opens for a model in a dtype — what a download must fetch and what
 * "cached" must find. Mirrors Transformers.js 4.3.1 (get_model_files.js / model-loader.js):
 * external data chunks `model<suffix>.onnx_data`, `…onnx_data_1`, … as declared in config.json.
 */
export interface ModelFile {
  path: string;
  /** Optional files may be missing on the hub (generation_config.json). */
  required: boolean;
}

export const CONFIG_FILE = 'config.json';

export function externalDataChunks(config: HubModelConfig, dtype: ModelDtype): number {
  const setting = config.externalData;
  if (setting === undefined || setting === false) return 0;
  if (typeof setting === 'boolean' || typeof setting === 'number') return Number(setting);
  const fullName = `model${DTYPE_SUFFIX[dtype]}.onnx`;
  const value = Object.hasOwn(setting, fullName) ? setting[fullName] : setting.model;
  return value === undefined ? 0 : Number(value);
}

export function externalDataPaths(onnxPath: string, chunks: number): string[] {
  // parseHubConfig refuses these already; this guards configs built by hand.
  if (!Number.isInteger(chunks) || chunks < 0 || chunks > MAX_EXTERNAL_DATA_CHUNKS) {
    throw new RangeError(`${chunks} external data chunks for ${onnxPath}: at most ${MAX_EXTERNAL_DATA_CHUNKS} are allowed`);
  }
  return Array.from({ length: chunks }, (_, i) => `${onnxPath}_data${i === 0 ? '' : `_${i}`}`);
}

export function modelFiles(config: HubModelConfig, dtype: ModelDtype): ModelFile[] {
  const onnx = onnxFilePath(dtype);
  return [
    { path: CONFIG_FILE, required: true },
    { path: 'generation_config.json', required: false },
    { path: 'tokenizer.json', required: true },
    { path: 'tokenizer_config.json', required: true },
    { path: onnx, required: true },
    ...externalDataPaths(onnx, externalDataChunks(config, dtype)).map((path) => ({ path, required: true })),
  ];
}
