/**
 * The capability probe and the remote Generate against servers that lack features: a fixture
 * answering as llama.cpp's server and as Ollama do (no `n`, a separate reasoning field, at most
 * 5 logprob alternatives; Ollama without continue_final_message), over real HTTP on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeServer } from '../../src/lib/backends/openai/probe';
import { createRemoteGenerate } from '../../src/lib/backends/openai/remote-generate';
import { unsupportedReason } from '../../src/lib/backends/openai/requirements';
import { resolveStrategies } from '../../src/lib/experiments/spec';
import { startFakeServer, type FakeServer } from '../fixtures/openai/fake-server';

describe.each(['llama.cpp', 'ollama'] as const)('probe against a %s-like server', (flavour) => {
  let server: FakeServer;
  beforeAll(async () => {
    server = await startFakeServer(flavour);
  });
  afterAll(() => server.close());

  it('finds n ignored, the reasoning field, the top-5 logprob cap, seeds and raw completions', async () => {
    const caps = await probeServer({ connection: { baseUrl: server.baseUrl } });
    expect(caps.model).toBe(`${flavour}-model`);
    expect(caps.honoursN).toBe(false);
    expect(caps.reasoningField).toBe(flavour === 'llama.cpp' ? 'reasoning_content' : 'reasoning');
    expect(caps.thinkTags).toBe(true);
    expect(caps.logprobs).toBe(true);
    expect(caps.topLogprobsCap).toBe(5);
    expect(caps.seedReproducible).toBe(true);
    expect(caps.completions).toBe(true);
    expect(caps.continueFinalMessage).toBe(flavour === 'llama.cpp');
    expect(caps.notes.join(' ')).toMatch(/ignores n/);
  });

  it('runs n samples as separate requests and puts separated reasoning back between think tags', async () => {
    const capabilities = await probeServer({ connection: { baseUrl: server.baseUrl } });
    const before = server.bodies.length;
    const generate = createRemoteGenerate({ connection: { baseUrl: server.baseUrl }, capabilities, concurrency: 2 });
    const tokens: string[] = [];
    const samples = await generate({
      prompt: { kind: 'chat', messages: [{ role: 'user', content: '2+3?' }] },
      n: 3,
      maxNewTokens: 64,
      sampling: { temperature: 1, seed: 10 },
      thinking: { endMarker: '</think>' },
      logprobs: { topK: 5 },
      onToken: (row, token) => row === 0 && tokens.push(`${token.phase}:${token.text}`),
    });
    expect(server.bodies.length - before).toBe(3);
    expect(samples.map((s) => s.text)).toEqual([
      '<think>2+3=5</think>The answer is 6.',
      '<think>2+3=5</think>The answer is 7.',
      '<think>2+3=5</think>The answer is 5.',
    ]);
    expect(tokens.join('')).toBe(`thinking:<think>2${['+', '3', '=', '5'].map((t) => `thinking:${t}`).join('')}thinking:</think>answer:Theanswer:${' answer'}answer: isanswer: 6answer:.`);
    expect(samples[0]).toMatchObject({ tokens: 10, thinkingTokens: 5, answerTokens: 5, finishReason: 'eos' });
    expect(samples[0].logprobs?.topK).toBe(5);
    expect(Array.from(samples[0].logprobs?.topLogprobs.slice(0, 5) ?? [])).toEqual([-0.5, -1.5, -2.5, -3.5, -4.5]);
  });

  it('disables budgeted strategies with the reason only where continue_final_message is missing', async () => {
    const caps = await probeServer({ connection: { baseUrl: server.baseUrl } });
    const [budgeted, cot] = resolveStrategies(['budgeted-cot:budget=0.5', 'cot']);
    const reason = unsupportedReason(budgeted.setting, caps);
    if (flavour === 'ollama') expect(reason).toMatch(/continue_final_message/);
    else expect(reason).toBeNull();
    expect(unsupportedReason(cot.setting, caps)).toBeNull();
  });
});

describe('stopWhen over a server', () => {
  let server: FakeServer;
  beforeAll(async () => {
    server = await startFakeServer('llama.cpp');
  });
  afterAll(() => server.close());

  it('ends a row where stopWhen says, keeping its tokens so far, with DeepConf confidences from streamed logprobs', async () => {
    const capabilities = await probeServer({ connection: { baseUrl: server.baseUrl } });
    const generate = createRemoteGenerate({ connection: { baseUrl: server.baseUrl }, capabilities, concurrency: 2 });
    const seen: number[][] = [];
    const [sample] = await generate({
      prompt: { kind: 'chat', messages: [{ role: 'user', content: '2+3?' }] },
      n: 1,
      maxNewTokens: 64,
      sampling: { temperature: 0, seed: 1 },
      logprobs: { topK: 2 },
      stopWhen: (_row, progress) => {
        seen.push(Array.from(progress.confidences));
        return progress.tokens >= 3;
      },
    });
    expect(sample.finishReason).toBe('terminated');
    expect(sample.tokens).toBe(3);
    expect(sample.text).toBe('<think>2+3');
    // The fixture's alternatives are -0.5 and -1.5: confidence 1 per token.
    expect(seen.at(-1)).toEqual([1, 1, 1]);
  });
});

describe('strategies a server cannot score', () => {
  it('refuses entropy-based selection, NoWait\'s logit bias and top-20 DeepConf on a top-5 server, each with the reason', async () => {
    const server = await startFakeServer('llama.cpp');
    try {
      const caps = await probeServer({ connection: { baseUrl: server.baseUrl } });
      const reasons = Object.fromEntries(
        resolveStrategies(['min-entropy', 'self-certainty', 'nowait', 'deepconf', 'deepconf:tokenConfidence=chosen', 'self-consistency:weighting=answer-prob']).map((strategy) => [strategy.text, unsupportedReason(strategy.setting, caps)]),
      );
      expect(reasons['min-entropy']).toMatch(/whole distribution/);
      expect(reasons['self-certainty']).toMatch(/whole distribution/);
      expect(reasons.nowait).toMatch(/logit_bias/);
      expect(reasons.deepconf).toMatch(/at most 5 .* 20 are needed/);
      expect(reasons['deepconf:tokenConfidence=chosen']).toBeNull();
      expect(reasons['self-consistency:weighting=answer-prob']).toBeNull();
      // Weights read from the chains' own logprobs need a server that returns them.
      const noLogprobs = { ...caps, logprobs: false, topLogprobsCap: 0 };
      for (const strategy of resolveStrategies(['self-consistency:weighting=answer-prob', 'self-consistency:weighting=min-prob,stop=consensus'])) {
        expect(unsupportedReason(strategy.setting, noLogprobs)).toMatch(/no per-token logprobs/);
      }
      expect(unsupportedReason(resolveStrategies(['self-consistency:stop=consensus'])[0].setting, noLogprobs)).toBeNull();
    } finally {
      await server.close();
    }
  });
});
