/**
 * s1's think-longer on the real embedded model: `thinking.extend` puts "Wait" where a row would
 * end its thinking, through the logits (forced-tokens.ts), in batched rows, with logprobs and a
 * budget in the same request.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { GenerateRequest, Prompt, Sample, TokenEvent } from '../../src/lib/generate';
import { THINK_TAGS, reasoningFormat } from '../../src/lib/formats/reasoning-format';
import { createEngine, type Engine } from '../../workers/engine/engine';
import { loadNodeModelParts } from '../../workers/engine/node';
import { MODEL_DIR } from './engine-fixture';

const format = reasoningFormat(THINK_TAGS);
const prompt: Prompt = format.prompt('What is 23 + 45 - 12 + 31?', { thinking: true });
const MAX = 200;
let engine: Engine;
/** Widths (tokens per row) of every forward pass since the last reset. */
let forwardWidths: number[] = [];

beforeAll(async () => {
  const loaded = await loadNodeModelParts({ modelDir: MODEL_DIR });
  engine = createEngine(loaded.parts, loaded.info);
  const forward = loaded.parts.model.forward.bind(loaded.parts.model);
  loaded.parts.model.forward = async (inputs: { input_ids: { dims: number[] } }) => {
    forwardWidths.push(inputs.input_ids.dims[1]);
    return forward(inputs);
  };
});

async function run(request: Partial<GenerateRequest> & { n: number }): Promise<{ samples: Sample[]; events: TokenEvent[][] }> {
  const events: TokenEvent[][] = Array.from({ length: request.n }, () => []);
  const samples = await engine.generate({
    prompt,
    maxNewTokens: MAX,
    sampling: { temperature: 0 },
    thinking: format.thinkingControl(),
    onToken: (row, event) => events[row].push(event),
    ...request,
  });
  return { samples, events };
}

const forcedTexts = (events: TokenEvent[]): string[] => events.filter((e) => e.phase === 'forced').map((e) => e.text);

describe('thinking.extend (s1: "Wait" instead of ending the thinking)', () => {
  it('greedy: the plain chain up to its end, then "Wait" in place of </think>, and thinking goes on', async () => {
    const { samples: [plain] } = await run({ n: 1 });
    const plainThinking = plain.text.slice(0, plain.text.indexOf('</think>'));
    expect(plainThinking.length).toBeGreaterThan(0);

    forwardWidths = [];
    const { samples, events } = await run({ n: 2, thinking: { ...format.thinkingControl(), extend: { times: 1, text: 'Wait' } } });
    for (const [row, sample] of samples.entries()) {
      expect(sample.text.startsWith(plainThinking + 'Wait')).toBe(true);
      expect(forcedTexts(events[row])).toEqual(['Wait']);
      expect(sample.thinkingExtension?.times).toBe(1);
      // Under greedy decoding the extended row equals the plain one up to the attempt to end:
      // the engine's count of added thinking is exactly the difference to the plain run.
      expect(sample.thinkingExtension?.addedTokens).toBe(sample.thinkingTokens - plain.thinkingTokens);
      // The streamed pieces make up the text; the forced text is in it but counts as no token.
      expect(events[row].map((e) => e.text).join('')).toBe(sample.text);
    }
    expect(samples[1]).toMatchObject({ text: samples[0].text, tokens: samples[0].tokens });
    // One prefill, then one token per row per step: "Wait" is generated, nothing is fed twice.
    expect(forwardWidths[0]).toBeGreaterThan(1);
    expect(forwardWidths.slice(1).every((width) => width === 1)).toBe(true);
    expect(forwardWidths.length).toBe(Math.max(...samples.map((s) => s.tokens)) + 'Wait'.length);
  });

  it('greedy: continues exactly as the model continues s1\'s re-prompt (the chain so far + "Wait", fed anew)', async () => {
    const { samples: [plain] } = await run({ n: 1 });
    const soFar = plain.text.slice(0, plain.text.indexOf('</think>')) + 'Wait';
    const { samples: [extended] } = await run({ n: 1, thinking: { ...format.thinkingControl(), extend: { times: 1, text: 'Wait' } } });
    const { samples: [reprompted] } = await run({
      n: 1,
      prompt: { kind: 'raw', text: engine.renderPrompt(prompt) + soFar },
      maxNewTokens: MAX - (plain.thinkingTokens - 1),
    });
    expect(extended.text).toBe(soFar + reprompted.text);
    expect(extended.thinkingTokens).toBe(plain.thinkingTokens - 1 + reprompted.thinkingTokens);
  });

  it('sampled, batched, with logprobs and a budget: per-row extensions, the budget caps generated thinking, forced text carries no logprobs', async () => {
    const budget = 100;
    const request = {
      n: 6,
      sampling: { temperature: 1, seed: 7 },
      logprobs: { topK: 2 },
      thinking: { ...format.thinkingControl(budget), extend: { times: 2, text: 'Wait' } },
      maxNewTokens: budget + 30,
    };
    const { samples, events } = await run(request);
    for (const [row, sample] of samples.entries()) {
      const extension = sample.thinkingExtension;
      if (!extension) throw new Error('no thinkingExtension on a row that started thinking');
      expect(extension.times).toBeLessThanOrEqual(2);
      // Every extension and the cut stream exactly one forced piece each.
      expect(forcedTexts(events[row])).toEqual([...Array(extension.times).fill('Wait'), ...(sample.budgetCut ? [format.thinkingControl(budget).forcedText] : [])]);
      expect(sample.thinkingTokens).toBeLessThanOrEqual(budget);
      if (sample.budgetCut) expect(sample.thinkingTokens).toBe(budget);
      expect(extension.addedTokens).toBeGreaterThanOrEqual(0);
      const lp = sample.logprobs;
      if (!lp) throw new Error('no logprobs');
      expect(lp.tokenIds.length).toBe(sample.tokens);
      // The generated tokens' own texts are the text without the forced pieces (EOS is not in the text).
      const generated = events[row].filter((e) => e.phase !== 'forced').map((e) => e.text).join('');
      const eos = sample.finishReason === 'eos' ? 1 : 0;
      expect(lp.tokenTexts.slice(0, lp.tokenTexts.length - eos).join('')).toBe(generated);
    }
    // Rows are extended and cut on their own: in this seeded run they end up at different lengths.
    expect(samples.some((s) => (s.thinkingExtension?.times ?? 0) > 0)).toBe(true);
    expect(new Set(samples.map((s) => s.tokens)).size).toBeGreaterThan(1);
    // Seeded: the same request gives the same samples (the decision draws from the seeded RNG).
    const again = await run(request);
    expect(again.samples.map((s) => s.text)).toEqual(samples.map((s) => s.text));
  });

  it('does nothing (and reports nothing) where the prompt has no thinking', async () => {
    const { samples: [sample] } = await run({
      n: 1,
      prompt: format.prompt('What is 23 + 45?', { thinking: false }),
      thinking: { ...format.thinkingControl(), extend: { times: 2, text: 'Wait' } },
    });
    expect(sample.thinkingExtension).toBeUndefined();
    expect(sample.text).not.toContain('Wait');
  });

  it('refuses an end marker that is not one token of the vocabulary', async () => {
    await expect(run({ n: 1, thinking: { endMarker: 'The answer', extend: { times: 1, text: 'Wait' } } })).rejects.toThrow(/one token/);
  });
});
