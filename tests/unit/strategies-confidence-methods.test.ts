/**
 * The logprob methods of issue 13 (DeepConf, self-certainty, min-entropy) on a scripted
 * Generate whose per-token confidences are set by the test.
 */
import { describe, expect, it } from 'vitest';
import { THINK_TAGS, reasoningFormat } from '../../src/lib/formats/reasoning-format';
import { runSetting } from '../../src/lib/strategies/registry';
import { parseStrategySetting } from '../../src/lib/strategies/settings';
import { groupConfidences, percentile } from '../../src/lib/strategies/token-confidence';
import { windowBelow } from '../../src/lib/strategies/deepconf';
import type { Problem, SampleRecord, StrategyContext } from '../../src/lib/strategies/types';
import { fakeGenerate, type FakeOptions } from './helpers/fake-generate';
import { buildMatrix } from '../../src/lib/experiments/matrix';
import { runExperiment } from '../../src/lib/experiments/runner';
import { resolveStrategies } from '../../src/lib/experiments/spec';
import { summarize } from '../../src/lib/experiments/summary';

const problem: Problem = { id: 'p1', question: 'What is 23 + 45 - 12?', reference: '56' };
const chain = (answer: number) => `<think>\n23+45=68\n68-12=${answer}\n</think>\n\nThe answer is ${answer}.`;

function setup(options: FakeOptions) {
  const fake = fakeGenerate(options);
  const seen: SampleRecord[] = [];
  const context: StrategyContext = {
    generate: fake.generate,
    format: reasoningFormat(THINK_TAGS),
    maxNewTokens: 200,
    onSample: (s) => seen.push(s),
  };
  return { ...fake, seen, context };
}

describe('token confidence helpers', () => {
  it('groups are sliding-window means; a short trace is one group (compute_least_grouped)', () => {
    expect(groupConfidences([1, 2, 3, 4], 2)).toEqual([1.5, 2.5, 3.5]);
    expect(groupConfidences([1, 2, 3], 5)).toEqual([2]);
    expect(groupConfidences([], 5)).toEqual([]);
  });

  it('percentile interpolates linearly as numpy does', () => {
    expect(percentile([1, 2, 3, 4, 5], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4], 10)).toBeCloseTo(1.3, 10);
    expect(percentile([5], 90)).toBe(5);
  });

  it('the online stop rule fires on the first full window whose mean is below the threshold', () => {
    const rule = windowBelow(2, 3);
    const values = new Float32Array([3, 3, 3, 1, 1, 3]);
    const fired = [1, 2, 3, 4, 5, 6].map((count) => rule(0, { tokens: count, confidences: values.subarray(0, count) }));
    // Windows: [3,3,3]=3, [3,3,1]=2.33, [3,1,1]=1.67 < 2 → fires at token 5.
    expect(fired).toEqual([false, false, false, false, true, true]);
  });
});

