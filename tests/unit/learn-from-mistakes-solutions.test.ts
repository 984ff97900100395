/**
 * Learning from mistakes with full solutions and with exemplars mined from the model's own
 * mistakes on a train split (Alazraki et al., 2025), over a scripted Generate.
 */
import { describe, expect, it } from 'vitest';
import { generateArithmeticProblems } from '../../src/lib/datasets/arithmetic';
import { THINK_TAGS, reasoningFormat } from '../../src/lib/formats/reasoning-format';
import type { GenerateRequest } from '../../src/lib/generate';
import { parseOperationLine } from '../../src/lib/strategies/arithmetic-steps';
import { builtInExemplars } from '../../src/lib/strategies/learn-from-mistakes';
import { trainSplit } from '../../src/lib/strategies/mined-mistakes';
import { correctSolution, slippedSolution } from '../../src/lib/strategies/mistake-solutions';
import { runSetting } from '../../src/lib/strategies/registry';
import { parseStrategySetting } from '../../src/lib/strategies/settings';
import type { Problem, StrategyContext } from '../../src/lib/strategies/types';
import { fakeGenerate } from './helpers/fake-generate';

const format = reasoningFormat(THINK_TAGS);
const problem: Problem = { id: 'p1', question: 'What is 23 + 45 - 12?', reference: '56' };
const lastUser = (request: GenerateRequest) => (request.prompt.kind === 'chat' ? (request.prompt.messages.at(-1)?.content ?? '') : '');
const turns = (request: GenerateRequest) => (request.prompt.kind === 'chat' ? request.prompt.messages : []);

describe('exemplar solutions', () => {
  const [sample] = generateArithmeticProblems({ n: 1, seed: 5, minSteps: 4, maxSteps: 4 });

  it('gives the correct chain, and a wrong one whose single slip is carried to a wrong answer', () => {
    expect(correctSolution(sample).text).toBe(`${sample.chain.join('\n')}\nThe answer is ${sample.reference}.`);
    const slipped = slippedSolution(sample, 3);
    expect(slipped).toEqual(slippedSolution(sample, 3));
    expect(slipped?.answer).not.toBe(sample.reference);
    const lines = (slipped?.text ?? '').split('\n').slice(0, sample.steps).map((line) => parseOperationLine(line));
    const wrongLines = lines.filter((line) => line && (line.op === '+' ? line.left + line.right : line.left - line.right) !== line.result);
    expect(wrongLines).toHaveLength(1);
    // Each line goes on from the total the line before reached (the slip is carried).
    for (let i = 1; i < lines.length; i++) expect(lines[i]?.left).toBe(lines[i - 1]?.result);
    expect(lines.at(-1)?.result).toBe(Number(slipped?.answer));
  });

  it('shows full wrong and right solutions under rationale=solutions', async () => {
    const fake = fakeGenerate({ script: () => '<think>\n023+045=068\n</think>\n\nThe answer is 56.' });
    await runSetting(parseStrategySetting('learn-from-mistakes:shots=2,rationale=solutions'), problem, { generate: fake.generate, format, maxNewTokens: 100 });
    const exemplars = builtInExemplars(2, 0, problem.question);
    const assistant = turns(fake.calls[0]).filter((message) => message.role === 'assistant');
    expect(assistant).toHaveLength(2);
    expect(assistant[0].content).toBe(
      `Incorrect solution:\n${exemplars[0].solutions?.incorrect}\nIncorrect answer: ${exemplars[0].solutions?.incorrectAnswer}\n\n` +
        `Correct solution:\n${exemplars[0].solutions?.correct}\nCorrect answer: ${exemplars[0].correct}`,
    );
  });

  it('keeps the answers-only exemplars unchanged by default', async () => {
    const fake = fakeGenerate({ script: () => '<think>\nx\n</think>\n\nThe answer is 56.' });
    await runSetting(parseStrategySetting('learn-from-mistakes:shots=1'), problem, { generate: fake.generate, format, maxNewTokens: 100 });
    const [exemplar] = builtInExemplars(1, 0, problem.question);
    expect(turns(fake.calls[0])[1].content).toBe(`Incorrect answer: ${exemplar.incorrect}\nCorrect answer: ${exemplar.correct}`);
  });
});

describe('exemplars mined from the model\'s own mistakes', () => {
  it('mines the train split once per run, and shows the model\'s own wrong chain with the correct one', async () => {
    const train = trainSplit(0, 10);
    // The scripted model gets the 2nd, 4th and 6th train problems wrong (answers 1 more), the rest right.
    const wrong = new Set([train[1].question, train[3].question, train[5].question]);
    const fake = fakeGenerate({
      script: ({ request }) => {
        const question = lastUser(request);
        const found = train.find((item) => item.question === question);
        if (!found) return '<think>\n023+045=068\n</think>\n\nThe answer is 56.';
        const answer = wrong.has(question) ? Number(found.reference) + 1 : Number(found.reference);
        return `<think>\nmy chain ${found.id}\n</think>\n\nThe answer is ${answer}.`;
      },
    });
    const context: StrategyContext = { generate: fake.generate, format, maxNewTokens: 100 };
    const setting = parseStrategySetting('learn-from-mistakes:shots=2,source=own-mistakes,rationale=solutions,trainSize=10');
    const first = await runSetting(setting, problem, context);
    const second = await runSetting(setting, { ...problem, id: 'p2', question: 'What is 11 + 22?' }, context);
    // Mining stops after shots + 1 = 3 mistakes, at the 6th train problem, and is not repeated.
    expect(fake.calls.length).toBe(6 + 2);
    expect(first.details?.mined).toEqual({ solved: 6 });
    expect(second.details?.exemplars).toEqual(first.details?.exemplars);
    const assistant = turns(fake.calls[6]).filter((message) => message.role === 'assistant');
    expect(assistant[0].content).toContain(`Incorrect solution:\nmy chain ${train[1].id}\n\nThe answer is ${Number(train[1].reference) + 1}.`);
    expect(assistant[0].content).toContain(`Correct solution:\n${train[1].chain.join('\n')}`);
    // Mining chains are sampled (greedy chains rarely slip), each with its own seed.
    expect(fake.calls[0].sampling.temperature).toBe(0.8);
  });
});
