/**
 * Prompt-only methods: one chain of thought under a method's published instruction. Their
 * wordings are collected here so they can be read, cited and tested in one place.
 */
import { generateRecords, readAnswer, readerFor, singleAnswerResult } from './records';
import { chainRequest } from './chains';
import { defineStrategy, SAMPLING_PARAMS } from './params';
import { samplingFor, type SamplingConfig } from './seeds';
import type { Problem, StrategyContext, StrategyResult } from './types';

/** Chain of Draft's system prompt, verbatim from Xu et al. (2025). */
export const CHAIN_OF_DRAFT_PROMPT =
  'Think step by step, but only keep a minimum draft for each thinking step, with 5 words at most. ' +
  'Return the answer at the end of the response after a separator ####.';

/**
 * Speaking with Intent: the model states its intent before each step. The opening sentence is
 * the paper's; the rest spells out what the paper asks of the model.
 */
export const SPEAK_WITH_INTENT_PROMPT =
  'Speak with intent and answer the following question. Before each step of your analysis, state your intent ' +
  '(what you are about to do and why), then carry it out. Finish with the final answer.';

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
    'The model states its intent before each step of its analysis — Yin et al. (2025), ' +
    '"SWI: Speaking with Intent in Large Language Models".',
  defaults: { temperature: 0, seed: 0 },
  params: SAMPLING_PARAMS,
  run: (problem, config, context) => promptedChain(problem, config, context, SPEAK_WITH_INTENT_PROMPT),
});

/** One chain under a method's system prompt. */
async function promptedChain(
  problem: Problem,
  config: PromptMethodConfig,
  context: StrategyContext,
  system: string,
): Promise<StrategyResult> {
  const startedAtMs = performance.now();
  const reader = readerFor(problem);
  const [chain] = await generateRecords(
    context,
    chainRequest(problem, context, { n: 1, sampling: samplingFor(config, problem.id, 'chain', 0), system }),
    'chain',
    (text) => readAnswer(context.format, text, reader),
  );
  return singleAnswerResult(chain, [chain], startedAtMs);
}
