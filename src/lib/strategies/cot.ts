import { generateRecords, readAnswer, readerFor, singleAnswerResult } from './records';
import { chainRequest } from './chains';
import { defineStrategy, SAMPLING_PARAMS } from './params';
import { samplingFor, type SamplingConfig } from './seeds';

export type CotConfig = SamplingConfig;

export const cot = defineStrategy<CotConfig>({
  id: 'cot',
  label: 'Chain of thought',
  description:
    'One chain of thought, then the answer; greedy by default, sampled when temperature > 0 — ' +
    'Wei et al. (2022), "Chain-of-Thought Prompting Elicits Reasoning in Large Language Models"; ' +
    'zero-shot "think step by step" after Kojima et al. (2022).',
  defaults: { temperature: 0, seed: 0 },
  params: SAMPLING_PARAMS,
  async run(problem, config, context) {
    const startedAtMs = performance.now();
    const reader = readerFor(problem);
    const [chain] = await generateRecords(
      context,
      chainRequest(problem, context, { n: 1, sampling: samplingFor(config, problem.id, 'chain', 0) }),
      'chain',
      (text) => readAnswer(context.format, text, reader),
    );
    return singleAnswerResult(chain, [chain], startedAtMs);
  },
});
