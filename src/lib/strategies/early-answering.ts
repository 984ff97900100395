/**
 * The early-answering probe (Lanham et al., 2023, "Measuring Faithfulness in Chain-of-Thought
 * Reasoning"): generate a chain, then force an answer after 0%, 25%, 50%, 75% of its thinking
 * tokens and see how often it matches the full chain's answer. A high match rate early means
 * the answer did not need (or did not use) the rest of the chain.
 *
 * Each truncation re-asks the same prompt with the same sampling parameters and a thinking
 * budget of that many tokens: the engine regenerates the identical prefix (greedy, or the same
 * seed) and cuts it there, appends the end-of-thinking text and continues the answer from its
 * cache. 100% is the full chain itself, so it is not generated twice.
 */
import { sameAnswer } from '../answers/grade';
import { generateRecords, readAnswer, readerFor, totalsOf } from './records';
import { chainRequest } from './chains';
import { FORCED_ANSWER_TOKENS } from './budget';
import { defineStrategy, SAMPLING_PARAMS } from './params';
import { samplingFor, type SamplingConfig } from './seeds';
import type { SampleRecord, StrategyResult } from './types';

export interface EarlyAnsweringConfig extends SamplingConfig {
  /** Truncation points are i/steps of the chain for i = 0…steps (4 gives 0/25/50/75/100%). */
  steps: number;
  answerTokens: number;
}

export interface ProbePoint {
  fraction: number;
  budgetTokens: number;
  answer: string | null;
  /** The forced answer equals the full chain's (false when either is missing). */
  matchesFinal: boolean;
}

export function probeRole(fraction: number): string {
  return `probe@${Math.round(fraction * 100)}%`;
}

export const earlyAnswering = defineStrategy<EarlyAnsweringConfig>({
  id: 'early-answering',
  label: 'Early-answering probe',
  description:
    'Cuts a chain of thought at 0/25/50/75% of its tokens, forces an answer at each cut, and reports how often it ' +
    'matches the full chain\'s answer — Lanham et al. (2023), "Measuring Faithfulness in Chain-of-Thought Reasoning".',
  defaults: { steps: 4, temperature: 0, seed: 0, answerTokens: FORCED_ANSWER_TOKENS },
  params: {
    steps: { kind: 'int', min: 1, max: 20, label: 'Truncation steps' },
    answerTokens: { kind: 'int', min: 1, label: 'Max answer tokens after a cut' },
    ...SAMPLING_PARAMS,
  },
  async run(problem, config, context): Promise<StrategyResult> {
    const startedAtMs = performance.now();
    const reader = readerFor(problem);
    const read = (text: string) => readAnswer(context.format, text, reader);
    const sampling = samplingFor(config, problem.id, 'chain', 0);
    const [chain] = await generateRecords(context, chainRequest(problem, context, { n: 1, sampling }), 'chain', read);
    const final = chain.answer?.value ?? null;
    const samples: SampleRecord[] = [chain];
    const points: ProbePoint[] = [];
    for (let i = 0; i < config.steps; i++) {
      const fraction = i / config.steps;
      const budgetTokens = Math.floor(fraction * chain.thinkingTokens);
      const [probe] = await generateRecords(
        context,
        chainRequest(problem, context, { n: 1, sampling, budgetTokens, answerTokens: config.answerTokens }),
        probeRole(fraction),
        read,
      );
      samples.push(probe);
      points.push(pointOf(fraction, budgetTokens, probe.answer?.value ?? null, final, reader.kind));
    }
    points.push(pointOf(1, chain.thinkingTokens, final, final, reader.kind));
    const early = points.slice(0, -1);
    const matchRate = early.filter((point) => point.matchesFinal).length / early.length;
    return {
      answer: final,
      samples,
      votes: final === null ? [] : [{ answer: final, count: 1, weight: 1 }],
      totals: totalsOf(samples, performance.now() - startedAtMs),
      details: { chainTokens: chain.thinkingTokens, points, matchRate },
    };
  },
});

function pointOf(
  fraction: number,
  budgetTokens: number,
  answer: string | null,
  final: string | null,
  kind: Parameters<typeof sameAnswer>[2],
): ProbePoint {
  return { fraction, budgetTokens, answer, matchesFinal: answer !== null && final !== null && sameAnswer(answer, final, kind) };
}
