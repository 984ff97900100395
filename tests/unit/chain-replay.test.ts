/**
 * Replaying a sampling strategy over its first j chains (lib/experiments/chain-replay.ts): the
 * real strategies run on a scripted Generate, and at j = k every replay must give the answer
 * and the tokens the strategy itself reported; shorter prefixes follow each strategy's rule.
 */
import { describe, expect, it } from 'vitest';
import { isAdaptive, replayChains } from '../../src/lib/experiments/chain-replay';
import type { UnitResult } from '../../src/lib/experiments/types';
import { THINK_TAGS, reasoningFormat } from '../../src/lib/formats/reasoning-format';
import { runSetting } from '../../src/lib/strategies/registry';
import { parseStrategySetting } from '../../src/lib/strategies/settings';
import type { Problem } from '../../src/lib/strategies/types';
import { fakeGenerate, type FakeOptions } from './helpers/fake-generate';

const problem: Problem = { id: 'p1', question: 'What is 23 + 45 - 12?', reference: '56' };
const chain = (answer: number) => `<think>\n23+45=68\n68-12=${answer}\n</think>\n\nThe answer is ${answer}.`;

async function run(strategy: string, options: FakeOptions): Promise<UnitResult> {
  const { generate } = fakeGenerate(options);
  const result = await runSetting(parseStrategySetting(strategy), problem, { generate, format: reasoningFormat(THINK_TAGS), maxNewTokens: 200 });
  return {
    unitId: `${strategy}|${problem.id}`, strategy, problemId: problem.id, reference: problem.reference, answer: result.answer,
    correct: result.answer === problem.reference, result, latencyMs: 1, cachedSamples: 0, finishedAt: 0,
  };
}

/** Answers in call order, and a per-chain confidence: chains answering `sure` are confident. */
function scripted(answers: number[], sure: number, high = 5, low = 1): FakeOptions {
  return {
    script: (call) => answers.slice(call.index * call.request.n, (call.index + 1) * call.request.n).map(chain),
    confidence: (text) => Array.from(text, () => (text.includes(`is ${sure}.`) ? high : low)),
  };
}

describe('chain replay', () => {
  // Plain votes: 57 leads after 3 chains, 56 wins at 5; the confident chains say 56.
  const ANSWERS = [57, 56, 57, 56, 56];

  it.each([
    'self-consistency:k=5,batch=5',
    'self-consistency:k=5,batch=2',
    'self-consistency:k=5,batch=5,weighting=answer-prob',
    'deepconf:mode=offline,k=5,batch=5,eta=40,window=4',
    'deepconf:mode=offline,k=5,batch=5,eta=40,window=4,tokenConfidence=chosen',
    'self-certainty:n=5',
    'self-certainty:n=5,vote=borda',
    'min-entropy:n=5',
  ])('%s: with all k chains the replay is the strategy\'s answer and total tokens', async (strategy) => {
    const unit = await run(strategy, scripted(ANSWERS, 56));
    const replay = replayChains(unit);
    expect(replay).not.toBeNull();
    expect(replay?.answers).toHaveLength(5);
    expect(replay?.answers.at(-1)).toBe(unit.result.answer);
    expect(replay?.tokens.at(-1)).toBe(unit.result.totals.tokens);
    // Cumulative: every chain adds its tokens.
    expect(replay?.tokens).toEqual(unit.result.samples.map((_, i, all) => all.slice(0, i + 1).reduce((sum, s) => sum + s.tokens, 0)));
  });

  it('self-consistency votes over the first j chains', async () => {
    const unit = await run('self-consistency:k=5,batch=5', scripted(ANSWERS, 56));
    expect(replayChains(unit)?.answers).toEqual(['57', '57', '57', '57', '56']);
  });

  it('offline DeepConf keeps the top η% of the first j traces and votes weighted by confidence', async () => {
    // Confident 56s (5) against shaky 57s (1): as soon as a 56 is among the first j it is kept and wins.
    const unit = await run('deepconf:mode=offline,k=5,batch=5,eta=40,window=4', scripted(ANSWERS, 56));
    expect(replayChains(unit)?.answers).toEqual(['57', '56', '56', '56', '56']);
    // Reversed confidences: the 57s are the confident ones; with η = 40% only they vote.
    const reversed = await run('deepconf:mode=offline,k=5,batch=5,eta=40,window=4', scripted(ANSWERS, 57));
    expect(replayChains(reversed)?.answers).toEqual(['57', '57', '57', '57', '57']);
    expect(reversed.answer).toBe('57');
    // The filter, not only the weights: four shaky 57s (1 each) outweigh one confident 56 (3),
    // but only the top 20% vote, and from j = 1 on that is the 56.
    const filtered = await run('deepconf:mode=offline,k=5,batch=5,eta=20,window=4', scripted([56, 57, 57, 57, 57], 56, 3, 1));
    expect(filtered.answer).toBe('56');
    expect(replayChains(filtered)?.answers).toEqual(['56', '56', '56', '56', '56']);
  });

  it('self-certainty picks the most certain of the first j chains; min-entropy the least entropic', async () => {
    const certain = await run('self-certainty:n=5', scripted(ANSWERS, 56));
    expect(replayChains(certain)?.answers).toEqual(['57', '56', '56', '56', '56']);
    // Entropy = the scripted confidence: the 56s have entropy 5, the 57s 1, so min-entropy picks 57.
    const entropy = await run('min-entropy:n=5', scripted(ANSWERS, 56));
    expect(replayChains(entropy)?.answers).toEqual(['57', '57', '57', '57', '57']);
  });

  it('Borda weights the first j chains by their rank among those j', async () => {
    // Two confident 56s against three 57s: ranks weigh √5 + √4 ≈ 4.24 against √3 + √2 + 1 ≈ 4.15; with four chains √4 < √3 + √2 + 1.
    const unit = await run('self-certainty:n=5,vote=borda', scripted([57, 57, 57, 56, 56], 56));
    expect(unit.answer).toBe('56');
    expect(replayChains(unit)?.answers).toEqual(['57', '57', '57', '57', '56']);
  });

  it('adaptive rows and single-chain strategies are not replayed', async () => {
    const esc = await run('self-consistency:k=5,batch=1,stop=esc,window=2', { script: () => chain(56) });
    expect(esc.result.samples.length).toBeLessThan(5);
    expect(replayChains(esc)).toBeNull();
    expect(isAdaptive(esc.strategy)).toBe(true);
    const online = await run('deepconf:k=5,warmup=2', scripted(ANSWERS, 56));
    expect(replayChains(online)).toBeNull();
    expect(isAdaptive(online.strategy)).toBe(true);
    const cot = await run('cot', { script: () => chain(56) });
    expect(replayChains(cot)).toBeNull();
    expect(isAdaptive('cot')).toBe(false);
    expect(isAdaptive('someday-strategy:k=3')).toBe(false);
  });
});
