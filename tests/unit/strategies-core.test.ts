import { describe, expect, it } from 'vitest';
import { PROMPTED, THINK_TAGS, reasoningFormat } from '../../src/lib/formats/reasoning-format';
import { strategies } from '../../src/lib/strategies/registry';
import { parseStrategySetting } from '../../src/lib/strategies/settings';
import { runSetting } from '../../src/lib/strategies/registry';
import type { Problem, SampleRecord, StrategyContext } from '../../src/lib/strategies/types';
import { fakeGenerate, type FakeOptions } from './helpers/fake-generate';

const problem: Problem = { id: 'p1', question: 'What is 23 + 45 - 12?', reference: '56' };
const think = reasoningFormat(THINK_TAGS);

function setup(options: FakeOptions, format = think) {
  const fake = fakeGenerate(options);
  const seen: SampleRecord[] = [];
  const context: StrategyContext = { generate: fake.generate, format, maxNewTokens: 200, onSample: (s) => seen.push(s) };
  return { ...fake, seen, context };
}

/** A chain that ends in `answer`, as the embedded model writes it. */
const chain = (answer: string | number) => `<think>\n23+45=68\n68-12=${answer}\n</think>\n\nThe answer is ${answer}.`;

describe('direct', () => {
  it('asks with thinking off, greedy, and reads the answer', async () => {
    const { calls, seen, context } = setup({ script: () => 'The answer is 56.' });
    const result = await strategies.direct.run(problem, strategies.direct.defaults, context);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      prompt: { kind: 'chat', messages: [{ role: 'user', content: problem.question }], enableThinking: false },
      n: 1,
      maxNewTokens: 64,
      sampling: { temperature: 0 },
    });
    expect(calls[0].thinking).toBeUndefined();
    expect(result.answer).toBe('56');
    expect(result.votes).toEqual([{ answer: '56', count: 1, weight: 1 }]);
    expect(result.samples[0]).toMatchObject({ role: 'answer', answer: { value: '56', rule: 'the-answer-is' } });
    expect(seen).toEqual(result.samples);
    expect(result.totals).toMatchObject({ samples: 1, tokens: 17, thinkingTokens: 0, answerTokens: 17 });
  });

  it('uses the answer-only instruction for prompted models', async () => {
    const { calls, context } = setup({ script: () => 'Answer: 56' }, reasoningFormat(PROMPTED));
    const result = await strategies.direct.run(problem, strategies.direct.defaults, context);
    const prompt = calls[0].prompt;
    expect(prompt.kind === 'chat' && prompt.messages[0].content).toContain("Write only the final answer as 'Answer: <answer>'");
    expect(result.answer).toBe('56');
    // The prompted format's cue is an answer cue: not a last-number fallback (the fallback share
    // of a prompted model would otherwise be 100%).
    expect(result.samples[0].answer).toMatchObject({ value: '56', rule: 'answer-cue', fallback: false });
  });

  it("reads a prompted model's answer by its cue, the last cue winning", async () => {
    const { context } = setup({ script: () => 'Answer: 12 + 44 = 56\nNo, the answer is 57.' }, reasoningFormat(PROMPTED));
    const result = await strategies.direct.run(problem, strategies.direct.defaults, context);
    expect(result.samples[0].answer).toMatchObject({ value: '57', rule: 'the-answer-is', fallback: false });
  });
});

