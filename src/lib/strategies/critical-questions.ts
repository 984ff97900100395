/**
 * Critical-Questions-of-Thought (Castagna, Sassoon & Parsons, 2024, "Critical-Questions-of-
 * Thought: Steering LLM reasoning with Argumentative Querying"), as a three-turn conversation:
 * reason as premises and a conclusion; check that reasoning against Toulmin-style critical
 * questions; revise where a question found a problem and answer. The wordings follow the
 * paper's pipeline; the questions are its eight, phrased for step-by-step problems. It is one
 * critique-and-revise round: the paper's gate (redo the reasoning while it fails the questions)
 * is left out, and the description says so.
 */
import type { ChatMessage } from '../generate';
import { generateRecords, readAnswer, readerFor, singleAnswerResult } from './records';
import { chainRequest, questionText, turn, visibleText } from './chains';
import { defineStrategy, SAMPLING_PARAMS } from './params';
import { samplingFor, type SamplingConfig } from './seeds';
import type { SampleRecord } from './types';

export const CQOT_REASON =
  'Before answering, set out your reasoning as a plan: the premises you take from the question, ' +
  'each step that follows from them, and the conclusion they lead to.';

export const CRITICAL_QUESTIONS = [
  'Does the reasoning start from premises that are clearly stated?',
  'Are the premises true, that is, do they match what the question says?',
  'Does each step follow from the premises and the steps before it?',
  'Is every calculation in the steps correct?',
  'Does the reasoning rely on any assumption the question does not support?',
  'Has any information in the question been ignored or misread?',
  'Does the conclusion follow from the premises and the steps?',
  'Does the conclusion answer exactly what the question asks?',
] as const;

export const CQOT_CHECK = `Check your reasoning against these critical questions, answering each one:\n${CRITICAL_QUESTIONS.map(
  (question, i) => `${i + 1}. ${question}`,
).join('\n')}`;

export const CQOT_REVISE =
  'Revise your reasoning where a critical question found a problem, then give the final answer as ' +
  "'The answer is <answer>.'";

export type CriticalQuestionsConfig = SamplingConfig;

export const criticalQuestions = defineStrategy<CriticalQuestionsConfig>({
  id: 'critical-questions',
  label: 'Critical questions (CQoT)',
  description:
    'Reason as premises and a conclusion, check the reasoning against eight critical questions, revise, then answer ' +
    '(three turns) — after Castagna et al. (2024), "Critical-Questions-of-Thought: Steering LLM reasoning with ' +
    'Argumentative Querying". Not the paper\'s pipeline: this is exactly one critique-and-revise round; the paper\'s ' +
    'gate, which sends the reasoning back to be redone while it fails the critical questions, is not implemented.',
  defaults: { temperature: 0, seed: 0 },
  params: SAMPLING_PARAMS,
  async run(problem, config, context) {
    const startedAtMs = performance.now();
    const reader = readerFor(problem);
    const read = (text: string) => readAnswer(context.format, text, reader);
    const records: SampleRecord[] = [];
    const history: ChatMessage[] = [];
    const steps = [
      { role: 'reasoning', ask: `${questionText(problem)}\n${CQOT_REASON}` },
      { role: 'critique', ask: CQOT_CHECK },
      { role: 'answer', ask: CQOT_REVISE },
    ] as const;
    for (const [index, step] of steps.entries()) {
      const [record] = await generateRecords(
        context,
        chainRequest(problem, context, {
          n: 1,
          sampling: samplingFor(config, problem.id, step.role, index),
          question: step.ask,
          fewShot: [...history],
        }),
        step.role,
        read,
      );
      records.push(record);
      history.push(turn('user', step.ask), turn('assistant', visibleText(context.format, record.text)));
    }
    return singleAnswerResult(records[records.length - 1], records, startedAtMs);
  },
});
