import { generateRecords, readAnswer, readerFor, singleAnswerResult } from './records';
import { chainRequest } from './chains';
import { BUDGET_PARAMS, budgetProblem, FORCED_ANSWER_TOKENS, resolveBudgetTokens } from './budget';
import { defineStrategy, SAMPLING_PARAMS } from './params';
import { samplingFor, type SamplingConfig } from './seeds';

export interface BudgetedCotConfig extends SamplingConfig {
  /** A fraction in (0, 1] of `medianChainTokens`, or a token count above 1. */
  budget: number;
  /** The model's median chain on the dataset (see budget.ts for how to obtain it). */
  medianChainTokens?: number;
  /** New tokens allowed for the forced answer after the cut. */
  answerTokens: number;
}

export const budgetedCot = defineStrategy<BudgetedCotConfig>({
  id: 'budgeted-cot',
  label: 'Budgeted chain of thought',
  description:
    'A chain of thought cut at a token budget, then a forced answer continued from the cache: the end-of-thinking ' +
    'delimiter (or answer cue) is appended and the model answers from what it has thought so far — budget forcing ' +
    'of s1 (Muennighoff et al., 2025, "s1: Simple test-time scaling") and Qwen3\'s thinking budget (2025).',
  defaults: { budget: 0.5, temperature: 0, seed: 0, answerTokens: FORCED_ANSWER_TOKENS },
  params: {
    ...BUDGET_PARAMS,
    answerTokens: { kind: 'int', min: 1, label: 'Max answer tokens after the cut' },
    ...SAMPLING_PARAMS,
  },
  validate: (config) => budgetProblem(config.budget),
  async run(problem, config, context) {
    const startedAtMs = performance.now();
    const reader = readerFor(problem);
    const budgetTokens = resolveBudgetTokens(config.budget, config.medianChainTokens ?? context.medianChainTokens);
    const [chain] = await generateRecords(
      context,
      chainRequest(problem, context, {
        n: 1,
        sampling: samplingFor(config, problem.id, 'chain', 0),
        budgetTokens,
        answerTokens: config.answerTokens,
      }),
      'chain',
      (text) => readAnswer(context.format, text, reader),
    );
    return singleAnswerResult(chain, [chain], startedAtMs, { budgetTokens, budgetCut: chain.budgetCut });
  },
});
