/**
 * Prompt-only methods: one chain of thought under a method's published instruction. Their
 * wordings are collected here so they can be read, cited and tested in one place.
 */
import { generateRecords, readAnswer, readerFor, singleAnswerResult } from './records';
import { chainRequest, questionText } from './chains';
import { defineStrategy, SAMPLING_PARAMS } from './params';
import { samplingFor, type SamplingConfig } from './seeds';
import type { Problem, StrategyContext, StrategyResult } from './types';

/** Chain of Draft's system prompt, verbatim from Xu et al. (2025). */
export const CHAIN_OF_DRAFT_PROMPT =
  'Think step by step, but only keep a minimum draft for each thinking step, with 5 words at most. ' +
  'Return the answer at the end of the response after a separator ####.';

/**
 * Speaking with Intent (Yin, Hwang & Carenini, 2025): the authors' released prompts
 * (github.com/YuweiYin/SWI, tasks/gsm8k.py for open answers, tasks/mmlu.py for lettered choices;
 * MIT licence), quoted verbatim except that the choice letters follow the problem's choices.
 */
const SWI_RULES =
  'During generation, follow all the requirements below:\n' +
  '1. Always explicitly state your own intent before speaking each sentence.\n' +
  '2. Each intent statement should explain the sentence that follows.\n' +
  '3. Your intent must start with the "<INTENT>" tag and end with the "</INTENT>" tag. ' +
  'The content within the intent tags must begin with "To" followed by a verb, such as "To accomplish a task."\n' +
  '4. At last, clearly and concisely give your final answer starting with "Final Answer:"';

/** SWI's system prompt for open-answer (math) problems. */
export const SPEAK_WITH_INTENT_PROMPT =
  'You are a helpful assistant who speaks with intent. ' +
  'You are good at mathematical reasoning. Your final answer must start with "Final Answer:"\n' +
  SWI_RULES;

/** SWI's system prompt for problems with lettered choices. */
export function speakWithIntentChoicePrompt(choiceCount: number): string {
  const letters = Array.from({ length: choiceCount }, (_, i) => String.fromCharCode(65 + i));
  const listed = letters.length > 1 ? `${letters.slice(0, -1).join(', ')}, or ${letters.at(-1)}` : letters.join('');
  return (
    'You are a helpful assistant who speaks with intent. ' +
    'You are good at answering questions and logical reasoning. ' +
    `You need to select one from the given options and answer ${listed}.\n` +
    'Your final answer must start with "Final Answer:"\n' +
    SWI_RULES
  );
}

/** SWI's user turn: its instruction, a blank line, then the question (and its options). */
export function speakWithIntentQuestion(problem: Problem): string {
  const hasChoices = (problem.choices?.length ?? 0) > 0;
  const ask = hasChoices
    ? 'Speak with intent and answer the following question by selecting an option.'
    : 'Speak with intent and answer the following question.';
  return `${ask}\n\n${questionText(problem)}`;
}

export type PromptMethodConfig = SamplingConfig;

export const chainOfDraft = defineStrategy<PromptMethodConfig>({
  id: 'chain-of-draft',
  label: 'Chain of Draft',
  description:
    'Minimal drafts of at most five words per step, then the answer after "####" — Xu et al. (2025), ' +
    '"Chain of Draft: Thinking Faster by Writing Less".',
  defaults: { temperature: 0, seed: 0 },
  params: SAMPLING_PARAMS,
  run: (problem, config, context) => promptedChain(problem, config, context, CHAIN_OF_DRAFT_PROMPT),
});

export const speakWithIntent = defineStrategy<PromptMethodConfig>({
  id: 'speak-with-intent',
  label: 'Speaking with Intent',
  description:
    'The model states its intent, in <INTENT>…</INTENT> tags, before each sentence and ends with "Final Answer:" — ' +
    'the authors\' released zero-shot prompts (system prompt and "Speak with intent and answer the following ' +
    'question."), Yin et al. (2025), "SWI: Speaking with Intent in Large Language Models". Differences: the model\'s ' +
    'reasoning format still applies (think-tag models may think before the SWI text; prompted models also get the ' +
    'format\'s step-by-step line and "Answer:" cue), and the choice letters follow the problem\'s choices.',
  defaults: { temperature: 0, seed: 0 },
  params: SAMPLING_PARAMS,
  run: (problem, config, context) => {
    const choices = problem.choices?.length ?? 0;
    const system = choices > 0 ? speakWithIntentChoicePrompt(choices) : SPEAK_WITH_INTENT_PROMPT;
    return promptedChain(problem, config, context, system, speakWithIntentQuestion(problem));
  },
});

/** One chain under a method's system prompt. */
async function promptedChain(
  problem: Problem,
  config: PromptMethodConfig,
  context: StrategyContext,
  system: string,
  question?: string,
): Promise<StrategyResult> {
  const startedAtMs = performance.now();
  const reader = readerFor(problem);
  const [chain] = await generateRecords(
    context,
    chainRequest(problem, context, {
      n: 1,
      sampling: samplingFor(config, problem.id, 'chain', 0),
      system,
      ...(question !== undefined ? { question } : {}),
    }),
    'chain',
    (text) => readAnswer(context.format, text, reader),
  );
  return singleAnswerResult(chain, [chain], startedAtMs);
}
