import { PROMPTED, THINK_TAGS, type ReasoningFormatSpec } from '../formats/reasoning-format';
import { ALWAYS_THINKS, type CatalogEntry } from './catalog';
import { MODEL_DTYPES, onnxFilePath, type ModelDtype } from './dtype';
import { architectureSupport, parseHubConfig, type HubModelConfig } from './hub-config';
import { HubError, httpError } from './hub-errors';
import { headFile, networkError, type FetchLike } from './hub-metadata';
import { fetchTree } from './hub-tree';
import { isValidHubId, resolveUrl } from './hub-url';
import { CONFIG_FILE, externalDataChunks, externalDataPaths } from './model-files';

/**
 * Turns a hand-typed hub id into a catalog entry — or refuses it with a reason — using only
 * small files and HEAD requests: config.json decides the architecture, tokenizer_config.json
 * the reasoning format, HEADs on onnx/ which dtypes exist. No weights are downloaded.
 */
export interface InspectOptions {
  endpoint: string;
  revision?: string;
  fetch: FetchLike;
  signal?: AbortSignal;
}

export interface InspectedModel {
  entry: CatalogEntry;
  config: HubModelConfig;
  /** Exact sizes from the hub of each published dtype's weights (ONNX file and external data). */
  onnxBytes: Partial<Record<ModelDtype, number>>;
}

/** Think tags if the template knows them; a switch only where it takes `enable_thinking`. */
export function reasoningFromTemplate(chatTemplate: string | undefined): ReasoningFormatSpec {
  if (!chatTemplate) return PROMPTED;
  if (chatTemplate.includes('enable_thinking')) return THINK_TAGS;
  if (chatTemplate.includes('<think>')) return ALWAYS_THINKS;
  return PROMPTED;
}

async function getJson(options: InspectOptions, repo: string, path: string, optional: boolean): Promise<unknown> {
  const url = resolveUrl(options.endpoint, repo, options.revision ?? 'main', path);
  let response: Response;
  try {
    response = await options.fetch(url, { signal: options.signal });
  } catch (error) {
    throw networkError(url, error, options.signal);
  }
  if (optional && response.status === 404 && response.headers.get('x-error-code') === 'EntryNotFound') return undefined;
  if (!response.ok) {
    // A missing config.json means the id is not a model repo we can use.
    const error = httpError(response.status, url, repo, response.headers.get('x-error-code'));
    if (path === CONFIG_FILE && error.name === 'HubFileNotFound') {
      throw new HubError('HubRepoNotFound', `"${repo}" has no config.json on the hub; it is not a Transformers model.`);
    }
    throw error;
  }
  try {
    return await response.json();
  } catch (error) {
    if (error instanceof HubError) throw error; // the body stalled (stall-watchdog.ts): not a JSON problem
    throw new HubError('InvalidHubResponse', `${url} is not valid JSON`, { cause: error });
  }
}

function chatTemplateOf(tokenizerConfig: unknown): string | undefined {
  if (typeof tokenizerConfig !== 'object' || tokenizerConfig === null) return undefined;
  const template = (tokenizerConfig as { chat_template?: unknown }).chat_template;
  if (typeof template === 'string') return template;
  // Some repos store named templates: [{ name: 'default', template: '…' }].
  if (Array.isArray(template)) {
    const named = template.find(
      (item): item is { template: string } =>
        typeof item === 'object' && item !== null && typeof (item as { template?: unknown }).template === 'string',
    );
    return named?.template;
  }
  return undefined;
}

/**
 * Which dtypes the repo publishes and the bytes of each one's weights: the ONNX file plus the
 * external data files config.json declares for it (an fp32 export keeps nearly all its bytes
 * in `model.onnx_data`). One tree listing, else a HEAD per file.
 */
