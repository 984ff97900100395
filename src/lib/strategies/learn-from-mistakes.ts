/**
 * Implicit learning from mistakes (Alazraki et al., 2025, "No Need for Explanations: LLMs can
 * implicitly learn from mistakes in-context"): few-shot exemplars show a question, an incorrect
 * answer and the correct answer — no rationale — before the question is asked.
 *
 * Where the incorrect answers come from, reproducibly:
 * - given by the caller (`exemplars`), e.g. the model's own wrong answers on a train split,
 *   built with `mistakeExemplarsFrom()` from that split's results; or
 * - by default, built-in arithmetic problems (the embedded model's task, generated from the
 *   strategy's seed) with a wrong answer made by a deterministic perturbation of the correct
 *   one, seeded by the seed and the exemplar's id — the same exemplars every run;
 * - `source=own-mistakes`: mined from the model's own wrong chains on a built-in train split
 *   (mined-mistakes.ts), settable from the UI and the CLI.
 *
 * `rationale=solutions` is the paper's other arm: exemplars show the full wrong solution and the
 * full correct one (built-in: the correct chain and one with a carried slip; mined: the model's
 * own chain and the correct chain), not only the two answers.
 */
import { generateArithmeticProblems } from '../datasets/arithmetic';
import { canonicalNumber, parseNumber } from '../answers/numbers';
import type { ChatMessage } from '../generate';
import { generateRecords, readAnswer, readerFor, singleAnswerResult } from './records';
import { chainRequest, turn } from './chains';
import { minedMistakes } from './mined-mistakes';
import { correctSolution, slippedSolution } from './mistake-solutions';
import { defineStrategy, SAMPLING_PARAMS } from './params';
import { deriveSeed, samplingFor, type SamplingConfig } from './seeds';
import type { Problem, StrategyResult } from './types';

export interface MistakeExemplar {
  question: string;
  incorrect: string;
  correct: string;
  /** Full solutions, shown under `rationale=solutions`; the wrong one reaches `incorrectAnswer`. */
  solutions?: ExemplarSolutions;
}

export interface ExemplarSolutions {
  incorrect: string;
  incorrectAnswer: string;
  correct: string;
}

export type MistakeSource = 'built-in' | 'own-mistakes';
export type MistakeRationale = 'none' | 'solutions';

export interface LearnFromMistakesConfig extends SamplingConfig {
  /** How many exemplars to show. */
  shots: number;
  /** Caller-supplied exemplars (code only); when absent, `source` says where they come from. */
  exemplars?: readonly MistakeExemplar[];
  source: MistakeSource;
  /** `none`: question, wrong answer, right answer; `solutions`: the full wrong and right solutions. */
  rationale: MistakeRationale;
  /** `own-mistakes`: train problems the model may solve to find `shots` mistakes. */
  trainSize: number;
  /** `own-mistakes`: sampling temperature of the mining chains (greedy chains rarely slip). */
  mineTemperature: number;
}

/** Offsets a wrong answer is drawn from: off-by-one and off-by-ten slips, as in carry errors. */
const SLIPS = [1, -1, 2, -2, 10, -10, 9, 11] as const;

/** A wrong answer for `correct`, the same for the same seed and id; never equal to it. */
export function perturbAnswer(correct: string, seed: number, id: string): string {
  const value = parseNumber(correct);
  const pick = deriveSeed(seed, 'mistake', id);
  if (value === null) return `not ${correct}`;
  for (let i = 0; i < SLIPS.length; i++) {
    const candidate = value + SLIPS[(pick + i) % SLIPS.length];
    // Keep the built-in task's answers non-negative, as a real slip on it would be.
    if (candidate >= 0 || value < 0) return canonicalNumber(candidate);
  }
  return canonicalNumber(value + 1);
}

/** Built-in exemplars: arithmetic problems from the seed, none equal to the asked question. */
export function builtInExemplars(shots: number, seed: number, exclude: string): MistakeExemplar[] {
  const pool = generateArithmeticProblems({ n: shots + 1, seed: deriveSeed(seed, 'exemplars'), minSteps: 2, maxSteps: 4 });
  return pool
    .filter((problem) => problem.question !== exclude)
    .slice(0, shots)
    .map((problem) => {
      const slipped = slippedSolution(problem, seed);
      return {
        question: problem.question,
        incorrect: perturbAnswer(problem.reference, seed, problem.id),
        correct: problem.reference,
        ...(slipped ? { solutions: { incorrect: slipped.text, incorrectAnswer: slipped.answer, correct: correctSolution(problem).text } } : {}),
      };
    });
}

