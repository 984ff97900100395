import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { GenerateRequest } from '../../src/lib/generate';
import { openThinkbenchDb } from '../../src/lib/db/open';
import { IdbGenerationCache, canonicalJson, generationKey } from '../../src/lib/db/generation-cache';
import { freshDbName, sample } from './db-fixtures';

const identity = { modelId: 'thinkbench/tinythink', dtype: 'fp32' };
const request: GenerateRequest = {
  prompt: { kind: 'chat', messages: [{ role: 'user', content: 'What is 23 + 45?' }], enableThinking: true },
  n: 4,
  maxNewTokens: 96,
  sampling: { temperature: 0.8, topK: 20, seed: 7 },
  thinking: { endMarker: '</think>' },
};

describe('generation cache keys', () => {
  it('an identical request gives the same key, whatever the key order and callbacks', async () => {
    const reordered: GenerateRequest = {
      thinking: { endMarker: '</think>' },
      sampling: { seed: 7, topK: 20, temperature: 0.8 },
      maxNewTokens: 96,
      n: 4,
      prompt: { enableThinking: true, messages: [{ content: 'What is 23 + 45?', role: 'user' }], kind: 'chat' },
      onToken: () => undefined,
      signal: new AbortController().signal,
    };
    expect(await generationKey(identity, reordered)).toBe(await generationKey(identity, request));
    expect(await generationKey(identity, request)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['model', { ...identity, modelId: 'other/model' }, request],
    ['dtype', { ...identity, dtype: 'q8' }, request],
    ['seed', identity, { ...request, sampling: { ...request.sampling, seed: 8 } }],
    ['temperature', identity, { ...request, sampling: { ...request.sampling, temperature: 0.7 } }],
    ['top-p', identity, { ...request, sampling: { ...request.sampling, topP: 0.9 } }],
    ['n', identity, { ...request, n: 5 }],
    ['max new tokens', identity, { ...request, maxNewTokens: 97 }],
    ['prompt', identity, { ...request, prompt: { kind: 'raw', text: 'What is 23 + 45?' } }],
    ['thinking budget', identity, { ...request, thinking: { endMarker: '</think>', budgetTokens: 16 } }],
    ['stop strings', identity, { ...request, stop: ['\n\n'] }],
  ] as const)('a changed %s gives another key', async (_what, changedIdentity, changedRequest) => {
    expect(await generationKey(changedIdentity, changedRequest as GenerateRequest)).not.toBe(
      await generationKey(identity, request),
    );
  });

  it('canonical JSON sorts nested keys but keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
  });
});

describe('IdbGenerationCache', () => {
  it('misses, then hits with the samples and their original timings', async () => {
    const db = await openThinkbenchDb({ name: freshDbName() });
    const cache = new IdbGenerationCache(db);
    const key = await generationKey(identity, request);
    expect(await cache.get(key)).toBeUndefined();
    const stored = [sample('first'), { ...sample('second'), timings: { ...sample().timings, ttftMs: 123 } }];
    await cache.put(key, identity, stored);
    expect(await cache.get(key)).toEqual(stored);
    expect(await cache.get(await generationKey(identity, { ...request, n: 3 }))).toBeUndefined();
    expect(await cache.count()).toBe(1);
    db.close();
  });

  it('stores only the Sample fields, not extras a caller attached', async () => {
    const db = await openThinkbenchDb({ name: freshDbName() });
    const cache = new IdbGenerationCache(db);
    await cache.put('k', identity, [{ ...sample(), role: 'chain', cached: true } as ReturnType<typeof sample>]);
    expect(Object.keys((await cache.get('k'))?.[0] ?? {}).sort()).toEqual(Object.keys(sample()).sort());
    db.close();
  });
});