async function publishedOnnx(options: InspectOptions, id: string, revision: string, config: HubModelConfig): Promise<Partial<Record<ModelDtype, number>>> {
  const onnxBytes: Partial<Record<ModelDtype, number>> = {};
  // A host whose tree API fails or is odd still serves files: fall back to HEADs, which report
  // their own errors.
  const tree = await fetchTree(options.fetch, options.endpoint, id, revision, ['onnx'], options.signal).catch(() => null);
  /** The file's size (0 when unknown), or null when the repo does not have it. */
  const sizeOf = async (path: string): Promise<number | null> => {
    if (tree) {
      const meta = tree.get(path);
      return meta ? (meta.sizeBytes ?? 0) : null;
    }
    const meta = await headFile(options.fetch, resolveUrl(options.endpoint, id, revision, path), id, { optional: true, signal: options.signal });
    return meta ? (meta.sizeBytes ?? 0) : null;
  };
  for (const dtype of MODEL_DTYPES) {
    const path = onnxFilePath(dtype);
    const graph = await sizeOf(path);
    if (graph === null) continue;
    let total = graph;
    for (const data of externalDataPaths(path, externalDataChunks(config, dtype))) total += (await sizeOf(data)) ?? 0;
    onnxBytes[dtype] = total;
  }
  return onnxBytes;
}

/** A rough parameter count from a published file's size (bytes per weight of its dtype). */
function parametersFromOnnx(onnxBytes: Partial<Record<ModelDtype, number>>): number {
  const bytesPerWeight: [ModelDtype, number][] = [['fp32', 4], ['fp16', 2], ['q8', 1], ['q4f16', 0.6], ['q4', 0.7]];
  for (const [dtype, perWeight] of bytesPerWeight) {
    const bytes = onnxBytes[dtype];
    if (bytes) return Math.round(bytes / perWeight);
  }
  return 0;
}

export async function inspectHubModel(id: string, options: InspectOptions): Promise<InspectedModel> {
  if (!isValidHubId(id)) {
    throw new HubError('HubRepoNotFound', `"${id}" is not a hub model id; expected owner/name, e.g. onnx-community/Qwen3-0.6B-ONNX.`);
  }
  const config = parseHubConfig(await getJson(options, id, CONFIG_FILE, false), `${id}/config.json`);
  const support = architectureSupport(config.modelType);
  if (!support.supported) throw new HubError('UnsupportedModelError', `${id}: ${support.reason}`);

  const revision = options.revision ?? 'main';
  const onnxBytes = await publishedOnnx(options, id, revision, config);
  const dtypes = MODEL_DTYPES.filter((dtype) => dtype in onnxBytes);
  if (dtypes.length === 0) {
    throw new HubError(
      'UnsupportedModelError',
      `${id} has no ONNX weights under onnx/ (model.onnx, model_q4.onnx, …); it is not a Transformers.js export. Look for an onnx-community/… copy.`,
    );
  }
  const tokenizerConfig = await getJson(options, id, 'tokenizer_config.json', true);
  const entry: CatalogEntry = {
    id,
    label: id.split('/')[1] ?? id,
    source: 'hub',
    modelType: config.modelType,
    parameterCount: parametersFromOnnx(onnxBytes),
    vocabSize: config.vocabSize ?? 0,
    hiddenSize: config.hiddenSize ?? 0,
    contextTokens: config.maxPositionEmbeddings ?? 2048,
    dtypes,
    reasoning: reasoningFromTemplate(chatTemplateOf(tokenizerConfig)),
    revision,
  };
  return { entry, config, onnxBytes };
}

/** Re-reads an entry saved by the app (localStorage); null when it is not one. */
export function parseSavedEntry(value: unknown): CatalogEntry | null {
  if (typeof value !== 'object' || value === null) return null;
  const entry = value as Partial<Record<keyof CatalogEntry, unknown>>;
  const reasoning = entry.reasoning as { kind?: unknown } | undefined;
  const numbers = [entry.parameterCount, entry.vocabSize, entry.hiddenSize, entry.contextTokens];
  if (
    typeof entry.id !== 'string' ||
    !isValidHubId(entry.id) ||
    typeof entry.label !== 'string' ||
    typeof entry.modelType !== 'string' ||
    typeof entry.revision !== 'string' ||
    !numbers.every((n) => typeof n === 'number') ||
    !Array.isArray(entry.dtypes) ||
    !entry.dtypes.every((d) => typeof d === 'string' && (MODEL_DTYPES as string[]).includes(d)) ||
    (reasoning?.kind !== 'think-tags' && reasoning?.kind !== 'prompted')
  ) {
    return null;
  }
  return { ...(value as CatalogEntry), source: 'hub' };
}
