/**
 * The manifest that makes a run reproducible: model (id, dtype, device, adapter, file sizes),
 * dataset slice, every strategy's full settings (seeds included), browser and app version.
 */
import packageJson from '../../package.json';
import type { DatasetRecord } from '../lib/db/records';
import type { ResolvedStrategy } from '../lib/experiments/spec';
import type { ExperimentSpec, RunManifest } from '../lib/experiments/types';
import { isModelDtype, onnxFilePath } from '../lib/models/dtype';
import { asRecord } from '../lib/strategies/registry';
import type { ServerCapabilities } from '../lib/backends/openai/capabilities';

type ManifestFile = RunManifest['model']['files'][number];

/** Sizes of the model's files as the app serves them (a HEAD request each: cheap; no hashing of weights). */
async function localFileSizes(modelId: string, dtype: string): Promise<ManifestFile[]> {
  const paths = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];
  if (isModelDtype(dtype)) paths.push(onnxFilePath(dtype));
  const base = new URL(`models/${modelId}/`, document.baseURI);
  const files = await Promise.all(
    paths.map(async (path): Promise<ManifestFile | null> => {
      try {
        const response = await fetch(new URL(path, base), { method: 'HEAD' });
        const length = Number(response.headers.get('content-length'));
        return response.ok && Number.isFinite(length) && length > 0 ? { path, bytes: length } : null;
      } catch {
        return null; // not served locally (a hub model in the browser cache): sizes unknown
      }
    }),
  );
  return files.filter((file): file is ManifestFile => file !== null);
}

export async function buildManifest(
  spec: ExperimentSpec,
  dataset: DatasetRecord,
  resolved: readonly ResolvedStrategy[],
  adapter: string | undefined,
  server?: ServerCapabilities,
): Promise<RunManifest> {
  return {
    appVersion: packageJson.version,
    runtime: navigator.userAgent,
    model: {
      ...spec.model,
      ...(adapter ? { adapter } : {}),
      // A server's model files are not ours to see.
      files: server ? [] : await localFileSizes(spec.model.id, spec.model.dtype),
    },
    dataset: { ...spec.dataset, name: dataset.name, source: dataset.source },
    strategies: resolved.map((strategy) => ({
      text: strategy.text,
      id: strategy.setting.id,
      config: { ...asRecord(strategy.setting.config) },
    })),
    maxNewTokens: spec.maxNewTokens,
    createdAt: Date.now(),
    ...(server ? { server } : {}),
  };
}
