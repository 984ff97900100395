import { generateRecords, readAnswer, readerFor, singleAnswerResult } from './records';
import { questionText } from './chains';
import { defineStrategy, SAMPLING_PARAMS } from './params';
import { samplingFor, type SamplingConfig } from './seeds';

export interface DirectConfig extends SamplingConfig {
  /** New tokens allowed for the answer. */
  answerTokens: number;
}

export const direct = defineStrategy<DirectConfig>({
  id: 'direct',
  label: 'Direct answer',
  description:
    'Answers at once, with no chain of thought: thinking switched off through the chat template for think-tag models, ' +
    '"answer only" for prompted models — the standard-prompting baseline of Wei et al. (2022), ' +
    '"Chain-of-Thought Prompting Elicits Reasoning in Large Language Models".',
  defaults: { temperature: 0, seed: 0, answerTokens: 64 },
  params: {
    ...SAMPLING_PARAMS,
    answerTokens: { kind: 'int', min: 1, label: 'Max answer tokens' },
  },
  async run(problem, config, context) {
    const startedAtMs = performance.now();
    const reader = readerFor(problem);
    const [answer] = await generateRecords(
      context,
      {
        prompt: context.format.prompt(questionText(problem), { thinking: false }),
        n: 1,
        maxNewTokens: Math.min(config.answerTokens, context.maxNewTokens),
        sampling: samplingFor(config, problem.id, 'answer', 0),
      },
      'answer',
      (text) => readAnswer(context.format, text, reader),
    );
    return singleAnswerResult(answer, [answer], startedAtMs);
  },
});