describe('cot', () => {
  it('runs one greedy chain with the thinking control and splits the tokens', async () => {
    const { calls, context } = setup({ script: () => chain(56) });
    const result = await strategies.cot.run(problem, strategies.cot.defaults, context);
    expect(calls[0]).toMatchObject({
      prompt: { kind: 'chat', enableThinking: true },
      n: 1,
      maxNewTokens: 200,
      sampling: { temperature: 0 },
      thinking: { endMarker: '</think>' },
    });
    expect(calls[0].sampling.seed).toBeUndefined();
    expect(result.answer).toBe('56');
    const text = chain(56);
    const thinking = text.indexOf('</think>') + '</think>'.length;
    expect(result.totals).toMatchObject({ thinkingTokens: thinking, answerTokens: text.length - thinking });
  });

  it('samples with a seed derived from the configured one', async () => {
    const a = setup({ script: () => chain(56) });
    const b = setup({ script: () => chain(56) });
    const c = setup({ script: () => chain(56) });
    await strategies.cot.run(problem, { temperature: 0.7, seed: 1 }, a.context);
    await strategies.cot.run(problem, { temperature: 0.7, seed: 1 }, b.context);
    await strategies.cot.run(problem, { temperature: 0.7, seed: 2 }, c.context);
    expect(a.calls[0].sampling.seed).toBeTypeOf('number');
    expect(a.calls[0].sampling).toEqual(b.calls[0].sampling);
    expect(c.calls[0].sampling.seed).not.toBe(a.calls[0].sampling.seed);
  });

  it('falls back to the last number of an unfinished chain, flagged', async () => {
    const { context } = setup({ script: () => '<think>\n23+45=68\n68-12=56' });
    const result = await strategies.cot.run(problem, strategies.cot.defaults, context);
    expect(result.samples[0].answer).toMatchObject({ value: '56', rule: 'last-number', fallback: true });
  });
});

