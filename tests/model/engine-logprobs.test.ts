/**
 * Per-token log-probabilities and `stopWhen` on the real embedded model (issue 13).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Prompt, Sample, TokenLogprobs } from '../../src/lib/generate';
import { THINK_TAGS, reasoningFormat } from '../../src/lib/formats/reasoning-format';
import { createEngine, type Engine } from '../../workers/engine/engine';
import { loadNodeModelParts } from '../../workers/engine/node';
import { MODEL_DIR } from './engine-fixture';

const format = reasoningFormat(THINK_TAGS);
const prompt: Prompt = format.prompt('What is 23 + 45 - 12 + 31?', { thinking: true });
let engine: Engine;

beforeAll(async () => {
  const loaded = await loadNodeModelParts({ modelDir: MODEL_DIR });
  engine = createEngine(loaded.parts, loaded.info);
});

function logprobsOf(sample: Sample): TokenLogprobs {
  if (!sample.logprobs) throw new Error('sample has no logprobs');
  return sample.logprobs;
}

function expectConsistent(sample: Sample, topK: number): void {
  const lp = logprobsOf(sample);
  expect(lp.tokenIds.length).toBe(sample.tokens);
  expect(lp.logprobs.length).toBe(sample.tokens);
  expect(lp.entropies.length).toBe(sample.tokens);
  expect(lp.tokenTexts.length).toBe(sample.tokens);
  expect(lp.topIds.length).toBe(sample.tokens * topK);
  expect(lp.topTexts.length).toBe(sample.tokens * topK);
  for (let i = 0; i < sample.tokens; i++) {
    expect(lp.logprobs[i]).toBeLessThanOrEqual(1e-6);
    expect(lp.entropies[i]).toBeGreaterThanOrEqual(0);
    const top = lp.topLogprobs.subarray(i * topK, (i + 1) * topK);
    let mass = 0;
    for (let j = 0; j < topK; j++) {
      mass += Math.exp(top[j]);
      if (j > 0) expect(top[j]).toBeLessThanOrEqual(top[j - 1]);
    }
    expect(mass).toBeLessThanOrEqual(1 + 1e-5);
    // The chosen token is never more likely than the most likely one.
    if (topK > 0) expect(lp.logprobs[i]).toBeLessThanOrEqual(top[0] + 1e-6);
  }
}

describe('per-token logprobs', () => {
  it('greedy: every token is the top-1 alternative, logprob equals its logprob, totals are <= 0', async () => {
    const [sample] = await engine.generate({ prompt, n: 1, maxNewTokens: 200, sampling: { temperature: 0 }, logprobs: { topK: 5 } });
    expectConsistent(sample, 5);
    const lp = logprobsOf(sample);
    expect(sample.tokens).toBeGreaterThan(10);
    let total = 0;
    for (let i = 0; i < sample.tokens; i++) {
      expect(lp.tokenIds[i]).toBe(lp.topIds[i * 5]);
      expect(lp.logprobs[i]).toBeCloseTo(lp.topLogprobs[i * 5], 6);
      expect(lp.tokenTexts[i]).toBe(lp.topTexts[i * 5]);
      expect(lp.sampledLogprobs[i]).toBe(0);
      total += lp.logprobs[i];
    }
    expect(total).toBeLessThanOrEqual(0);
    // Token texts rebuild the sample's text (EOS decodes to its own special text).
    expect(lp.tokenTexts.join('').startsWith(sample.text)).toBe(true);
  });

  it('does not change what is generated, and is absent when not asked', async () => {
    const request = { prompt, n: 3, maxNewTokens: 120, sampling: { temperature: 0.8, seed: 7 } } as const;
    const plain = await engine.generate(request);
    const withLogprobs = await engine.generate({ ...request, logprobs: { topK: 3 } });
    expect(withLogprobs.map((s) => s.text)).toEqual(plain.map((s) => s.text));
    expect(plain.every((s) => s.logprobs === undefined)).toBe(true);
    withLogprobs.forEach((sample) => expectConsistent(sample, 3));
  });

  it('sampled: raw logprob differs from the post-temperature one; batch rows equal their single-row runs', async () => {
    const batch = await engine.generate({ prompt, n: 4, maxNewTokens: 60, sampling: { temperature: 0.5, seed: 3 }, logprobs: { topK: 2 } });
    const lp = logprobsOf(batch[0]);
    // At T = 0.5 the drawn-from distribution is sharper: the chosen (likely) token gains.
    let rawSum = 0;
    let warpedSum = 0;
    for (let i = 0; i < batch[0].tokens; i++) {
      rawSum += lp.logprobs[i];
      warpedSum += lp.sampledLogprobs[i];
    }
    expect(warpedSum).toBeGreaterThan(rawSum);
    // Rows are independent: a greedy batch of 3 gives each row the single-row numbers.
    const single = (await engine.generate({ prompt, n: 1, maxNewTokens: 60, sampling: { temperature: 0 }, logprobs: { topK: 2 } }))[0];
    const rows = await engine.generate({ prompt, n: 3, maxNewTokens: 60, sampling: { temperature: 0 }, logprobs: { topK: 2 } });
    for (const row of rows) {
      expect(row.tokens).toBe(single.tokens);
      const got = logprobsOf(row).logprobs;
      const want = logprobsOf(single).logprobs;
      for (let i = 0; i < single.tokens; i++) expect(got[i]).toBeCloseTo(want[i], 4);
    }
  });

  it('a budget cut: forced text carries none; kept thinking and answer tokens do', async () => {
    const [sample] = await engine.generate({
      prompt,
      n: 1,
      maxNewTokens: 40,
      sampling: { temperature: 0 },
      thinking: format.thinkingControl(8),
      logprobs: { topK: 1 },
    });
    expect(sample.budgetCut).toBe(true);
    expect(sample.thinkingTokens).toBe(8);
    expectConsistent(sample, 1);
    const forced = format.thinkingControl(8).forcedText ?? '';
    expect(logprobsOf(sample).tokenTexts.join('')).not.toContain(forced);
  });
});

describe('stopWhen', () => {
  it('ends only the rows it names, as terminated, with their tokens counted and logprobs to the cut', async () => {
    const seen: number[] = [];
    const samples = await engine.generate({
      prompt,
      n: 3,
      maxNewTokens: 150,
      sampling: { temperature: 0 },
      logprobs: { topK: 4 },
      stopWhen: (row, progress) => {
        if (row === 1) seen.push(progress.confidences.length);
        expect(progress.confidences.length).toBe(progress.tokens);
        return row === 1 && progress.tokens >= 5;
      },
    });
    expect(samples[1].finishReason).toBe('terminated');
    expect(samples[1].tokens).toBe(5);
    expect(logprobsOf(samples[1]).logprobs.length).toBe(5);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(samples[0].finishReason).not.toBe('terminated');
    expect(samples[0].tokens).toBeGreaterThan(5);
    expect(samples[1].text).toBe(samples[0].text.slice(0, samples[1].text.length));
  });

  it('token confidences are DeepConf\'s: minus the mean top-K logprob', async () => {
    const kept: number[][] = [];
    const [sample] = await engine.generate({
      prompt,
      n: 1,
      maxNewTokens: 30,
      sampling: { temperature: 0 },
      logprobs: { topK: 4 },
      stopWhen: (_row, progress) => {
        kept.push(Array.from(progress.confidences));
        return false;
      },
    });
    const lp = logprobsOf(sample);
    const last = kept.at(-1) ?? [];
    // stopWhen is not asked after the token that finished the row (here the length limit).
    expect(sample.finishReason).toBe('length');
    expect(last.length).toBe(sample.tokens - 1);
    for (let i = 0; i < last.length; i++) {
      const top = Array.from(lp.topLogprobs.subarray(i * 4, i * 4 + 4));
      expect(last[i]).toBeCloseTo(-top.reduce((a, b) => a + b, 0) / 4, 5);
      expect(last[i]).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('logitBias', () => {
  it('bans a one-token text at every step while logprobs stay the model\'s own; a longer text is left alone', async () => {
    const request = { prompt, n: 1, maxNewTokens: 120, sampling: { temperature: 0 }, logprobs: { topK: 1 } } as const;
    const [plain] = await engine.generate(request);
    expect(plain.text).toContain('</think>');
    const [banned] = await engine.generate({ ...request, logitBias: [{ text: '</think>', bias: -Infinity }] });
    expect(banned.text).not.toContain('</think>');
    // Where the plain chain closed its thinking, the raw top-1 is still </think> in the banned run.
    const closeAt = logprobsOf(plain).tokenTexts.indexOf('</think>');
    expect(closeAt).toBeGreaterThan(0);
    expect(logprobsOf(banned).topTexts[closeAt]).toBe('</think>');
    expect(logprobsOf(banned).tokenTexts[closeAt]).not.toBe('</think>');
    const [multi] = await engine.generate({ ...request, logitBias: [{ text: 'What', bias: -Infinity }] });
    expect(multi.text).toBe(plain.text);
  });
});
