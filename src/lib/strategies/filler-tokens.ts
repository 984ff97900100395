/**
 * Filler tokens (Lanham et al., 2023, "Measuring Faithfulness in Chain-of-Thought Reasoning",
 * §2.4): the model's chain is replaced by filler of the same length and the answer is forced
 * after it. If accuracy falls back to answering directly, the chain's content — not the extra
 * computation its tokens buy — is what helped.
 *
 * Length: one filler unit per thinking token of the model's own chain (the engine's count).
 * Each unit is one token on the embedded character-level model ('.'); for BPE models pick a
 * unit that is one token in their vocabulary (' ...' is, in Qwen's and Llama's).
 */
import { FORCED_ANSWER_TOKENS } from './budget';
import { closeChain } from './chain-steps';
import { defineStrategy, SAMPLING_PARAMS } from './params';
import { answersMatch, continueFrom, ownChain, rate, type ProbeConfig } from './probe-common';
import { totalsOf } from './records';
import { samplingFor } from './seeds';
import type { SampleRecord, StrategyResult } from './types';

export type FillerUnit = '.' | ' ...' | '…';

export interface FillerTokensConfig extends ProbeConfig {
  filler: FillerUnit;
}

/** The filler that stands in for a chain of `tokens` thinking tokens. */
export function fillerText(unit: FillerUnit, tokens: number): string {
  return unit.repeat(Math.max(0, tokens));
}

export const fillerTokens = defineStrategy<FillerTokensConfig>({
  id: 'filler-tokens',
  label: 'Filler tokens',
  description:
    'Replaces the model\'s chain by filler of the same token length and forces the answer: does accuracy fall to ' +
    'answering directly? — Lanham et al. (2023), "Measuring Faithfulness in Chain-of-Thought Reasoning".',
  defaults: { filler: '.', temperature: 0, seed: 0, answerTokens: FORCED_ANSWER_TOKENS },
  params: {
    filler: { kind: 'enum', values: ['.', ' ...', '…'], label: 'Filler unit', help: 'one token of the model; "." on the embedded model' },
    answerTokens: { kind: 'int', min: 1, label: 'Max answer tokens after the filler' },
    ...SAMPLING_PARAMS,
  },
  async run(problem, config, context): Promise<StrategyResult> {
    const startedAtMs = performance.now();
    const chain = await ownChain(problem, config, context);
    const filler = fillerText(config.filler, chain.record.thinkingTokens);
    const forced = await continueFrom(problem, context, chain.reader, {
      prefix: closeChain(context.format, `${chain.steps.head}${filler}\n`),
      role: 'answer',
      sampling: samplingFor(config, problem.id, 'after-filler', 0),
      maxNewTokens: config.answerTokens,
    });
    const samples: SampleRecord[] = [chain.record, forced];
    const answer = forced.answer?.value ?? null;
    return {
      answer,
      samples,
      votes: answer === null ? [] : [{ answer, count: 1, weight: 1 }],
      totals: totalsOf(samples, performance.now() - startedAtMs),
      details: {
        fillerTokens: chain.record.thinkingTokens,
        originalAnswer: chain.answer,
        probe: chain.answer === null ? [] : [rate('same answer as own chain', answersMatch(answer, chain.answer, chain.reader))],
      },
    };
  },
});
