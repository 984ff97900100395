/**
 * Budget forcing — Muennighoff et al. (2025), "s1: Simple test-time scaling" (arXiv 2501.19393;
 * reference code github.com/simplescaling/s1). One chain whose thinking length is controlled at
 * decode time:
 * - think longer: when the model tries to end its thinking, the end-of-thinking delimiter is
 *   suppressed and "Wait" is appended instead, up to `times` times; then it may end.
 * - think shorter (optional `budget`): thinking is cut at the budget and the answer delimiter is
 *   appended, as `budgeted-cot` does.
 * Defaults follow the paper's extrapolation ablation (Table 4: suppressing the delimiter twice,
 * comparing the appended strings "Alternatively", "Hmm" and "Wait"; "Wait" did best) at greedy
 * decoding, as their evaluation ran (temperature 0).
 *
 * The engine reports what the extension added (`Sample.thinkingExtension`): thinking tokens
 * beyond where the chain first tried to end. Under greedy decoding that is exactly the extra
 * thinking over plain `cot` on the same question (the two chains are identical up to there).
 * With `compare`, plain `cot` (no extension, no budget; same seed, role `baseline`) is also run
 * and the measured difference reported; that sample counts in the totals.
 */
import { BUDGET_PARAMS, budgetProblem, FORCED_ANSWER_TOKENS, resolveBudgetTokens } from './budget';
import { chainRequest } from './chains';
import { defineStrategy, SAMPLING_PARAMS } from './params';
import { generateRecords, readAnswer, readerFor, singleAnswerResult } from './records';
import { samplingFor, type SamplingConfig } from './seeds';

/** The strings s1 ablates as what to append (Table 4). */
export const S1_WAIT_TEXTS = ['Wait', 'Hmm', 'Alternatively'] as const;

export interface BudgetForcingConfig extends SamplingConfig {
  /** How many times the end of thinking is suppressed (s1's thinking_n_ignore). */
  times: number;
  /** What is appended in its place (s1's thinking_n_ignore_str). */
  waitText: (typeof S1_WAIT_TEXTS)[number];
  /** Optional maximum thinking: a fraction in (0, 1] of `medianChainTokens`, or a token count above 1 (as in budgeted-cot). */
  budget?: number;
  medianChainTokens?: number;
  /** New tokens allowed for the forced answer after a cut. */
  answerTokens: number;
  compare: boolean;
}

export const budgetForcing = defineStrategy<BudgetForcingConfig>({
  id: 'budget-forcing',
  label: 'Budget forcing (s1)',
  description:
    'One chain of thought made to think longer: when it tries to end its thinking, "Wait" is appended instead, up to m ' +
    'times; optionally also cut at a maximum thinking budget with the answer forced — Muennighoff et al. (2025), ' +
    '"s1: Simple test-time scaling".',
  defaults: { times: 2, waitText: 'Wait', temperature: 0, seed: 0, answerTokens: FORCED_ANSWER_TOKENS, compare: false },
  params: {
    times: { kind: 'int', min: 0, label: 'Times to suppress the end of thinking (m)' },
    waitText: { kind: 'enum', values: S1_WAIT_TEXTS, label: 'Text appended instead' },
    ...BUDGET_PARAMS,
    budget: { ...BUDGET_PARAMS.budget, label: 'Maximum thinking (optional)' },
    answerTokens: { kind: 'int', min: 1, label: 'Max answer tokens after a cut' },
    compare: { kind: 'boolean', label: 'Also run plain cot (report the extra thinking measured)' },
    ...SAMPLING_PARAMS,
  },
  validate: (config) => budgetProblem(config.budget),
  async run(problem, config, context) {
    const startedAtMs = performance.now();
    const reader = readerFor(problem);
    const read = (text: string) => readAnswer(context.format, text, reader);
    const sampling = samplingFor(config, problem.id, 'chain', 0);
    const budgetTokens =
      config.budget === undefined ? undefined : resolveBudgetTokens(config.budget, config.medianChainTokens ?? context.medianChainTokens);
    const request = chainRequest(problem, context, { n: 1, sampling, budgetTokens, answerTokens: config.answerTokens });
    const thinking = { ...context.format.thinkingControl(budgetTokens), extend: { times: config.times, text: config.waitText } };
    const [chain] = await generateRecords(context, { ...request, thinking }, 'chain', read);
    const details = {
      times: chain.thinkingExtension?.times ?? 0,
      addedThinkingTokens: chain.thinkingExtension?.addedTokens ?? 0,
      ...(budgetTokens !== undefined ? { budgetTokens, budgetCut: chain.budgetCut } : {}),
    };
    if (!config.compare) return singleAnswerResult(chain, [chain], startedAtMs, details);
    const [baseline] = await generateRecords(context, chainRequest(problem, context, { n: 1, sampling }), 'baseline', read);
    return singleAnswerResult(chain, [chain, baseline], startedAtMs, {
      ...details,
      extraThinkingTokens: chain.thinkingTokens - baseline.thinkingTokens,
      baselineAnswer: baseline.answer?.value ?? null,
    });
  },
});
