import { describe, expect, it } from 'vitest';
import { PROMPTED, THINK_TAGS, reasoningFormat, type ReasoningFormat } from '../../src/lib/formats/reasoning-format';
import type { ChatMessage, GenerateRequest } from '../../src/lib/generate';
import { medianChainTokens, resolveBudgetTokens } from '../../src/lib/strategies/budget';
import { CHAIN_OF_DRAFT_PROMPT, SPEAK_WITH_INTENT_PROMPT } from '../../src/lib/strategies/prompted';
import { CQOT_CHECK, CQOT_REASON, CQOT_REVISE, CRITICAL_QUESTIONS } from '../../src/lib/strategies/critical-questions';
import { builtInExemplars, mistakeExemplarsFrom, perturbAnswer } from '../../src/lib/strategies/learn-from-mistakes';
import { budgetSweep, runBudgetSweep } from '../../src/lib/strategies/sweep';
import { runSetting, strategies } from '../../src/lib/strategies/registry';
import { formatStrategySetting, parseStrategySetting } from '../../src/lib/strategies/settings';
import type { Problem, SampleRecord, StrategyContext } from '../../src/lib/strategies/types';
import { fakeGenerate, type FakeOptions } from './helpers/fake-generate';

const problem: Problem = { id: 'p1', question: 'What is 23 + 45 - 12?', reference: '56' };
const think = reasoningFormat(THINK_TAGS);
/** A chain of 46 thinking characters (= tokens in the fake) including `</think>`, then the answer. */
const CHAIN = '<think>\n23+45=68\n68-12=56\nso 56 it is\n</think>\n\nThe answer is 56.';
const CHAIN_TOKENS = CHAIN.indexOf('</think>') + '</think>'.length;

function setup(options: FakeOptions, format: ReasoningFormat = think, extra: Partial<StrategyContext> = {}) {
  const fake = fakeGenerate(options);
  const seen: SampleRecord[] = [];
  const context: StrategyContext = { generate: fake.generate, format, maxNewTokens: 200, onSample: (s) => seen.push(s), ...extra };
  return { ...fake, seen, context };
}

const messagesOf = (request: GenerateRequest): readonly ChatMessage[] =>
  request.prompt.kind === 'chat' ? request.prompt.messages : [];

/** After a cut the fake model answers with the last running total it reached. */
const answerLastTotal = (kept: string) => `The answer is ${/=(\d+)\n?[^=]*$/.exec(kept)?.[1] ?? 0}.`;

describe('budgets', () => {
  it('resolves fractions of the median chain and absolute counts', () => {
    expect(resolveBudgetTokens(0.5, 40)).toBe(20);
    expect(resolveBudgetTokens(1, 40)).toBe(40);
    expect(resolveBudgetTokens(0.001, 40)).toBe(1);
    expect(resolveBudgetTokens(64, undefined)).toBe(64);
    expect(() => resolveBudgetTokens(0.5, undefined)).toThrowError(/medianChainTokens is not known/);
    expect(() => resolveBudgetTokens(0, 40)).toThrowError(/budget must be/);
    expect(() => resolveBudgetTokens(2.5, 40)).toThrowError(/must be an integer/);
  });

  it('takes the median of chains that ended on their own', () => {
    const record = (thinkingTokens: number, extra: Partial<SampleRecord> = {}) =>
      ({ thinkingTokens, budgetCut: false, finishReason: 'eos', ...extra }) as SampleRecord;
    expect(medianChainTokens([record(10), record(30), record(20)])).toBe(20);
    expect(medianChainTokens([record(10), record(30), record(5, { budgetCut: true }), record(99, { finishReason: 'length' })])).toBe(20);
    expect(medianChainTokens([])).toBeNull();
  });
});

