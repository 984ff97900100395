/**
 * The generation cache is keyed by the model files' fingerprint and the device, not by model id
 * + dtype alone: a retrained model under the same id must miss the cache.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Generate, GenerateRequest, Sample } from '../../src/lib/generate';
import { cachedGenerate, generationIdentity, MemoryGenerationCache } from '../../src/lib/experiments/cache';
import { fileIdentity, weightsFingerprint, WeightsUnknownError, type FileSources, type HeaderLike } from '../../src/lib/models/weights-fingerprint';
import { browserWeightsFingerprint, fileUrls } from '../../workers/engine/browser-weights';
import { nodeWeightsFingerprint } from '../../workers/engine/node-weights';

const request: GenerateRequest = {
  prompt: { kind: 'chat', messages: [{ role: 'user', content: 'What is 2 + 3?' }], enableThinking: true },
  n: 1,
  maxNewTokens: 16,
  sampling: { temperature: 0 },
};

/** A model whose every call is counted: a cache hit makes no call. */
function countingModel(text: string): { generate: Generate; calls: () => number } {
  let calls = 0;
  const sample: Sample = {
    text,
    tokens: 3,
    thinkingTokens: 0,
    answerTokens: 3,
    finishReason: 'eos',
    budgetCut: false,
    timings: { promptTokens: 5, ttftMs: 1, prefillMs: 1, decodeMs: 1, totalMs: 2 },
  } as Sample;
  return {
    generate: async (req) => {
      calls += 1;
      return Array.from({ length: req.n }, () => ({ ...sample }));
    },
    calls: () => calls,
  };
}

function headers(values: Record<string, string>): HeaderLike {
  return { get: (name) => values[name.toLowerCase()] ?? null };
}

describe('a changed weights file misses the generation cache (Node: SHA-256 of the files)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weights-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'onnx'));
  for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) writeFileSync(join(dir, file), '{}');

  it('same files hit, retrained weights miss, another device misses', async () => {
    writeFileSync(join(dir, 'onnx/model.onnx'), 'weights v1');
    const before = await nodeWeightsFingerprint(dir, 'fp32');
    expect(await nodeWeightsFingerprint(dir, 'fp32')).toBe(before);

    const cache = new MemoryGenerationCache();
    const old = countingModel('old weights');
    const info = { modelId: 'thinkbench/tinythink', dtype: 'fp32', device: 'cpu' };
    const first = cachedGenerate(old.generate, cache, generationIdentity({ ...info, weights: before }));
    await first(request);
    await first(request);
    expect(old.calls()).toBe(1); // the second call was a hit

    writeFileSync(join(dir, 'onnx/model.onnx'), 'weights v2'); // a retrain: same id, same dtype
    const after = await nodeWeightsFingerprint(dir, 'fp32');
    expect(after).not.toBe(before);
    const retrained = countingModel('new weights');
    const [sample] = await cachedGenerate(retrained.generate, cache, generationIdentity({ ...info, weights: after }))(request);
    expect(retrained.calls()).toBe(1);
    expect(sample.text).toBe('new weights');

    const elsewhere = countingModel('other device');
    await cachedGenerate(elsewhere.generate, cache, generationIdentity({ ...info, device: 'wasm', weights: after }))(request);
    expect(elsewhere.calls()).toBe(1);
  });

  it('external data files count too', async () => {
    writeFileSync(join(dir, 'onnx/model.onnx'), 'graph');
    writeFileSync(join(dir, 'onnx/model.onnx_data'), 'data v1');
    const before = await nodeWeightsFingerprint(dir, 'fp32');
    writeFileSync(join(dir, 'onnx/model.onnx_data'), 'data v2');
    expect(await nodeWeightsFingerprint(dir, 'fp32')).not.toBe(before);
  });

  it('unknown files: no identity, so nothing is cached', async () => {
    const model = countingModel('x');
    const generate = cachedGenerate(model.generate, new MemoryGenerationCache(), generationIdentity({ modelId: 'm', dtype: 'q8', device: 'wasm' }));
    await generate(request);
    await generate(request);
    expect(model.calls()).toBe(2);
  });
});

describe('browser: file identities from headers, bytes only as a last resort', () => {
  const location = { modelId: 'thinkbench/tinythink', localModelPath: '/models/', remoteHost: null };
  const base = 'http://localhost:5173/';

  /** Sources over fixed tables; counts byte reads. */
  function sources(tables: { cached?: Record<string, HeaderLike>; head?: Record<string, HeaderLike>; bytes?: Record<string, string> }) {
    let byteReads = 0;
    const s: FileSources = {
      cachedHeaders: async (url) => tables.cached?.[url] ?? null,
      headHeaders: async (url) => tables.head?.[url] ?? null,
      bytes: async (url) => {
        const body = tables.bytes?.[url];
        if (body === undefined) return null;
        byteReads += 1;
        return new TextEncoder().encode(body).buffer as ArrayBuffer;
      },
    };
    return { s, byteReads: () => byteReads };
  }

  it('a rewritten file served with a new ETag changes the fingerprint, without reading its bytes', async () => {
    const url = fileUrls(location, 'onnx/model.onnx', base)[0];
    expect(url).toBe('http://localhost:5173/models/thinkbench/tinythink/onnx/model.onnx');
    const v1 = sources({ head: { [url]: headers({ etag: 'W/"3213-1700000000000"', 'content-length': '3213' }) } });
    const v2 = sources({ head: { [url]: headers({ etag: 'W/"3213-1700000999000"', 'content-length': '3213' }) } });
    const a = await browserWeightsFingerprint(location, ['onnx/model.onnx'], v1.s, base);
    const b = await browserWeightsFingerprint(location, ['onnx/model.onnx'], v2.s, base);
    expect(a).not.toBe(b);
    expect(await browserWeightsFingerprint(location, ['onnx/model.onnx'], v1.s, base)).toBe(a);
    expect(v1.byteReads() + v2.byteReads()).toBe(0);
  });

  it("prefers Cache Storage's stored headers (offline) and the hub's content hash", async () => {
    const hub = { ...location, remoteHost: 'https://huggingface.co/' };
    const [remote] = fileUrls(hub, 'onnx/model_q4.onnx', base);
    expect(remote).toBe('https://huggingface.co/thinkbench/tinythink/resolve/main/onnx/model_q4.onnx');
    const stored = sources({ cached: { [remote]: headers({ 'x-linked-etag': '"abc123"', 'x-linked-size': '999', etag: '"xyz"' }) } });
    expect(await fileIdentity('onnx/model_q4.onnx', [remote], stored.s)).toEqual({
      file: 'onnx/model_q4.onnx',
      kind: 'content-sha256',
      value: 'abc123',
      bytes: 999,
    });
  });

  it('hashes the bytes when no header identifies the file, and refuses when nothing can be read', async () => {
    const url = fileUrls(location, 'config.json', base)[0];
    const plain = sources({ head: { [url]: headers({}) }, bytes: { [url]: '{"a":1}' } });
    const identity = await fileIdentity('config.json', [url], plain.s);
    expect(identity.kind).toBe('bytes-sha256');
    expect(plain.byteReads()).toBe(1);
    await expect(fileIdentity('config.json', [url], sources({}).s)).rejects.toBeInstanceOf(WeightsUnknownError);
  });

  it('is order-independent over files', async () => {
    const x = { file: 'a', kind: 'etag' as const, value: '1', bytes: 1 };
    const y = { file: 'b', kind: 'etag' as const, value: '2', bytes: 2 };
    expect(await weightsFingerprint([x, y])).toBe(await weightsFingerprint([y, x]));
  });
});
