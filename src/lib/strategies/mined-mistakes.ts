/**
 * Learning-from-mistakes exemplars mined from the model's own mistakes (Alazraki et al., 2025,
 * use a model's wrong answers on a train split): the model solves built-in arithmetic problems of
 * a train split — its own seed, never the asked question — with sampled chains, and the first
 * `shots` it gets wrong become exemplars, with its own wrong chain and the correct chain.
 *
 * Mining runs once per `Generate` and settings (memoised), not once per question: every question
 * of a run sees the same exemplars. Its samples are not any question's samples; the count of
 * problems it took is in each result's details.
 */
import { sameAnswer } from '../answers/grade';
import { generateArithmeticProblems } from '../datasets/arithmetic';
import type { Generate } from '../generate';
import { chainRequest, visibleText } from './chains';
import { correctSolution } from './mistake-solutions';
import { readAnswer, readerFor } from './records';
import { deriveSeed } from './seeds';
import type { StrategyContext } from './types';

import type { MistakeExemplar } from './learn-from-mistakes';

export interface MiningOptions {
  shots: number;
  trainSize: number;
  temperature: number;
  seed: number;
}

export interface Mined {
  exemplars: MistakeExemplar[];
  /** Train problems solved before enough mistakes were found (or all of them). */
  solved: number;
}

/** The train split: built-in problems from a seed of their own (2–6 steps, where the model slips). */
export function trainSplit(seed: number, size: number) {
  return generateArithmeticProblems({ n: size, seed: deriveSeed(seed, 'train-split'), minSteps: 2, maxSteps: 6 });
}

const memo = new WeakMap<Generate, Map<string, Promise<Mined>>>();

export function minedMistakes(context: StrategyContext, options: MiningOptions): Promise<Mined> {
  const key = JSON.stringify(options);
  const forGenerate = memo.get(context.generate) ?? new Map<string, Promise<Mined>>();
  memo.set(context.generate, forGenerate);
  const known = forGenerate.get(key);
  if (known) return known;
  const mining = mine(context, options);
  // A failed or aborted mining is not remembered: the next question tries again.
  mining.catch(() => forGenerate.delete(key));
  forGenerate.set(key, mining);
  return mining;
}

async function mine(context: StrategyContext, options: MiningOptions): Promise<Mined> {
  const exemplars: MistakeExemplar[] = [];
  let solved = 0;
  for (const problem of trainSplit(options.seed, options.trainSize)) {
    if (exemplars.length >= options.shots) break;
    context.signal?.throwIfAborted();
    const sampling = { temperature: options.temperature, seed: deriveSeed(options.seed, problem.id, 'mine') };
    const [sample] = await context.generate({ ...chainRequest(problem, context, { n: 1, sampling }), ...(context.signal ? { signal: context.signal } : {}) });
    solved++;
    const answer = readAnswer(context.format, sample.text, readerFor(problem))?.value ?? null;
    if (answer === null || sameAnswer(answer, problem.reference)) continue;
    exemplars.push({
      question: problem.question,
      incorrect: answer,
      correct: problem.reference,
      solutions: { incorrect: visibleText(context.format, sample.text), incorrectAnswer: answer, correct: correctSolution(problem).text },
    });
  }
  return { exemplars, solved };
}
