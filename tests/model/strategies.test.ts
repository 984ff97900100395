/**
 * Every strategy end to end on the real embedded model in Node (onnxruntime-node): each returns
 * a well-formed result on a few built-in problems; self-consistency with a fixed seed is
 * reproducible; budgeted-cot never thinks past its budget. Short limits keep it fast; the
 * model's accuracy is the model card's business, not asserted here.
 * THINKBENCH_ENGINE_MODEL_DIR points it at another model folder of the same layout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateArithmeticProblems } from '../../src/lib/datasets/arithmetic';
import { THINK_TAGS, reasoningFormat } from '../../src/lib/formats/reasoning-format';
import { medianChainTokens } from '../../src/lib/strategies/budget';
import { runSetting, strategyIds, type StrategyId } from '../../src/lib/strategies/registry';
import { parseStrategySetting } from '../../src/lib/strategies/settings';
import type { Problem, SampleRecord, StrategyContext, StrategyResult } from '../../src/lib/strategies/types';
import { loadNodeEngine } from '../../workers/engine/node';
import type { Engine } from '../../workers/engine/engine';
import { MODEL_DIR } from './engine-fixture';

const MAX_NEW_TOKENS = 96;
const problems: Problem[] = generateArithmeticProblems({ n: 3, seed: 17, minSteps: 1, maxSteps: 3 }).map(
  ({ id, question, reference }) => ({ id, question, reference }),
);

/** Small settings per strategy, so the whole file runs in well under a minute on 2 cores. */
const SETTINGS: Record<StrategyId, string> = {
  direct: 'direct',
  cot: 'cot',
  'self-consistency': 'self-consistency:k=3,batch=3,temperature=0.8,seed=5',
  'budgeted-cot': 'budgeted-cot:budget=12',
  'budget-forcing': 'budget-forcing:times=1,compare=true',
  'chain-of-draft': 'chain-of-draft',
  'learn-from-mistakes': 'learn-from-mistakes:shots=2',
  'speak-with-intent': 'speak-with-intent',
  'critical-questions': 'critical-questions',
  'early-answering': 'early-answering:steps=2',
  deepconf: 'deepconf:k=4,warmup=2,window=4,seed=3',
  'self-certainty': 'self-certainty:n=3,batch=3,seed=3',
  'min-entropy': 'min-entropy:n=3,batch=3,seed=3',
  nowait: 'nowait:compare=true',
  'early-answering-steps': 'early-answering-steps',
  'adding-mistakes': 'adding-mistakes',
  paraphrasing: 'paraphrasing',
  'filler-tokens': 'filler-tokens',
  'reasoning-if': 'reasoning-if',
  'noisy-cot': 'noisy-cot:shots=2',
  'cd-cot': 'cd-cot:shots=2,rephrasings=2,sets=1,chainsPerSet=2,seed=4',
};

let engine: Engine;

beforeAll(async () => {
  engine = await loadNodeEngine({ modelDir: MODEL_DIR });
});

afterAll(async () => {
  await engine?.dispose();
});

function contextFor(seen: SampleRecord[], extra: Partial<StrategyContext> = {}): StrategyContext {
  return {
    generate: engine.generate,
    format: reasoningFormat(THINK_TAGS),
    maxNewTokens: MAX_NEW_TOKENS,
    onSample: (sample) => seen.push(sample),
    ...extra,
  };
}

function expectWellFormed(result: StrategyResult, seen: readonly SampleRecord[]): void {
  expect(result.samples.length).toBeGreaterThan(0);
  expect(seen).toEqual(result.samples);
  let tokens = 0;
  for (const sample of result.samples) {
    expect(sample.role).toMatch(/^[a-z]+(@\d+%)?$/);
    expect(['eos', 'stop', 'length', 'terminated']).toContain(sample.finishReason);
    expect(sample.tokens).toBe(sample.thinkingTokens + sample.answerTokens);
    expect(sample.tokens).toBeLessThanOrEqual(MAX_NEW_TOKENS);
    expect(sample.timings.totalMs).toBeGreaterThan(0);
    expect(sample.timings.promptTokens).toBeGreaterThan(0);
    if (sample.answer) expect(sample.answer.value).toMatch(/^-?\d+(\.\d+)?$/);
    tokens += sample.tokens;
  }
  expect(result.totals.samples).toBe(result.samples.length);
  expect(result.totals.tokens).toBe(tokens);
  expect(result.totals.thinkingTokens + result.totals.answerTokens).toBe(tokens);
  expect(result.totals.wallMs).toBeGreaterThan(0);
  if (result.answer !== null) expect(result.votes[0]?.answer).toBe(result.answer);
  else expect(result.votes).toEqual([]);
  const weights = result.votes.map((vote) => vote.weight);
  expect(weights).toEqual([...weights].sort((a, b) => b - a));
}

