/**
 * Prefill once, fork the KV cache (workers/engine/prefill-once.ts), on the real embedded model:
 * the prompt runs through the model at batch 1, and the samples are exactly those of the path
 * that prefills every row (`prefillOnce: false`) — greedy and seeded sampling, stops, budget
 * cut and logprobs included.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GenerateRequest, Sample, TokenEvent } from '../../src/lib/generate';
import { THINK_TAGS, reasoningFormat } from '../../src/lib/formats/reasoning-format';
import { createEngine, type Engine } from '../../workers/engine/engine';
import { loadNodeModelParts } from '../../workers/engine/node';
import { MODEL_DIR, chatPrompt, readReference, type ReferenceEntry } from './engine-fixture';

const format = reasoningFormat(THINK_TAGS);

let forked: Engine;
let unforked: Engine;
let reference: ReferenceEntry[];
/** [batch, width] of every forward pass since the last reset. */
let passes: [number, number][] = [];

beforeAll(async () => {
  const { parts, info } = await loadNodeModelParts({ modelDir: MODEL_DIR });
  forked = createEngine(parts, info);
  unforked = createEngine(parts, info, { prefillOnce: false });
  reference = readReference();
  const forward = parts.model.forward.bind(parts.model);
  parts.model.forward = async (inputs: { input_ids: { dims: number[] } }) => {
    const [batch, width] = inputs.input_ids.dims;
    passes.push([batch, width]);
    return forward(inputs);
  };
});

beforeEach(() => {
  passes = [];
});

type Request = Omit<GenerateRequest, 'onToken'>;

/** Samples plus what was streamed per row. */
async function run(engine: Engine, request: Request): Promise<{ samples: Sample[]; streamed: string[] }> {
  const events: TokenEvent[][] = Array.from({ length: request.n }, () => []);
  const samples = await engine.generate({ ...request, onToken: (row, event) => events[row].push(event) });
  return { samples, streamed: events.map((row) => row.map((event) => event.text).join('')) };
}

/** What must not differ between the two paths (timings do). */
function outcome(samples: Sample[]): unknown[] {
  return samples.map(({ timings, ...rest }) => ({ ...rest, promptTokens: timings.promptTokens }));
}

describe('prefill once, fork the KV cache', () => {
  it('runs the prompt through the model once at batch 1, then decodes every row from its copy', async () => {
    const entry = reference[0];
    const { samples } = await run(forked, { prompt: chatPrompt(entry), n: 4, maxNewTokens: 12, sampling: { temperature: 0 } });
    expect(passes[0]).toEqual([1, entry.promptIds.length]);
    expect(passes.slice(1).every(([batch, width]) => batch === 4 && width === 1)).toBe(true);
    expect(passes.length).toBe(Math.max(...samples.map((s) => s.tokens)));

    passes = [];
    await run(unforked, { prompt: chatPrompt(entry), n: 4, maxNewTokens: 12, sampling: { temperature: 0 } });
    expect(passes[0]).toEqual([4, entry.promptIds.length]);
  });

  it('a request of one row runs as before', async () => {
    await run(forked, { prompt: chatPrompt(reference[0]), n: 1, maxNewTokens: 4, sampling: { temperature: 0 } });
    expect(passes[0]).toEqual([1, reference[0].promptIds.length]);
    expect(passes.slice(1).every(([batch]) => batch === 1)).toBe(true);
  });

  it('greedy rows equal the rows of the unforked path and the single-row result', async () => {
    for (const entry of reference.slice(0, 4)) {
      const request = { prompt: chatPrompt(entry), maxNewTokens: entry.maxNewTokens, sampling: { temperature: 0 } };
      const one = await run(forked, { ...request, n: 1 });
      const fork = await run(forked, { ...request, n: 3 });
      const plain = await run(unforked, { ...request, n: 3 });
      expect(outcome(fork.samples)).toEqual(outcome(plain.samples));
      expect(fork.samples.map((s) => s.text)).toEqual([0, 1, 2].map(() => one.samples[0].text));
      expect(fork.streamed).toEqual(fork.samples.map((s) => s.text));
    }
  });

  it('seeded sampling with stops, a budget cut and logprobs gives the unforked samples, draw for draw', async () => {
    // Each row draws its first token from the same logits either way, in the same row order,
    // so with a seed the draws — and every later step — coincide.
    const entry = reference.find((e) => e.enableThinking) ?? reference[0];
    const request: Request = {
      prompt: chatPrompt(entry),
      n: 6,
      maxNewTokens: 40,
      sampling: { temperature: 1.5, topK: 20, seed: 77 },
      thinking: format.thinkingControl(12),
      stop: ['\n\n\n'],
      logprobs: { topK: 3 },
    };
    const fork = await run(forked, request);
    const again = await run(forked, request);
    const plain = await run(unforked, request);
    expect(new Set(fork.samples.map((s) => s.text)).size).toBeGreaterThan(1);
    expect(fork.samples.some((s) => s.budgetCut)).toBe(true);
    expect(outcome(again.samples)).toEqual(outcome(fork.samples));
    expect(outcome(fork.samples)).toEqual(outcome(plain.samples));
    expect(fork.streamed).toEqual(plain.streamed);
    expect(fork.streamed).toEqual(fork.samples.map((s) => s.text));
  });

  it('times the single prefill: the first token of every row follows it', async () => {
    const { samples } = await run(forked, { prompt: chatPrompt(reference[0]), n: 4, maxNewTokens: 8, sampling: { temperature: 0 } });
    for (const sample of samples) {
      expect(sample.timings.prefillMs).toBeGreaterThan(0);
      expect(sample.timings.prefillMs).toBeLessThanOrEqual(sample.timings.ttftMs);
      expect(sample.timings.prefillMs).toBe(samples[0].timings.prefillMs);
    }
  });
});
