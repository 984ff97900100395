/**
 * The weights fingerprint of a local model folder in Node: the SHA-256 of every file the engine
 * loads (config, tokenizer, the dtype's ONNX and its external data), as tools/tinythink/
 * evaluate.ts keys its outcome cache. Reading the files again is cheap next to loading them.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { weightsFingerprint, type FileIdentity } from '../../src/lib/models/weights-fingerprint';
import type { Dtype } from './engine';
import { onnxFile, requiredModelFiles } from './model-files';

export function modelFilesOnDisk(dir: string, dtype: Dtype): string[] {
  const onnx = onnxFile(dtype);
  const onnxDir = join(dir, dirname(onnx));
  const externalData = existsSync(onnxDir)
    ? readdirSync(onnxDir)
        .filter((name) => name.startsWith(`${basename(onnx)}_data`))
        .map((name) => `${dirname(onnx)}/${name}`)
    : [];
  const optional = ['generation_config.json'].filter((file) => existsSync(join(dir, file)));
  return [...requiredModelFiles(dtype), ...optional, ...externalData];
}

export async function nodeWeightsFingerprint(dir: string, dtype: Dtype): Promise<string> {
  const identities: FileIdentity[] = modelFilesOnDisk(dir, dtype).map((file) => {
    const bytes = readFileSync(join(dir, file));
    return { file, kind: 'bytes-sha256', value: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.byteLength };
  });
  return weightsFingerprint(identities);
}
