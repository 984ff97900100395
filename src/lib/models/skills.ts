/**
 * What a model can be expected to do, as data in its catalog entry, and what a dataset asks
 * of it — so the app can warn before a run that cannot succeed (the embedded model on GSM8K)
 * without naming any model in code.
 */
import type { Dataset } from '../datasets/types';

/** Kinds of task a dataset may pose. */
export type TaskKind = 'integer-arithmetic' | 'word-problems';

/** A model trained for a narrow set of tasks; general-purpose models have no `skills`. */
export interface ModelSkills {
  /** The only task kinds the model was trained for. */
  tasks: readonly TaskKind[];
  /** What it was trained on, in words for the hint ("multi-step integer arithmetic"). */
  trainedOn: string;
  /** A question it can answer, for the hint. */
  example: string;
}

/** "What is 23 + 45 - 12?" and other bare expressions. */
const EXPRESSION = /^\s*(what is\s+)?[-+*/×÷().,=\d\s]+\??\s*$/i;
/** The built-in generator's phrasing: "Sam has 23 coins, gets 45, loses 12. How many coins now?" */
const RUNNING_TOTAL = /^[A-Z][a-z]+ has \d+ [a-z]+(, (gets|loses) \d+)+\. How many [a-z]+ now\?$/;
/** Questions looked at; enough to tell the two kinds apart without reading a whole dataset. */
const SAMPLED_QUESTIONS = 50;

/**
 * The built-in generator asks integer arithmetic; any other dataset is judged by its questions:
 * arithmetic when (nearly) all of the first ones are expressions or running totals.
 */
export function datasetTaskKind(dataset: Pick<Dataset, 'source' | 'problems'>): TaskKind {
  if (dataset.source.kind === 'builtin') return 'integer-arithmetic';
  const questions = dataset.problems.slice(0, SAMPLED_QUESTIONS).map((problem) => problem.question.trim());
  if (questions.length === 0) return 'integer-arithmetic';
  const arithmetic = questions.filter((question) => EXPRESSION.test(question) || RUNNING_TOTAL.test(question)).length;
  return arithmetic >= 0.9 * questions.length ? 'integer-arithmetic' : 'word-problems';
}

const TASK_WORDS: Record<TaskKind, string> = {
  'integer-arithmetic': 'arithmetic expressions',
  'word-problems': 'word problems',
};

/** A warning when the dataset asks what the model was not trained for; null when it fits (or the model is general). */
export function skillsHint(model: { label: string; skills?: ModelSkills }, dataset: Pick<Dataset, 'source' | 'problems'>): string | null {
  const skills = model.skills;
  if (!skills) return null;
  const kind = datasetTaskKind(dataset);
  if (skills.tasks.includes(kind)) return null;
  return (
    `${model.label} was trained on ${skills.trainedOn} only (like “${skills.example}”); this dataset has ${TASK_WORDS[kind]}, ` +
    'which it cannot solve, so expect accuracy near 0. For word problems, add a hub model on the Models page and pick it here.'
  );
}