describe('budgeted-cot', () => {
  it('cuts the chain at exactly the budget and forces the answer', async () => {
    const { calls, context } = setup({ script: () => CHAIN, afterCut: answerLastTotal });
    const result = await runSetting(parseStrategySetting('budgeted-cot:budget=20'), problem, context);
    expect(calls[0].thinking).toEqual({
      endMarker: '</think>',
      budgetTokens: 20,
      forcedText: '\n</think>\n\n',
      emptyThinking: { open: '<think>', text: '<think>\n\n</think>\n\n' },
    });
    expect(calls[0].maxNewTokens).toBe(20 + 32);
    const [sample] = result.samples;
    expect(sample).toMatchObject({ budgetCut: true, thinkingTokens: 20 });
    expect(sample.text).toBe(`${CHAIN.slice(0, 20)}\n</think>\n\nThe answer is 68.`);
    expect(result.answer).toBe('68');
    expect(result.details).toEqual({ budgetTokens: 20, budgetCut: true });
  });

  it('leaves a chain alone when it fits the budget, one token either side', async () => {
    const fits = setup({ script: () => CHAIN });
    const exact = await runSetting(parseStrategySetting(`budgeted-cot:budget=${CHAIN_TOKENS}`), problem, fits.context);
    expect(exact.samples[0]).toMatchObject({ budgetCut: false, thinkingTokens: CHAIN_TOKENS });
    expect(exact.answer).toBe('56');
    const short = setup({ script: () => CHAIN, afterCut: answerLastTotal });
    const under = await runSetting(parseStrategySetting(`budgeted-cot:budget=${CHAIN_TOKENS - 1}`), problem, short.context);
    expect(under.samples[0]).toMatchObject({ budgetCut: true, thinkingTokens: CHAIN_TOKENS - 1 });
  });

  it('takes a fraction of the median chain from the context or the config', async () => {
    const fromContext = setup({ script: () => CHAIN }, think, { medianChainTokens: 30 });
    await runSetting(parseStrategySetting('budgeted-cot:budget=0.5'), problem, fromContext.context);
    expect(fromContext.calls[0].thinking?.budgetTokens).toBe(15);
    const fromConfig = setup({ script: () => CHAIN }, think, { medianChainTokens: 30 });
    await runSetting(parseStrategySetting('budgeted-cot:budget=0.5,medianChainTokens=50'), problem, fromConfig.context);
    expect(fromConfig.calls[0].thinking?.budgetTokens).toBe(25);
    const unknown = setup({ script: () => CHAIN });
    await expect(runSetting(parseStrategySetting('budgeted-cot:budget=0.5'), problem, unknown.context)).rejects.toThrowError(
      /medianChainTokens is not known/,
    );
  });

  it('appends the answer cue for prompted models', async () => {
    const prompted = setup({ script: () => 'Step 1: 23+45=68\nAnswer: 56' }, reasoningFormat(PROMPTED));
    await runSetting(parseStrategySetting('budgeted-cot:budget=8'), problem, prompted.context);
    expect(prompted.calls[0].thinking).toEqual({ endMarker: 'Answer:', budgetTokens: 8, forcedText: '\nAnswer:' });
  });

  it('sweeps budgets', async () => {
    expect(budgetSweep([0.25, 0.5]).map(formatStrategySetting)).toEqual(['budgeted-cot:budget=0.25', 'budgeted-cot']);
    const { calls, context } = setup({ script: () => CHAIN, afterCut: answerLastTotal }, think, { medianChainTokens: 40 });
    const curve = await runBudgetSweep(problem, context, [0.25, 0.5, 1]);
    expect(calls.map((c) => c.thinking?.budgetTokens)).toEqual([10, 20, 40]);
    expect(curve.map((point) => [point.budget, point.result.answer])).toEqual([
      [0.25, '0'],
      [0.5, '68'],
      [1, '56'],
    ]);
  });
});

describe('self-consistency over budgeted chains', () => {
  it('votes over chains each cut at the budget', async () => {
    const { calls, context } = setup({ script: ({ request }) => Array(request.n).fill(CHAIN), afterCut: answerLastTotal });
    const result = await runSetting(parseStrategySetting('self-consistency:k=4,batch=2,budget=20'), problem, context);
    expect(calls.map((c) => [c.n, c.thinking?.budgetTokens, c.maxNewTokens])).toEqual([
      [2, 20, 52],
      [2, 20, 52],
    ]);
    expect(result.samples.every((s) => s.budgetCut && s.thinkingTokens === 20)).toBe(true);
    expect(result.answer).toBe('68');
    expect(result.details).toMatchObject({ budgetTokens: 20, samplesUsed: 4 });
    expect(result.totals.thinkingTokens).toBe(80);
  });
});

