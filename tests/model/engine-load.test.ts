import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelLoadError } from '../../workers/engine/errors';
import { loadNodeEngine } from '../../workers/engine/node';
import { MODEL_DIR, chatPrompt, readReference } from './engine-fixture';

/** A copy of the embedded model's folder with one file replaced, to break it on purpose. */
function brokenCopy(root: string, name: string, file: string, contents: string): string {
  const dir = join(root, name);
  cpSync(MODEL_DIR, dir, { recursive: true });
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  writeFileSync(join(dir, file), contents);
  return dir;
}

describe('loading failures name the model and the file', () => {
  const root = mkdtempSync(join(tmpdir(), 'engine-broken-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reports a corrupt ONNX file', async () => {
    const dir = brokenCopy(root, 'corrupt', 'onnx/model.onnx', '<!doctype html><title>not a model</title>');
    const load = loadNodeEngine({ modelDir: dir, modelId: 'test/corrupt' });
    await expect(load).rejects.toBeInstanceOf(ModelLoadError);
    await expect(load).rejects.toMatchObject({ modelId: 'test/corrupt', file: 'onnx/model.onnx', reason: 'corrupt-file' });
  });

  it('reports an architecture the library cannot run', async () => {
    const config = JSON.parse(readFileSync(join(MODEL_DIR, 'config.json'), 'utf8')) as Record<string, unknown>;
    const dir = brokenCopy(root, 'arch', 'config.json', JSON.stringify({ ...config, model_type: 'no-such-arch' }));
    const load = loadNodeEngine({ modelDir: dir, modelId: 'test/arch' });
    await expect(load).rejects.toBeInstanceOf(ModelLoadError);
    await expect(load).rejects.toMatchObject({ modelId: 'test/arch', file: 'config.json', reason: 'unsupported-architecture' });
    await expect(load).rejects.toThrow(/test\/arch/);
  });
});

describe('q8 weights', () => {
  it('load and decode greedily, every row of a batch alike', async () => {
    const engine = await loadNodeEngine({ modelDir: MODEL_DIR, dtype: 'q8' });
    expect(engine.info).toMatchObject({ device: 'cpu', dtype: 'q8' });
    const entry = readReference()[0];
    const samples = await engine.generate({ prompt: chatPrompt(entry), n: 2, maxNewTokens: 24, sampling: { temperature: 0 } });
    expect(samples[0].tokens).toBeGreaterThan(0);
    expect(samples[1].text).toBe(samples[0].text);
    await engine.dispose();
  });
});
