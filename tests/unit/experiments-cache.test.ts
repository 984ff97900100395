import { describe, expect, it } from 'vitest';
import type { GenerateRequest } from '../../src/lib/generate';
import { cachedGenerate, generationKey, isCachedSample, MemoryGenerationCache } from '../../src/lib/experiments/cache';
import { ANSWERS, scriptedModel } from './experiments-fixtures';

const identity = { modelId: 'thinkbench/tinythink', dtype: 'q8', device: 'cpu', weights: 'w1' };
const base: GenerateRequest = {
  prompt: { kind: 'chat', messages: [{ role: 'user', content: 'What is 10 + 20?' }], enableThinking: true },
  n: 4,
  maxNewTokens: 128,
  sampling: { temperature: 0.8, topK: 20, seed: 7 },
  stop: ['<|im_end|>'],
  thinking: { endMarker: '</think>', budgetTokens: 32, forcedText: '\n</think>\n\n' },
};

describe('generation cache keys', () => {
  it('gives identical requests the same key, whatever the key order, callbacks or signal', async () => {
    const reordered: GenerateRequest = {
      thinking: { forcedText: '\n</think>\n\n', budgetTokens: 32, endMarker: '</think>' },
      stop: ['<|im_end|>'],
      sampling: { seed: 7, topK: 20, temperature: 0.8 },
      maxNewTokens: 128,
      n: 4,
      prompt: { enableThinking: true, messages: [{ content: 'What is 10 + 20?', role: 'user' }], kind: 'chat' },
      signal: new AbortController().signal,
      onToken: () => {},
    };
    expect(await generationKey(identity, reordered)).toBe(await generationKey(identity, base));
    expect(await generationKey(identity, base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each<[string, GenerateRequest | null, typeof identity | null]>([
    ['model', null, { ...identity, modelId: 'other/model' }],
    ['dtype', null, { ...identity, dtype: 'fp32' }],
    ['prompt', { ...base, prompt: { kind: 'chat', messages: [{ role: 'user', content: 'What is 10 + 21?' }], enableThinking: true } }, null],
    ['thinking switch', { ...base, prompt: { kind: 'chat', messages: [{ role: 'user', content: 'What is 10 + 20?' }], enableThinking: false } }, null],
    ['n', { ...base, n: 5 }, null],
    ['temperature', { ...base, sampling: { ...base.sampling, temperature: 0.7 } }, null],
    ['top-k', { ...base, sampling: { ...base.sampling, topK: 40 } }, null],
    ['top-p', { ...base, sampling: { ...base.sampling, topP: 0.9 } }, null],
    ['seed', { ...base, sampling: { ...base.sampling, seed: 8 } }, null],
    ['max new tokens', { ...base, maxNewTokens: 129 }, null],
    ['stop strings', { ...base, stop: ['\n\n'] }, null],
    ['thinking budget', { ...base, thinking: { endMarker: '</think>', budgetTokens: 33, forcedText: '\n</think>\n\n' } }, null],
    ['thinking extension', { ...base, thinking: { endMarker: '</think>', budgetTokens: 32, forcedText: '\n</think>\n\n', extend: { times: 1, text: 'Wait' } } }, null],
  ])('a changed %s misses', async (_label, request, changedIdentity) => {
    expect(await generationKey(changedIdentity ?? identity, request ?? base)).not.toBe(await generationKey(identity, base));
  });
});

describe('cachedGenerate', () => {
  const greedy: GenerateRequest = { prompt: { kind: 'chat', messages: [{ role: 'user', content: 'What is 10 + 20?' }] }, n: 1, maxNewTokens: 64, sampling: { temperature: 0 } };

  it('serves an identical request from the cache, marked cached, with the original timings', async () => {
    const model = scriptedModel({ answers: ANSWERS, totalMs: 321 });
    const generate = cachedGenerate(model.generate, new MemoryGenerationCache(), identity);
    const fresh = await generate(greedy);
    const again = await generate({ ...greedy });
    expect(model.calls).toHaveLength(1);
    expect(fresh.every(isCachedSample)).toBe(false);
    expect(again.every(isCachedSample)).toBe(true);
    expect(again[0].text).toBe(fresh[0].text);
    expect(again[0].timings).toEqual(fresh[0].timings);
    expect(again[0].timings.totalMs).toBe(321);
    await generate({ ...greedy, maxNewTokens: 65 });
    expect(model.calls).toHaveLength(2);
  });

  it('does not cache sampled requests without a seed, nor aborted generations', async () => {
    const model = scriptedModel({ answers: ANSWERS });
    const cache = new MemoryGenerationCache();
    const generate = cachedGenerate(model.generate, cache, identity);
    const unseeded = { ...greedy, sampling: { temperature: 0.8 } };
    await generate(unseeded);
    await generate(unseeded);
    expect(model.calls).toHaveLength(2);
    expect(cache.size).toBe(0);

    const aborting = cachedGenerate(async (request) => (await model.generate(request)).map((s) => ({ ...s, finishReason: 'aborted' as const })), cache, identity);
    await aborting(greedy);
    expect(cache.size).toBe(0);
  });

  it('stores copies: mutating a returned sample does not change the cache', async () => {
    const model = scriptedModel({ answers: ANSWERS });
    const generate = cachedGenerate(model.generate, new MemoryGenerationCache(), identity);
    const first = await generate(greedy);
    first[0].timings.totalMs = -1;
    const hit = await generate(greedy);
    hit[0].text = 'changed';
    expect((await generate(greedy))[0]).toMatchObject({ text: first[0].text, timings: { totalMs: 55 } });
  });
});