describe('prompt methods', () => {
  it('chain of draft: the published system prompt, answer after ####', async () => {
    const { calls, context } = setup({ script: () => '<think>\n23+45=68; -12=56\n</think>\n\n68-12\n#### 56' });
    const result = await runSetting(parseStrategySetting('chain-of-draft'), problem, context);
    expect(messagesOf(calls[0])).toEqual([
      { role: 'system', content: CHAIN_OF_DRAFT_PROMPT },
      { role: 'user', content: problem.question },
    ]);
    expect(result.samples[0].answer).toMatchObject({ value: '56', rule: 'gsm8k-hash' });
  });

  it("speak with intent: the authors' released prompts, intents in tags, a Final Answer line", async () => {
    // tasks/gsm8k.py of github.com/YuweiYin/SWI, written out here by hand.
    const released =
      'You are a helpful assistant who speaks with intent. You are good at mathematical reasoning. Your final answer must start with "Final Answer:"\n' +
      'During generation, follow all the requirements below:\n' +
      '1. Always explicitly state your own intent before speaking each sentence.\n' +
      '2. Each intent statement should explain the sentence that follows.\n' +
      '3. Your intent must start with the "<INTENT>" tag and end with the "</INTENT>" tag. The content within the intent tags must begin with "To" followed by a verb, such as "To accomplish a task."\n' +
      '4. At last, clearly and concisely give your final answer starting with "Final Answer:"';
    const reply =
      '<think>\n</think>\n\n<INTENT>To add the first two numbers.</INTENT> 23 + 45 = 68. ' +
      '<INTENT>To subtract the third.</INTENT> 68 - 12 = 56.\nFinal Answer: 56';
    const { calls, context } = setup({ script: () => reply });
    const result = await runSetting(parseStrategySetting('speak-with-intent'), problem, context);
    expect(messagesOf(calls[0])).toEqual([
      { role: 'system', content: released },
      { role: 'user', content: `Speak with intent and answer the following question.\n\n${problem.question}` },
    ]);
    expect(SPEAK_WITH_INTENT_PROMPT).toBe(released);
    expect(result.answer).toBe('56');
  });

  it('speak with intent on lettered choices: the multiple-choice prompt, options listed', async () => {
    const choice: Problem = { id: 'c1', question: 'Which is even?', choices: ['3', '4', '5'], reference: 'B' };
    const { calls, context } = setup({ script: () => '<INTENT>To pick the even one.</INTENT> 4 is even.\nFinal Answer: B' });
    const result = await runSetting(parseStrategySetting('speak-with-intent'), choice, context);
    const [system, user] = messagesOf(calls[0]);
    expect(system.content).toMatch(/^You are a helpful assistant who speaks with intent\. .*answer A, B, or C\.\n/);
    expect(user.content).toBe('Speak with intent and answer the following question by selecting an option.\n\nWhich is even?\n(A) 3\n(B) 4\n(C) 5');
    expect(result.answer).toBe('B');
  });

  it('critical questions: reason, check, revise — three turns carrying the conversation', async () => {
    const replies = ['<think>\npremises: 23, 45, 12\n</think>\n\n23+45-12 = 55', '<think>\n</think>\n\n4. No: 68-12 is 56.', CHAIN];
    const { calls, context } = setup({ script: ({ index }) => replies[index] });
    const result = await runSetting(parseStrategySetting('critical-questions'), problem, context);
    expect(calls).toHaveLength(3);
    expect(messagesOf(calls[0])).toEqual([{ role: 'user', content: `${problem.question}\n${CQOT_REASON}` }]);
    expect(messagesOf(calls[1]).map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(messagesOf(calls[1])[1].content).toBe('premises: 23, 45, 12\n\n23+45-12 = 55');
    expect(messagesOf(calls[1])[2].content).toBe(CQOT_CHECK);
    expect(CRITICAL_QUESTIONS).toHaveLength(8);
    expect(messagesOf(calls[2]).map((m) => m.content).at(-1)).toBe(CQOT_REVISE);
    expect(messagesOf(calls[2])).toHaveLength(5);
    expect(result.samples.map((s) => s.role)).toEqual(['reasoning', 'critique', 'answer']);
    expect(result.samples[0].answer?.value).toBe('55');
    expect(result.answer).toBe('56');
    expect(result.totals.samples).toBe(3);
  });

  it('critical questions: the description says it is one round, without the paper\'s gate', () => {
    expect(strategies['critical-questions'].description).toMatch(/exactly one critique-and-revise round/);
    expect(strategies['critical-questions'].description).toMatch(/gate[^.]*not implemented/);
  });
});

describe('learn-from-mistakes', () => {
  it('shows question, incorrect and correct answer, with no rationale, before the question', async () => {
    const { calls, context } = setup({ script: () => CHAIN });
    const result = await runSetting(parseStrategySetting('learn-from-mistakes:shots=2'), problem, context);
    const messages = messagesOf(calls[0]);
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
    expect(messages[1].content).toMatch(/^Incorrect answer: \d+\nCorrect answer: \d+$/);
    expect(messages[4].content).toBe(problem.question);
    expect(result.answer).toBe('56');
    expect(result.details?.exemplars).toHaveLength(2);
  });

  it('builds the same exemplars for the same seed, with wrong answers that are wrong', () => {
    const a = builtInExemplars(4, 7, problem.question);
    expect(builtInExemplars(4, 7, problem.question)).toEqual(a);
    expect(builtInExemplars(4, 8, problem.question)).not.toEqual(a);
    for (const exemplar of a) {
      expect(exemplar.incorrect).not.toBe(exemplar.correct);
      expect(Number(exemplar.incorrect)).toBeGreaterThanOrEqual(0);
      expect(exemplar.question).toMatch(/\d/);
    }
    expect(perturbAnswer('0', 1, 'x')).not.toBe('0');
  });

  it('uses the caller\'s exemplars, e.g. the model\'s own wrong answers', async () => {
    const train: Problem[] = [
      { id: 't1', question: 'What is 10 + 10?', reference: '20' },
      { id: 't2', question: 'What is 30 - 10?', reference: '20' },
    ];
    const results = [{ answer: '21' }, { answer: '20' }].map((r) => ({ ...r, samples: [], votes: [], totals: { samples: 1, tokens: 1, thinkingTokens: 0, answerTokens: 1, wallMs: 1 } }));
    const exemplars = mistakeExemplarsFrom(train, results, (p, answer) => p.reference === answer);
    expect(exemplars).toEqual([{ question: 'What is 10 + 10?', incorrect: '21', correct: '20' }]);
    const { calls, context } = setup({ script: () => CHAIN });
    await strategies['learn-from-mistakes'].run(problem, { ...strategies['learn-from-mistakes'].defaults, exemplars }, context);
    expect(messagesOf(calls[0]).slice(0, 2)).toEqual([
      { role: 'user', content: 'What is 10 + 10?' },
      { role: 'assistant', content: 'Incorrect answer: 21\nCorrect answer: 20' },
    ]);
  });
});

describe('early-answering probe', () => {
  it('forces answers at 0/25/50/75% of the chain and reports the match rate', async () => {
    const { calls, seen, context } = setup({ script: () => CHAIN, afterCut: answerLastTotal });
    const result = await runSetting(parseStrategySetting('early-answering'), problem, context);
    expect(CHAIN_TOKENS).toBe(46);
    expect(calls.map((c) => c.thinking?.budgetTokens)).toEqual([undefined, 0, 11, 23, 34]);
    expect(calls.every((c) => c.sampling.temperature === 0)).toBe(true);
    expect(result.samples.map((s) => s.role)).toEqual(['chain', 'probe@0%', 'probe@25%', 'probe@50%', 'probe@75%']);
    expect(seen).toHaveLength(5);
    expect(result.answer).toBe('56');
    expect(result.details).toMatchObject({
      chainTokens: CHAIN_TOKENS,
      points: [
        { fraction: 0, budgetTokens: 0, answer: '0', matchesFinal: false },
        { fraction: 0.25, budgetTokens: 11, answer: '0', matchesFinal: false },
        { fraction: 0.5, budgetTokens: 23, answer: '0', matchesFinal: false },
        { fraction: 0.75, budgetTokens: 34, answer: '56', matchesFinal: true },
        { fraction: 1, budgetTokens: CHAIN_TOKENS, answer: '56', matchesFinal: true },
      ],
      matchRate: 0.25,
    });
  });

  it('re-asks with the chain\'s own seed when sampling, so each cut shares its prefix', async () => {
    const { calls, context } = setup({ script: () => CHAIN });
    await runSetting(parseStrategySetting('early-answering:steps=2,temperature=0.7,seed=3'), problem, context);
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((c) => c.sampling.seed)).size).toBe(1);
  });
});