describe('deepconf', () => {
  it('offline keeps the top η% traces by lowest-group confidence and votes weighted by it', async () => {
    // Three confident traces say 55, seven shaky ones say 56: plain voting says 56, DeepConf-low 55.
    const texts = [55, 56, 56, 55, 56, 56, 55, 56, 56, 56].map(chain);
    const { context, calls } = setup({
      script: () => texts,
      confidence: (text) => Array.from(text, () => (text.includes('is 55') ? 5 : 1)),
    });
    const result = await runSetting(parseStrategySetting('deepconf:mode=offline,k=10,batch=10,eta=30,window=4'), problem, context);
    expect(calls).toHaveLength(1);
    expect(calls[0].logprobs).toEqual({ topK: 20 });
    expect(result.answer).toBe('55');
    expect(result.details?.voters).toBe(3);
    expect(result.totals.samples).toBe(10);
  });

  it('online: warm-up sets the threshold, a later trace that dips is terminated and its tokens counted, not voted', async () => {
    // Warm-up traces (call 0) are steady at 3; later traces dip to 0.5 in the middle.
    const { context, calls, seen } = setup({
      script: (call) => (call.index === 0 ? [chain(56), chain(56), chain(57)] : chain(58)),
      confidence: (text, _row, call) => Array.from(text, (_, i) => (call.index > 0 && i >= 10 && i < 20 ? 0.5 : 3)),
    });
    const result = await runSetting(
      parseStrategySetting('deepconf:k=5,warmup=3,eta=90,window=4,consensus=1,batch=1'),
      problem,
      context,
    );
    expect(calls.map((call) => call.n)).toEqual([3, 1, 1]);
    expect(calls[0].stopWhen).toBeUndefined();
    expect(calls[1].stopWhen).toBeTypeOf('function');
    const later = seen.slice(3);
    expect(later.map((s) => s.finishReason)).toEqual(['terminated', 'terminated']);
    // Group [i-3..i] first below 3 - (3 - 0.5)*k/4 < threshold 3 at its first dipped token (i = 10).
    expect(later[0].tokens).toBe(11);
    expect(result.totals.tokens).toBe(seen.reduce((sum, s) => sum + s.tokens, 0));
    expect(result.answer).toBe('56');
    expect(result.votes.map((v) => v.answer)).not.toContain('58');
  });

  it('the bench summary\'s meanTokens counts the tokens of terminated traces (issue 13\'s bar)', async () => {
    // As `thinkbench bench --summary-json` computes it: runExperiment, then summarize.
    // Each question's warm-up is its one call of 3; its later calls hold one trace each.
    const { generate } = setup({
      script: (call) => (call.request.n === 3 ? [chain(56), chain(56), chain(57)] : chain(58)),
      confidence: (text, _row, call) => Array.from(text, (_, i) => (call.request.n === 1 && i >= 10 && i < 20 ? 0.5 : 3)),
    });
    const spec = 'deepconf:k=5,warmup=3,eta=90,window=4,consensus=1,batch=1';
    const problems = [problem, { ...problem, id: 'p2' }];
    const outcome = await runExperiment({
      units: buildMatrix(resolveStrategies([spec]), problems),
      generate,
      format: reasoningFormat(THINK_TAGS),
      maxNewTokens: 200,
    });
    const samples = outcome.results.flatMap((unit) => unit.result.samples);
    const terminated = samples.filter((s) => s.finishReason === 'terminated');
    expect(terminated).toHaveLength(4);
    expect(terminated.every((s) => s.tokens === 11)).toBe(true);
    const [row] = summarize(outcome.results, [spec]);
    const full = samples[0].tokens;
    expect(full).toBeGreaterThan(11);
    // Per question: three whole warm-up traces and two traces ended after 11 tokens.
    expect(row.meanTokens).toBe(3 * full + 2 * 11);
    expect(row.samplesPerQuestion).toBe(5);
  });

  it('tokenConfidence=chosen asks for no alternatives and reads the chosen tokens\' logprobs', async () => {
    // One chain sampled an unlikely token (logprob -6): with chosen-token confidence it is filtered.
    const texts = [56, 56, 57, 57, 57].map(chain);
    const { context, calls } = setup({
      script: () => texts,
      confidence: (text, row) => Array.from(text, (_, i) => (row >= 2 && i === 12 ? -6 : -0.1)),
    });
    const result = await runSetting(
      parseStrategySetting('deepconf:mode=offline,k=5,batch=5,eta=40,window=4,tokenConfidence=chosen'),
      problem,
      context,
    );
    expect(calls[0].logprobs).toEqual({ topK: 0 });
    expect(result.answer).toBe('56');
  });

  it('tokenConfidence=chosen votes with positive weights, so an agreeing warm-up settles the vote', async () => {
    // Confidences are logprobs (< 0): used as weights they would make the vote's share undefined.
    const { context, calls } = setup({ script: () => chain(56), confidence: (text) => Array.from(text, () => -0.2) });
    const result = await runSetting(parseStrategySetting('deepconf:k=10,warmup=3,tokenConfidence=chosen'), problem, context);
    expect(calls).toHaveLength(1);
    expect(result.answer).toBe('56');
    expect(result.votes[0].weight).toBeCloseTo(3 * Math.exp(-0.2), 5);
  });

  it('online stops sampling once the weighted vote is settled (τ)', async () => {
    const { context, calls } = setup({ script: () => chain(56) });
    const result = await runSetting(parseStrategySetting('deepconf:k=10,warmup=3,consensus=0.95'), problem, context);
    expect(calls).toHaveLength(1);
    expect(result.answer).toBe('56');
    expect(result.totals.samples).toBe(3);
  });

  it('names the missing capability when the backend returns no logprobs', async () => {
    const fake = fakeGenerate({ script: () => chain(56) });
    const context: StrategyContext = {
      generate: async (request) => (await fake.generate(request)).map(({ logprobs: _dropped, ...sample }) => sample),
      format: reasoningFormat(THINK_TAGS),
      maxNewTokens: 200,
    };
    await expect(runSetting(parseStrategySetting('deepconf'), problem, context)).rejects.toMatchObject({ name: 'MissingLogprobsError' });
  });
});