/** Exemplars from a model's own wrong answers (e.g. `cot` on a train split), in problem order. */
export function mistakeExemplarsFrom(
  problems: readonly Problem[],
  results: readonly StrategyResult[],
  isCorrect: (problem: Problem, answer: string) => boolean,
): MistakeExemplar[] {
  return problems.flatMap((problem, i) => {
    const answer = results[i]?.answer;
    return answer != null && !isCorrect(problem, answer)
      ? [{ question: problem.question, incorrect: answer, correct: problem.reference }]
      : [];
  });
}

export function exemplarTurns(exemplars: readonly MistakeExemplar[], rationale: MistakeRationale = 'none'): ChatMessage[] {
  return exemplars.flatMap((exemplar) => [
    turn('user', exemplar.question),
    turn(
      'assistant',
      rationale === 'solutions' && exemplar.solutions
        ? `Incorrect solution:\n${exemplar.solutions.incorrect}\nIncorrect answer: ${exemplar.solutions.incorrectAnswer}\n\n` +
            `Correct solution:\n${exemplar.solutions.correct}\nCorrect answer: ${exemplar.correct}`
        : `Incorrect answer: ${exemplar.incorrect}\nCorrect answer: ${exemplar.correct}`,
    ),
  ]);
}

export const learnFromMistakes = defineStrategy<LearnFromMistakesConfig>({
  id: 'learn-from-mistakes',
  label: 'Learning from mistakes',
  description:
    'Few-shot exemplars of question, incorrect answer and correct answer, without rationales — Alazraki et al. (2025), ' +
    '"No Need for Explanations: LLMs can implicitly learn from mistakes in-context". Wrong answers are the caller\'s ' +
    '(e.g. the model\'s own) or seeded perturbations of built-in exemplars.',
  defaults: { shots: 3, source: 'built-in', rationale: 'none', trainSize: 60, mineTemperature: 0.8, temperature: 0, seed: 0 },
  params: {
    shots: { kind: 'int', min: 1, max: 16, label: 'Exemplars' },
    source: { kind: 'enum', values: ['built-in', 'own-mistakes'], label: 'Exemplars from', help: "own-mistakes: the model's wrong chains on a train split" },
    rationale: { kind: 'enum', values: ['none', 'solutions'], label: 'Rationale', help: 'solutions: full wrong and right solutions' },
    trainSize: { kind: 'int', min: 1, max: 2000, label: 'Train split size (own mistakes)' },
    mineTemperature: { kind: 'number', min: 0, max: 5, label: 'Mining temperature (own mistakes)' },
    ...SAMPLING_PARAMS,
  },
  async run(problem, config, context) {
    const startedAtMs = performance.now();
    const reader = readerFor(problem);
    let mined: { solved: number } | undefined;
    let exemplars: MistakeExemplar[];
    if (config.exemplars) {
      exemplars = config.exemplars.filter((exemplar) => exemplar.question !== problem.question).slice(0, config.shots);
    } else if (config.source === 'own-mistakes') {
      const found = await minedMistakes(context, { shots: config.shots + 1, trainSize: config.trainSize, temperature: config.mineTemperature, seed: config.seed });
      exemplars = found.exemplars.filter((exemplar) => exemplar.question !== problem.question).slice(0, config.shots);
      mined = { solved: found.solved };
    } else {
      exemplars = builtInExemplars(config.shots, config.seed, problem.question);
    }
    const [chain] = await generateRecords(
      context,
      chainRequest(problem, context, {
        n: 1,
        sampling: samplingFor(config, problem.id, 'chain', 0),
        fewShot: exemplarTurns(exemplars, config.rationale),
      }),
      'chain',
      (text) => readAnswer(context.format, text, reader),
    );
    return singleAnswerResult(chain, [chain], startedAtMs, { exemplars, ...(mined ? { mined } : {}) });
  },
});