describe('strategies on the embedded model', () => {
  it.each(strategyIds)('%s runs end to end and returns a well-formed result', async (id) => {
    const setting = parseStrategySetting(SETTINGS[id]);
    for (const problem of problems.slice(0, 2)) {
      const seen: SampleRecord[] = [];
      const result = await runSetting(setting, problem, contextFor(seen));
      expectWellFormed(result, seen);
    }
  });

  it('direct answers with thinking off; cot thinks first', async () => {
    const direct = await runSetting(parseStrategySetting('direct'), problems[0], contextFor([]));
    const cot = await runSetting(parseStrategySetting('cot'), problems[0], contextFor([]));
    expect(direct.samples[0].thinkingTokens).toBe(0);
    expect(direct.samples[0].answerTokens).toBeGreaterThan(0);
    expect(cot.samples[0].thinkingTokens).toBeGreaterThan(0);
  });

  it('self-consistency with a fixed seed gives the same samples and answer twice', async () => {
    const setting = parseStrategySetting('self-consistency:k=4,batch=2,temperature=3,seed=9');
    const first = await runSetting(setting, problems[1], contextFor([]));
    const second = await runSetting(setting, problems[1], contextFor([]));
    expect(second.samples.map((s) => s.text)).toEqual(first.samples.map((s) => s.text));
    expect(second.answer).toBe(first.answer);
    expect(second.votes).toEqual(first.votes);
    const other = await runSetting(parseStrategySetting('self-consistency:k=4,batch=2,temperature=3,seed=10'), problems[1], contextFor([]));
    expect(other.samples.map((s) => s.text)).not.toEqual(first.samples.map((s) => s.text));
  });

  it('self-consistency\'s consensus stop over min-prob votes: weights are real token probabilities, and it stops exactly where the weighted leader first holds τ', async () => {
    const k = 6;
    for (const problem of problems) {
      const seen: SampleRecord[] = [];
      const result = await runSetting(
        parseStrategySetting(`self-consistency:k=${k},batch=${k},temperature=0.8,seed=4,stop=consensus,warmup=3,weighting=min-prob`),
        problem,
        contextFor(seen),
      );
      expectWellFormed(result, seen);
      const weights = result.details?.weights as number[];
      expect(weights).toHaveLength(result.samples.length);
      result.samples.forEach((sample, i) => {
        expect(sample.logprobs?.topK).toBe(0);
        expect(weights[i]).toBeCloseTo(Math.exp(Math.min(...(sample.logprobs?.logprobs ?? []))), 6);
        expect(weights[i]).toBeGreaterThan(0);
        expect(weights[i]).toBeLessThanOrEqual(1);
      });
      const stoppedAt = result.details?.stoppedAt as number | null;
      expect(result.samples.length).toBe(stoppedAt ?? k);
      // The weighted leader's share after n samples, computed here from the samples themselves.
      const share = (n: number) => {
        const tally = new Map<string, number>();
        let cast = 0;
        result.samples.slice(0, n).forEach((sample, i) => {
          if (!sample.answer) return;
          tally.set(sample.answer.value, (tally.get(sample.answer.value) ?? 0) + weights[i]);
          cast += weights[i];
        });
        return cast > 0 ? Math.max(...tally.values()) / cast : 0;
      };
      for (let n = 3; n < result.samples.length; n++) expect(share(n)).toBeLessThan(0.95);
      if (stoppedAt !== null) expect(share(stoppedAt)).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('budgeted-cot never thinks past its budget, absolute or a fraction of the median chain', async () => {
    const chains = await Promise.all(problems.map((problem) => runSetting(parseStrategySetting('cot'), problem, contextFor([]))));
    // A model still in training may not close its chains; any positive median exercises the path.
    const median = medianChainTokens(chains) ?? Math.max(...chains.map((chain) => chain.totals.thinkingTokens));
    expect(median).toBeGreaterThan(0);
    for (const text of ['budgeted-cot:budget=4', 'budgeted-cot:budget=0.5', 'self-consistency:k=2,batch=2,budget=0.25']) {
      const setting = parseStrategySetting(text);
      for (const problem of problems) {
        const result = await runSetting(setting, problem, contextFor([], { medianChainTokens: median }));
        const budget = result.details?.budgetTokens;
        expect(budget).toBeTypeOf('number');
        for (const sample of result.samples) {
          expect(sample.thinkingTokens).toBeLessThanOrEqual(Number(budget));
          if (sample.budgetCut) expect(sample.thinkingTokens).toBe(budget);
        }
      }
    }
  });

  it('budget-forcing thinks on past where cot ends; the engine\'s added thinking equals the measured extra (greedy)', async () => {
    for (const problem of problems) {
      const result = await runSetting(parseStrategySetting('budget-forcing:times=2,compare=true'), problem, contextFor([]));
      const [chain, baseline] = result.samples;
      const baseThinking = baseline.text.slice(0, baseline.text.indexOf('</think>'));
      expect(baseThinking.length).toBeGreaterThan(0);
      expect(chain.text.startsWith(baseThinking + 'Wait')).toBe(true);
      expect(result.details?.times).toBeGreaterThanOrEqual(1);
      // Identical chains up to the first attempt to end: by construction, not by luck.
      expect(result.details?.addedThinkingTokens).toBe(result.details?.extraThinkingTokens);
    }
  });
});