describe('self-consistency weighted by the answer\'s probability', () => {
  it('weights each vote by the product of its answer tokens\' probabilities', async () => {
    const texts = [56, 57, 57].map(chain);
    // Answer tokens (after </think>) of the 57 chains are unlikely (logprob -1 each): two of them
    // weigh less than one sure 56.
    const { context, calls } = setup({
      script: () => texts,
      confidence: (text) => {
        const end = text.indexOf('</think>') + '</think>'.length;
        return Array.from(text, (_, i) => (i >= end && text.includes('is 57') ? -1 : 0));
      },
    });
    const result = await runSetting(parseStrategySetting('self-consistency:k=3,batch=3,weighting=answer-prob'), problem, context);
    expect(calls[0].logprobs).toEqual({ topK: 0 });
    expect(result.answer).toBe('56');
    const weights = result.details?.weights as number[];
    expect(weights[0]).toBeCloseTo(1, 6);
    expect(weights[1]).toBeLessThan(1e-6);
    const plain = await runSetting(parseStrategySetting('self-consistency:k=3,batch=3'), problem, setup({ script: () => texts }).context);
    expect(plain.answer).toBe('57');
  });
});

describe('self-consistency weighted by the least likely sampled token, with the consensus stop', () => {
  // The 57 chain sampled one unlikely token (logprob -6 at token 12); every other token is fairly sure (-0.05, or -0.2 at token 5).
  const unsureAt = (text: string) => Array.from(text, (_, i) => (text.includes('is 57') && i === 12 ? -6 : i === 5 ? -0.2 : -0.05));

  it('weights each vote by the probability of the chain\'s least likely sampled token', async () => {
    const texts = [57, 57, 56].map(chain);
    const { context, calls } = setup({ script: () => texts, confidence: unsureAt });
    const result = await runSetting(parseStrategySetting('self-consistency:k=3,batch=3,weighting=min-prob'), problem, context);
    expect(calls[0].logprobs).toEqual({ topK: 0 });
    const weights = result.details?.weights as number[];
    expect(weights[2]).toBeCloseTo(Math.exp(-0.2), 5);
    expect(weights[0]).toBeCloseTo(Math.exp(-6), 5);
    expect(result.answer).toBe('56');
  });

  it('stops after the warm-up when sure chains agree against an unsure one, and samples on when they do not', async () => {
    const sure = setup({ script: () => [56, 57, 56].map(chain), confidence: unsureAt });
    const stopped = await runSetting(
      parseStrategySetting('self-consistency:k=10,batch=10,stop=consensus,weighting=min-prob'),
      problem,
      sure.context,
    );
    expect(sure.calls.map((call) => call.n)).toEqual([3]);
    expect(stopped.answer).toBe('56');
    expect(stopped.details?.stoppedAt).toBe(3);

    // Plain votes: 2 of 3 is no consensus; the rule checks after every further sample, each one call.
    const plain = setup({ script: (call) => (call.index === 0 ? [56, 57, 56].map(chain) : chain(56)) });
    const sampledOn = await runSetting(parseStrategySetting('self-consistency:k=10,batch=10,stop=consensus'), problem, plain.context);
    expect(plain.calls.map((call) => call.n)).toEqual([3, 1, 1, 1, 1, 1, 1, 1]);
    expect(sampledOn.details?.stoppedAt).toBeNull();
    expect(sampledOn.totals.samples).toBe(10);
  });
});

describe('nowait', () => {
  it('bans the paper\'s reflection keywords (and their variants) by logit bias and reports tokens saved', async () => {
    const { context, calls } = setup({ script: (call) => (call.request.logitBias ? chain(56) : `<think>\nWait, check\n${chain(56).slice(8)}`) });
    const result = await runSetting(parseStrategySetting('nowait:compare=true'), problem, context);
    expect(calls[0].logitBias).toContainEqual({ text: ' Wait', bias: -Infinity });
    expect(calls[0].logitBias).toContainEqual({ text: 'hmm', bias: -Infinity });
    expect(calls[1].logitBias).toBeUndefined();
    expect(result.details?.savedThinkingTokens).toBe('Wait, check\n'.length);
    expect(result.answer).toBe('56');
  });
});

describe('self-certainty and min-entropy best-of-N', () => {
  it('self-certainty picks the most certain chain even against the majority', async () => {
    const texts = [56, 56, 57, 56].map(chain);
    const { context } = setup({ script: () => texts, confidence: (text) => Array.from(text, () => (text.includes('is 57') ? 4 : 1)) });
    const result = await runSetting(parseStrategySetting('self-certainty:n=4,batch=4'), problem, context);
    expect(result.answer).toBe('57');
    expect(result.details?.chosen).toBe(2);
  });

  it('min-entropy picks the chain with the lowest mean entropy', async () => {
    const texts = [56, 57, 58].map(chain);
    // The fake's entropy equals its confidence value: 58 has the lowest.
    const { context } = setup({ script: () => texts, confidence: (text) => Array.from(text, () => (text.includes('is 58') ? 0.1 : 2)) });
    const result = await runSetting(parseStrategySetting('min-entropy:n=3,batch=3'), problem, context);
    expect(result.answer).toBe('58');
  });
});
