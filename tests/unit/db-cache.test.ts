import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Generate, GenerateRequest } from '../../src/lib/generate';
import { cachedGenerate, generationKey, isCachedSample } from '../../src/lib/experiments/cache';
import { openThinkbenchDb } from '../../src/lib/db/open';
import { IdbGenerationCache } from '../../src/lib/db/generation-cache';
import { ExperimentsRepo } from '../../src/lib/db/experiments-repo';
import { experiment, freshDbName, sample } from './db-fixtures';

const identity = { modelId: 'thinkbench/tinythink', dtype: 'fp32', device: 'cpu', weights: 'w1' };
const request: GenerateRequest = {
  prompt: { kind: 'chat', messages: [{ role: 'user', content: 'What is 23 + 45?' }], enableThinking: true },
  n: 2,
  maxNewTokens: 96,
  sampling: { temperature: 0.8, topK: 20, seed: 7 },
  thinking: { endMarker: '</think>' },
};

/** A model stand-in that counts its calls and answers differently each time (so a hit is visible). */
function countingGenerate(): { generate: Generate; calls: () => number } {
  let calls = 0;
  const generate: Generate = async (req) => {
    calls += 1;
    return Array.from({ length: req.n }, (_, row) => ({
      ...sample(`call ${calls} row ${row}`),
      timings: { ...sample().timings, totalMs: 100 * calls },
    }));
  };
  return { generate, calls: () => calls };
}

describe('the generation cache in IndexedDB', () => {
  it('an identical request hits (no model call, marked cached, original timings); a changed parameter misses', async () => {
    const db = await openThinkbenchDb({ name: freshDbName() });
    const model = countingGenerate();
    const generate = cachedGenerate(model.generate, new IdbGenerationCache(db), identity);

    const first = await generate(request);
    expect(model.calls()).toBe(1);
    expect(first.some(isCachedSample)).toBe(false);

    const again = await generate({ ...request, onToken: () => undefined });
    expect(model.calls()).toBe(1);
    expect(again.every(isCachedSample)).toBe(true);
    expect(again.map((s) => [s.text, s.timings.totalMs])).toEqual(first.map((s) => [s.text, s.timings.totalMs]));

    const changes: GenerateRequest[] = [
      { ...request, sampling: { ...request.sampling, seed: 8 } },
      { ...request, sampling: { ...request.sampling, temperature: 0.7 } },
      { ...request, maxNewTokens: 95 },
      { ...request, thinking: { endMarker: '</think>', budgetTokens: 16 } },
      { ...request, prompt: { kind: 'raw', text: 'What is 23 + 45?' } },
    ];
    for (const [i, changed] of changes.entries()) {
      expect((await generate(changed)).some(isCachedSample)).toBe(false);
      expect(model.calls()).toBe(2 + i);
    }
    const otherDtype = cachedGenerate(model.generate, new IdbGenerationCache(db), { ...identity, dtype: 'q8' });
    await otherDtype(request);
    expect(model.calls()).toBe(7);
    db.close();
  });

  it('keeps logprobs apart: a request with them neither hits nor fills an entry without them; they persist as typed arrays', async () => {
    const name = freshDbName();
    const logprobs = {
      tokenTexts: ['7'],
      tokenIds: Int32Array.from([30]),
      logprobs: Float32Array.from([-0.25]),
      sampledLogprobs: Float32Array.from([-0.1]),
      entropies: Float32Array.from([0.9]),
      topK: 1,
      topIds: Int32Array.from([30]),
      topTexts: ['7'],
      topLogprobs: Float32Array.from([-0.25]),
    };
    let calls = 0;
    const model: Generate = async (req) => {
      calls += 1;
      return Array.from({ length: req.n }, () => ({ ...sample(`call ${calls}`), ...(req.logprobs ? { logprobs } : {}) }));
    };
    const db = await openThinkbenchDb({ name });
    await cachedGenerate(model, new IdbGenerationCache(db), identity)(request);
    const asked = { ...request, logprobs: { topK: 1 } };
    expect(await generationKey(identity, asked)).not.toBe(await generationKey(identity, request));
    await cachedGenerate(model, new IdbGenerationCache(db), identity)(asked);
    expect(calls).toBe(2);
    db.close();
    const reopened = await openThinkbenchDb({ name });
    const replay = await cachedGenerate(model, new IdbGenerationCache(reopened), identity)(asked);
    expect(calls).toBe(2);
    expect(replay[0].logprobs).toEqual(logprobs);
    expect(replay[0].logprobs?.topLogprobs).toBeInstanceOf(Float32Array);
    // A stopWhen hook is code: such requests are never served from, nor written to, the cache.
    await cachedGenerate(model, new IdbGenerationCache(reopened), identity)({ ...asked, stopWhen: () => false });
    expect(calls).toBe(3);
    reopened.close();
  });

  it('survives closing and reopening the database (a reloaded tab)', async () => {
    const name = freshDbName();
    const model = countingGenerate();
    const before = await openThinkbenchDb({ name });
    await cachedGenerate(model.generate, new IdbGenerationCache(before), identity)(request);
    before.close();
    const after = await openThinkbenchDb({ name });
    const replay = await cachedGenerate(model.generate, new IdbGenerationCache(after), identity)(request);
    expect(model.calls()).toBe(1);
    expect(replay.map((s) => s.text)).toEqual(['call 1 row 0', 'call 1 row 1']);
    after.close();
  });

  it('stores only the Sample fields and counts a run’s generations in the same write', async () => {
    const db = await openThinkbenchDb({ name: freshDbName() });
    await new ExperimentsRepo(db).create(experiment('exp-1'));
    const cache = new IdbGenerationCache(db, 'exp-1');
    const key = await generationKey(identity, request);
    await cache.put(key, identity, [{ ...sample(), role: 'chain', cached: true } as ReturnType<typeof sample>]);
    expect(Object.keys((await cache.get(key))?.[0] ?? {}).sort()).toEqual(Object.keys(sample()).sort());
    expect((await new ExperimentsRepo(db).get('exp-1'))?.generatedSamples).toBe(1);
    expect(await cache.count()).toBe(1);
    expect(await cache.sizeBytes()).toBeGreaterThan(100);
    db.close();
  });
});