describe('self-consistency', () => {
  const answersScript =
    (answers: (string | number)[]): FakeOptions['script'] =>
    ({ request }) => {
      const done = answersScript.offset;
      answersScript.offset += request.n;
      return answers.slice(done, done + request.n).map((a) => chain(a));
    };
  answersScript.offset = 0;
  const run = async (text: string, answers: (string | number)[]) => {
    answersScript.offset = 0;
    const ctx = setup({ script: answersScript(answers) });
    const setting = parseStrategySetting(text);
    return { ...ctx, result: await runSetting(setting, problem, ctx.context) };
  };

  it('samples k chains in batches and takes the majority', async () => {
    const { calls, seen, result } = await run('self-consistency:k=5,batch=2', [56, 50, 56, 50, 56]);
    expect(calls.map((c) => c.n)).toEqual([2, 2, 1]);
    expect(calls.every((c) => c.sampling.temperature === 0.8)).toBe(true);
    expect(new Set(calls.map((c) => c.sampling.seed)).size).toBe(3);
    expect(result.answer).toBe('56');
    expect(result.votes).toEqual([
      { answer: '56', count: 3, weight: 3 },
      { answer: '50', count: 2, weight: 2 },
    ]);
    expect(result.details).toMatchObject({ agreement: 0.6, samplesUsed: 5, calls: 3, stop: 'none', stoppedAt: null });
    expect(result.totals.samples).toBe(5);
    expect(seen).toHaveLength(5);
  });

  it('breaks a tie by the earliest chain', async () => {
    const { result } = await run('self-consistency:k=4,batch=4', [50, 56, 56, 50]);
    expect(result.answer).toBe('50');
  });

  it('ESC stops after the first unanimous window', async () => {
    const answers = [56, 50, 56, 56, 56, 56, 56, 56, 56, 56, 1, 1, 1, 1, 1];
    const { calls, result } = await run('self-consistency:k=15,batch=3,stop=esc,window=5', answers);
    expect(calls.map((c) => c.n)).toEqual([3, 2, 3, 2]);
    expect(result.details).toMatchObject({ samplesUsed: 10, stoppedAt: 10, stop: 'esc' });
    expect(result.answer).toBe('56');
  });

  it('the Beta rule stops after exactly the expected number of samples', async () => {
    const { calls, result } = await run('self-consistency:k=10,batch=1,stop=beta', [56, 50, 56, 56, 56, 56, 56, 56, 56, 56]);
    expect(calls).toHaveLength(7);
    expect(result.details).toMatchObject({ samplesUsed: 7, stoppedAt: 7 });
  });

  it('the Beta rule with batches stops at the end of the batch where it fired', async () => {
    const { result } = await run('self-consistency:k=10,batch=3,stop=beta', [56, 56, 56, 56, 56, 56, 56, 56, 56, 56]);
    expect(result.details).toMatchObject({ samplesUsed: 6, stoppedAt: 4 });
  });

  it('reuses the first call of a smaller k with the same seed and batch (cacheable)', async () => {
    const small = await run('self-consistency:k=5,batch=5', [56, 56, 56, 56, 56]);
    const large = await run('self-consistency:k=10,batch=5', [56, 56, 56, 56, 56, 56, 56, 56, 56, 56]);
    expect(large.calls[0]).toEqual(small.calls[0]);
    expect(large.calls[1].sampling.seed).not.toBe(large.calls[0].sampling.seed);
  });

  /** Chains answering 56, 56, 50; the confidence follow-up is answered by `reply(answerSaid)`. */
  function confidenceSetup(reply: (said: string) => string) {
    return setup({
      script: ({ request }) => {
        const last = request.prompt.kind === 'chat' ? request.prompt.messages.at(-1)?.content ?? '' : '';
        if (last.startsWith('How confident')) {
          const said = request.prompt.kind === 'chat' ? request.prompt.messages.at(-2)?.content ?? '' : '';
          return reply(said);
        }
        return [chain(56), chain(56), chain(50)];
      },
    });
  }

  it('weights votes by the verbal confidence the model states, softmax-normalised over the question (CISC)', async () => {
    const fake = confidenceSetup((said) => (said.includes('The answer is 50.') ? '90' : '10'));
    const setting = parseStrategySetting('self-consistency:k=3,batch=3,weighting=verbal');
    const result = await runSetting(setting, problem, fake.context);
    expect(result.answer).toBe('50');
    expect(result.samples.map((s) => s.role)).toEqual(['chain', 'chain', 'chain', 'confidence', 'confidence', 'confidence']);
    // w_i = exp(c_i / T) / Σ exp(c_j / T) with T = 0.1 (the default).
    const raised = [Math.exp(1), Math.exp(1), Math.exp(9)];
    const total = raised[0] + raised[1] + raised[2];
    expect(result.details).toMatchObject({ confidences: [0.1, 0.1, 0.9], samplesUsed: 3 });
    const weights = result.details?.weights as number[];
    weights.forEach((weight, i) => expect(weight).toBeCloseTo(raised[i] / total, 12));
    expect(result.votes[0].answer).toBe('50');
    expect(result.votes[0].weight).toBeCloseTo(raised[2] / total, 12);
    expect(fake.seen).toEqual(result.samples);
    const confidenceCall = fake.calls[1];
    expect(confidenceCall.prompt).toMatchObject({ kind: 'chat', enableThinking: false });
  });

  it('reads "8/10" as 0.8 and lets the softmax, not a linear sum, decide', async () => {
    // Linear weights would give 56 the win (0.8 + 0.8 > 1.0); CISC's softmax at T 0.1 gives
    // e^8 + e^8 < e^10, so the one fully confident chain wins.
    const fake = confidenceSetup((said) => (said.includes('The answer is 50.') ? 'Confidence: 100' : '8/10'));
    const result = await runSetting(parseStrategySetting('self-consistency:k=3,batch=3,weighting=verbal'), problem, fake.context);
    expect(result.details).toMatchObject({ confidences: [0.8, 0.8, 1] });
    expect(result.answer).toBe('50');
    // A high temperature is close to the plain vote.
    const flat = confidenceSetup((said) => (said.includes('The answer is 50.') ? 'Confidence: 100' : '8/10'));
    const plain = await runSetting(
      parseStrategySetting('self-consistency:k=3,batch=3,weighting=verbal,confidenceTemperature=100'),
      problem,
      flat.context,
    );
    expect(plain.answer).toBe('56');
  });

  it('refuses to start a call after the run was aborted', async () => {
    const controller = new AbortController();
    const fake = setup({
      script: () => {
        controller.abort();
        return [chain(56), chain(56)];
      },
    });
    const setting = parseStrategySetting('self-consistency:k=4,batch=2');
    await expect(runSetting(setting, problem, { ...fake.context, signal: controller.signal })).rejects.toThrow();
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0].signal).toBe(controller.signal);
  });
});
