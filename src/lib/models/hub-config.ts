import { HubError } from './hub-errors';

/**
 * A model's config.json as thinkbench needs it, parsed once at the edge. Unknown keys are
 * ignored; wrong types are an `InvalidHubResponse` naming the field and the file.
 */
export type ExternalData = boolean | number;

export interface HubModelConfig {
  modelType: string;
  vocabSize?: number;
  hiddenSize?: number;
  maxPositionEmbeddings?: number;
  /** `transformers.js_config.use_external_data_format`: per file name, or one value for all. */
  externalData?: ExternalData | Record<string, ExternalData>;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalNumber(object: JsonObject, key: string, source: string): number | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new HubError('InvalidHubResponse', `${source}: "${key}" should be a number, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Transformers.js 4.3.1 refuses more external data chunks than this (MAX_EXTERNAL_DATA_CHUNKS in
 * utils/hub/constants.js); checking here, at the edge, keeps a hostile `1e9` from becoming a
 * billion-entry file list that exhausts memory before anything is downloaded.
 */
export const MAX_EXTERNAL_DATA_CHUNKS = 100;

function parseExternalDataValue(item: unknown, field: string, source: string): ExternalData {
  if (typeof item === 'boolean') return item;
  if (typeof item !== 'number' || !Number.isInteger(item) || item < 0) {
    throw new HubError('InvalidHubResponse', `${source}: ${field} should be a boolean or a whole number of chunks, got ${JSON.stringify(item)}`);
  }
  if (item > MAX_EXTERNAL_DATA_CHUNKS) {
    throw new HubError(
      'InvalidHubResponse',
      `${source}: ${field} declares ${item} external data chunks; thinkbench (like Transformers.js) refuses more than ${MAX_EXTERNAL_DATA_CHUNKS}.`,
    );
  }
  return item;
}

function parseExternalData(value: unknown, source: string): HubModelConfig['externalData'] {
  if (value === undefined || value === null) return undefined;
  if (isObject(value)) {
    const out: Record<string, ExternalData> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = parseExternalDataValue(item, `use_external_data_format.${key}`, source);
    }
    return out;
  }
  if (typeof value === 'boolean' || typeof value === 'number') return parseExternalDataValue(value, 'use_external_data_format', source);
  throw new HubError('InvalidHubResponse', `${source}: use_external_data_format should be a boolean, number or object`);
}

export function parseHubConfig(json: unknown, source: string): HubModelConfig {
  if (!isObject(json)) throw new HubError('InvalidHubResponse', `${source} is not a JSON object`);
  // Multimodal configs nest the language model's sizes under text_config.
  const sizes = isObject(json.text_config) ? json.text_config : json;
  const modelType = json.model_type;
  if (typeof modelType !== 'string' || modelType === '') {
    throw new HubError('InvalidHubResponse', `${source} has no "model_type"; it is not a Transformers model config`);
  }
  const tjs = json['transformers.js_config'];
  return {
    modelType,
    vocabSize: optionalNumber(sizes, 'vocab_size', source),
    hiddenSize: optionalNumber(sizes, 'hidden_size', source),
    maxPositionEmbeddings: optionalNumber(sizes, 'max_position_embeddings', source),
    externalData: isObject(tjs) ? parseExternalData(tjs.use_external_data_format, source) : undefined,
  };
}

/**
 * model_type values Transformers.js 4.3.1 maps to a causal LM (MODEL_FOR_CAUSAL_LM_MAPPING_NAMES
 * in src/models/registry.js) AND that thinkbench allows: text-only decoders whose only state is
 * an attention KV cache, which the engine's batching and budget-cut continuation rely on.
 * tests/unit/catalog.test.ts checks each one against the installed library.
 */
export const SUPPORTED_MODEL_TYPES: ReadonlySet<string> = new Set([
  'llama', 'mistral', 'ministral', 'qwen2', 'qwen3', 'gemma', 'gemma2', 'gemma3_text', 'phi', 'phi3',
  'gpt2', 'gpt_neo', 'gpt_neox', 'gptj', 'codegen', 'smollm3', 'olmo', 'olmo2', 'granite', 'stablelm',
  'starcoder2', 'cohere', 'helium', 'exaone', 'glm', 'mobilellm', 'ernie4_5', 'arcee', 'apertus', 'opt', 'bloom',
]);

/** Causal-LM types refused on purpose, with the reason the user sees. */
const REFUSED: ReadonlyMap<string, string> = new Map([
  ...['qwen2_vl', 'qwen2_5_vl', 'qwen3_vl', 'qwen3_vl_moe', 'phi3_v', 'gemma3', 'gemma3n', 'gemma4', 'multi_modality'].map(
    (type): [string, string] => [type, 'is a vision-language (multimodal) model; thinkbench runs text-only chat models'],
  ),
  ...['lfm2', 'lfm2_moe', 'granitemoehybrid', 'falcon_h1', 'nemotron_h', 'qwen3_next', 'qwen3_5', 'qwen3_5_text', 'qwen3_5_moe', 'olmo_hybrid'].map(
    (type): [string, string] => [type, 'keeps recurrent state besides the attention KV cache, which the engine cannot batch or continue after a budget cut'],
  ),
  ...['gpt_oss', 'qwen2_moe', 'qwen3_moe', 'afmoe', 'deepseek_v3', 'deepseek_v4', 'glm_moe_dsa', 'mistral4', 'llama4_text'].map(
    (type): [string, string] => [type, 'is a mixture-of-experts model far larger than a browser tab can hold'],
  ),
  ...['trocr', 'mbart'].map((type): [string, string] => [type, 'is the decoder half of an encoder-decoder model, not a chat model']),
]);

export type Support = { supported: true } | { supported: false; reason: string };

export function architectureSupport(modelType: string): Support {
  if (SUPPORTED_MODEL_TYPES.has(modelType)) return { supported: true };
  const refused = REFUSED.get(modelType);
  if (refused) return { supported: false, reason: `model_type "${modelType}" ${refused}.` };
  return {
    supported: false,
    reason: `model_type "${modelType}" is not a text-generation architecture thinkbench supports with Transformers.js 4.3.1 (supported: ${[...SUPPORTED_MODEL_TYPES].join(', ')}).`,
  };
}
