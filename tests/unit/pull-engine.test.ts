import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPull } from '../../cli/pull';
import { loadNodeEngine, EMBEDDED_MODEL_DIR } from '../../workers/engine/node';
import { startFakeHub, type FakeHub, type FakeRepo } from '../fixtures/hub/fake-hub';

/**
 * What `thinkbench pull` writes is a model folder the Node engine loads and runs: the embedded
 * model's real files are published on the fake hub, pulled, and generated from.
 */
const modelFiles = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json'];
const weights = ['onnx/model.onnx', 'onnx/model_quantized.onnx'];

function embeddedRepo(): FakeRepo {
  const repo: FakeRepo = {};
  for (const path of modelFiles) repo[path] = { content: readFileSync(join(EMBEDDED_MODEL_DIR, path)) };
  for (const path of weights) repo[path] = { content: readFileSync(join(EMBEDDED_MODEL_DIR, path)), lfs: true };
  return repo;
}

const silent = new Writable({ write: (_chunk, _encoding, done) => done() });

// The embedded model is committed with the repo, so a missing file fails here rather than skipping.
describe('a pulled model in the Node engine', () => {
  let hub: FakeHub;
  let outDir: string;
  beforeAll(async () => {
    hub = await startFakeHub({ 'test/tinythink': embeddedRepo() });
    outDir = await mkdtemp(join(tmpdir(), 'thinkbench-pull-engine-'));
  });
  afterAll(async () => {
    await hub.close();
    await rm(outDir, { recursive: true, force: true });
  });

  it('loads and generates from the pulled q8 weights', async () => {
    const code = await runPull(['test/tinythink', '--dtype', 'q8', '--out-dir', outDir], { endpoint: hub.endpoint, stderr: silent, stdout: silent });
    expect(code).toBe(0);
    const engine = await loadNodeEngine({ modelDir: join(outDir, 'test/tinythink'), dtype: 'q8' });
    try {
      const [sample] = await engine.generate({
        prompt: { kind: 'chat', messages: [{ role: 'user', content: 'What is 12 + 7?' }], enableThinking: false },
        n: 1,
        maxNewTokens: 16,
        sampling: { temperature: 0 },
      });
      expect(sample.tokens).toBeGreaterThan(0);
      expect(sample.text.length).toBeGreaterThan(0);
    } finally {
      await engine.dispose();
    }
  });
});
