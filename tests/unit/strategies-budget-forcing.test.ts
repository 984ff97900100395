/**
 * `budget-forcing` (s1) on a scripted Generate: what it asks the engine for, and how it reports
 * the thinking the extension added (from the engine, and measured against plain cot).
 */
import { describe, expect, it } from 'vitest';
import type { Generate, GenerateRequest, Sample } from '../../src/lib/generate';
import { THINK_TAGS, reasoningFormat } from '../../src/lib/formats/reasoning-format';
import type { ServerCapabilities } from '../../src/lib/backends/openai/capabilities';
import { unsupportedReason } from '../../src/lib/backends/openai/requirements';
import { runSetting } from '../../src/lib/strategies/registry';
import { parseStrategySetting } from '../../src/lib/strategies/settings';
import { extensionNote } from '../../src/components/experiments/format';
import type { Problem, StrategyContext } from '../../src/lib/strategies/types';

const problem: Problem = { id: 'p1', question: 'What is 23 + 45 - 12?', reference: '56' };
const PLAIN = '<think>\n023+045=068\n068-012=065\n</think>\n\nThe answer is 65.';
const EXTENDED = '<think>\n023+045=068\n068-012=065\nWait\n068-012=056\n</think>\n\nThe answer is 56.';
/** What the (scripted) extension added: the thinking after "Wait". */
const ADDED = '\n068-012=056\n'.length;

/** Characters are tokens; "Wait" is forced text (no tokens); the extension added the second check line + its own end. */
function sample(text: string, request: GenerateRequest): Sample {
  const forced = request.thinking?.extend ? 'Wait'.length : 0;
  const thinkingTokens = text.indexOf('</think>') + '</think>'.length - forced;
  const answerTokens = text.length - forced - thinkingTokens;
  return {
    text,
    tokens: thinkingTokens + answerTokens,
    thinkingTokens,
    answerTokens,
    finishReason: 'eos',
    budgetCut: false,
    ...(request.thinking?.extend ? { thinkingExtension: { times: 1, addedTokens: ADDED } } : {}),
    timings: { promptTokens: 10, ttftMs: 1, prefillMs: 1, decodeMs: 1, decodeTokensPerS: 1, totalMs: 2 },
  };
}

function setup(): { context: StrategyContext; calls: GenerateRequest[] } {
  const calls: GenerateRequest[] = [];
  const generate: Generate = async (request) => {
    calls.push(request);
    return [sample(request.thinking?.extend ? EXTENDED : PLAIN, request)];
  };
  return { calls, context: { generate, format: reasoningFormat(THINK_TAGS), maxNewTokens: 200 } };
}

describe('budget-forcing (s1)', () => {
  it('asks for "Wait" in place of the end of thinking, m = 2 by default, greedy, no budget', async () => {
    const { context, calls } = setup();
    const result = await runSetting(parseStrategySetting('budget-forcing'), problem, context);
    expect(calls).toHaveLength(1);
    expect(calls[0].thinking).toMatchObject({ endMarker: '</think>', extend: { times: 2, text: 'Wait' } });
    expect(calls[0].thinking?.budgetTokens).toBeUndefined();
    expect(calls[0].sampling.temperature).toBe(0);
    expect(calls[0].maxNewTokens).toBe(200);
    expect(result.answer).toBe('56');
    expect(result.details).toEqual({ times: 1, addedThinkingTokens: ADDED });
  });

  it('with a budget also cuts thinking there (s1 does both) and leaves room for the forced answer', async () => {
    const { context, calls } = setup();
    const result = await runSetting(parseStrategySetting('budget-forcing:times=1,waitText=Hmm,budget=40'), problem, context);
    expect(calls[0].thinking).toMatchObject({ budgetTokens: 40, forcedText: reasoningFormat(THINK_TAGS).thinkingControl().forcedText, extend: { times: 1, text: 'Hmm' } });
    expect(calls[0].maxNewTokens).toBe(40 + 32);
    expect(result.details).toMatchObject({ budgetTokens: 40, budgetCut: false });
  });

  it('with compare, also runs plain cot and reports the extra thinking measured; both count in the totals', async () => {
    const { context, calls } = setup();
    const result = await runSetting(parseStrategySetting('budget-forcing:compare=true'), problem, context);
    expect(calls).toHaveLength(2);
    expect(calls[1].thinking?.extend).toBeUndefined();
    expect(calls[1].thinking?.budgetTokens).toBeUndefined();
    expect(calls[1].sampling).toEqual(calls[0].sampling);
    const [chain, baseline] = result.samples;
    expect(baseline.role).toBe('baseline');
    expect(result.details).toMatchObject({
      extraThinkingTokens: chain.thinkingTokens - baseline.thinkingTokens,
      baselineAnswer: '65',
      addedThinkingTokens: ADDED,
    });
    // The scripted chains agree up to the attempt to end, as greedy chains do: engine and measurement match.
    expect(result.details?.extraThinkingTokens).toBe(result.details?.addedThinkingTokens);
    expect(result.totals.thinkingTokens).toBe(chain.thinkingTokens + baseline.thinkingTokens);
    expect(result.answer).toBe('56');
  });

  it('checks its settings: s1\'s strings only, a whole token budget above 1', () => {
    expect(() => parseStrategySetting('budget-forcing:waitText=Later')).toThrow(/one of Wait, Hmm, Alternatively/);
    expect(() => parseStrategySetting('budget-forcing:budget=40.5')).toThrow(/must be an integer/);
    expect(() => parseStrategySetting('budget-forcing:times=-1')).toThrow(/at least 0/);
  });

  it('is refused on a remote server with the reason, unless it extends nothing', () => {
    const caps: ServerCapabilities = {
      baseUrl: 'http://x/v1', model: 'm', models: ['m'], honoursN: true, logprobs: true, topLogprobsCap: 20, seedReproducible: true,
      topK: true, completions: true, continueFinalMessage: true, reasoningField: null, thinkTags: true, probedAt: 0, notes: [],
    };
    expect(unsupportedReason(parseStrategySetting('budget-forcing'), caps)).toMatch(/"Wait" in place of the end of thinking/);
    expect(unsupportedReason(parseStrategySetting('budget-forcing:times=0'), caps)).toBeNull();
  });
});

describe('extensionNote (the drilldown and metrics suffix)', () => {
  it('says how often and how much a chain was extended, and nothing when it was not', () => {
    expect(extensionNote({ thinkingExtension: { times: 2, addedTokens: 31 } })).toBe(', 2× extended, +31');
    expect(extensionNote({ thinkingExtension: { times: 0, addedTokens: 0 } })).toBe('');
    expect(extensionNote({})).toBe('');
  });
});