describe('every strategy with both reasoning formats', () => {
  const settings: Record<string, string> = {
    'self-consistency': 'self-consistency:k=3,batch=2,weighting=verbal',
    'budgeted-cot': 'budgeted-cot:budget=12',
    // The scripted model answers a forced cue with its whole text: give it room to reach `Answer: 56`.
    paraphrasing: 'paraphrasing:answerTokens=64',
    'filler-tokens': 'filler-tokens:answerTokens=64',
  };
  const formats = [
    { name: 'think-tags', format: think, text: CHAIN },
    { name: 'prompted', format: reasoningFormat(PROMPTED), text: 'Step 1: 23+45=68\nStep 2: 68-12=56\nAnswer: 56' },
  ];
  for (const { name, format, text } of formats) {
    it.each(Object.keys(strategies))(`%s reads the answer (${name})`, async (id) => {
      const { seen, context } = setup({ script: () => text, afterCut: () => ' 56' }, format);
      const result = await runSetting(parseStrategySetting(settings[id] ?? id), problem, context);
      expect(result.answer).toBe('56');
      expect(seen).toEqual(result.samples);
      expect(result.totals.samples).toBe(result.samples.length);
      expect(result.totals.tokens).toBe(result.samples.reduce((sum, s) => sum + s.tokens, 0));
    });
  }
});
