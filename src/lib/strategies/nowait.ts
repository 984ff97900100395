/**
 * NoWait — Wang et al. (2025), "Wait, We Don't Need to 'Wait'! Removing Thinking Tokens Improves
 * Reasoning Efficiency" (arXiv 2506.08343): one chain with the reflection keywords banned by
 * logit bias (-∞) at every step. The keyword list is the paper's; each is banned as written, with
 * a leading space and capitalised. The engine bans only variants that are one token of the
 * model's vocabulary (on the character-level embedded model none is, so the ban is empty there).
 * With `compare`, the same chain is also sampled without the ban (same seed, role `baseline`)
 * and the thinking tokens saved are reported; that sample counts in the totals.
 */
import type { LogitBias } from '../generate';
import { chainRequest } from './chains';
import { defineStrategy, SAMPLING_PARAMS } from './params';
import { generateRecords, readAnswer, readerFor, singleAnswerResult } from './records';
import { samplingFor, type SamplingConfig } from './seeds';

export const NOWAIT_KEYWORDS = [
  'wait', 'alternatively', 'hmm', 'but', 'however', 'alternative', 'another', 'check', 'double-check',
  'oh', 'maybe', 'verify', 'other', 'again', 'now', 'ah', 'any',
] as const;

export interface NoWaitConfig extends SamplingConfig {
  compare: boolean;
}

export function noWaitBias(): LogitBias[] {
  const variants = NOWAIT_KEYWORDS.flatMap((word) => {
    const capital = word[0].toUpperCase() + word.slice(1);
    return [word, ` ${word}`, capital, ` ${capital}`];
  });
  return variants.map((text) => ({ text, bias: -Infinity }));
}

export const noWait = defineStrategy<NoWaitConfig>({
  id: 'nowait',
  label: 'NoWait',
  description:
    'One chain of thought with reflection tokens ("Wait", "Hmm", "Alternatively", …) banned by logit bias — Wang et ' +
    'al. (2025), "Wait, We Don\'t Need to \'Wait\'! Removing Thinking Tokens Improves Reasoning Efficiency".',
  defaults: { temperature: 0, seed: 0, compare: false },
  params: { ...SAMPLING_PARAMS, compare: { kind: 'boolean', label: 'Also sample without the ban (report tokens saved)' } },
  async run(problem, config, context) {
    const startedAtMs = performance.now();
    const reader = readerFor(problem);
    const request = chainRequest(problem, context, { n: 1, sampling: samplingFor(config, problem.id, 'chain', 0) });
    const read = (text: string) => readAnswer(context.format, text, reader);
    const [chain] = await generateRecords(context, { ...request, logitBias: noWaitBias() }, 'chain', read);
    if (!config.compare) return singleAnswerResult(chain, [chain], startedAtMs);
    const [baseline] = await generateRecords(context, request, 'baseline', read);
    return singleAnswerResult(chain, [chain, baseline], startedAtMs, {
      savedThinkingTokens: baseline.thinkingTokens - chain.thinkingTokens,
      baselineAnswer: baseline.answer?.value ?? null,
    });
  },
});
