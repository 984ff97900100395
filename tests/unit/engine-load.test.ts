import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelLoadError, toModelLoadError } from '../../workers/engine/errors';
import { LoadProgressAggregator } from '../../workers/engine/load-progress';
import { loadNodeEngine } from '../../workers/engine/node';

describe('LoadProgressAggregator', () => {
  it('reports the current file and running totals over all files', () => {
    const progress = new LoadProgressAggregator();
    progress.update({ status: 'initiate', name: 'm', file: 'config.json' });
    progress.update({ status: 'progress', name: 'm', file: 'config.json', progress: 100, loaded: 500, total: 500 });
    progress.update({ status: 'done', name: 'm', file: 'config.json' });
    progress.update({ status: 'initiate', name: 'm', file: 'onnx/model.onnx' });
    const view = progress.update({ status: 'progress', name: 'm', file: 'onnx/model.onnx', progress: 25, loaded: 250, total: 1000 });
    expect(view).toEqual({
      file: 'onnx/model.onnx',
      fileLoadedBytes: 250,
      fileTotalBytes: 1000,
      loadedBytes: 750,
      totalBytes: 1500,
      filesDone: 1,
      filesTotal: 2,
    });
    expect(progress.unfinishedFiles()).toEqual(['onnx/model.onnx']);
    expect(progress.update({ status: 'ready', task: 't', model: 'm' })).toBeNull();
  });
});

describe('toModelLoadError', () => {
  const context = { modelId: 'org/model', unfinishedFiles: ['tokenizer.json'], weightsFile: 'onnx/model_quantized.onnx' };

  it('names the file a message mentions, relative to the model folder', () => {
    const error = toModelLoadError(new Error('Could not locate file: "/models/org/model/onnx/model_quantized.onnx".'), context);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error).toMatchObject({ name: 'ModelLoadError', modelId: 'org/model', file: 'onnx/model_quantized.onnx', reason: 'missing-file' });
    expect(error.message).toContain('org/model');
    expect(error.message).toContain('onnx/model_quantized.onnx');
  });

  it('blames the weights for a session error that names no file', () => {
    const error = toModelLoadError(new Error("Can't create a session. ERROR_CODE: 7, Protobuf parsing failed."), context);
    expect(error).toMatchObject({ file: 'onnx/model_quantized.onnx', reason: 'corrupt-file' });
  });

  it('blames config.json for an unsupported architecture', () => {
    const error = toModelLoadError(new Error('Unsupported model type: mamba9'), context);
    expect(error).toMatchObject({ file: 'config.json', reason: 'unsupported-architecture' });
  });

  it('falls back to the file still loading', () => {
    const error = toModelLoadError(new Error('Unexpected end of input'), context);
    expect(error).toMatchObject({ file: 'tokenizer.json', reason: 'unknown' });
  });
});

describe('loadNodeEngine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'engine-load-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails with the model and the missing file named, before touching the runtime', async () => {
    writeFileSync(join(dir, 'config.json'), '{}');
    writeFileSync(join(dir, 'tokenizer.json'), '{}');
    writeFileSync(join(dir, 'tokenizer_config.json'), '{}');
    const load = loadNodeEngine({ modelDir: dir, dtype: 'q8', modelId: 'local/broken' });
    await expect(load).rejects.toBeInstanceOf(ModelLoadError);
    await expect(load).rejects.toMatchObject({ modelId: 'local/broken', file: 'onnx/model_quantized.onnx', reason: 'missing-file' });
  });
});
