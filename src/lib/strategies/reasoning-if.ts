/**
 * The ReasonIF probe (Kwon et al., 2025, "ReasonIF: Large Reasoning Models Fail to Follow
 * Instructions During Reasoning"): one chain of thought with an instruction about the reasoning
 * appended to the question; the thinking text and the answer text are checked by the
 * instruction's deterministic verifier, and both compliance rates are reported apart (the paper
 * finds models follow such instructions in their answers far more often than in their chains).
 */
import { chainRequest, questionText } from './chains';
import { defineStrategy, SAMPLING_PARAMS } from './params';
import { rate, type ProbeMeasure } from './probe-common';
import { generateRecords, readAnswer, readerFor, singleAnswerResult } from './records';
import {
  drawInstructionId,
  drawLanguage,
  LANGUAGE_CODES,
  reasoningInstruction,
  REASONING_INSTRUCTION_IDS,
  deriveInstructionPhrase,
  type LanguageCode,
  type ReasoningInstructionId,
} from './reasoning-instructions';
import { samplingFor, type SamplingConfig } from './seeds';

export interface ReasoningIfConfig extends SamplingConfig {
  /** One instruction type for every question, or `mixed`: one drawn per question from the seed. */
  instruction: ReasoningInstructionId | 'mixed';
  /** The `word-limit` instruction's limit (ReasonIF: 52 for GSM8K, the 20th percentile of a strong model's chains). */
  maxWords: number;
  language: LanguageCode;
}

export const reasoningIf = defineStrategy<ReasoningIfConfig>({
  id: 'reasoning-if',
  label: 'Reasoning instruction following',
  description:
    'Appends an instruction about the reasoning (language, word limit, capitals, ending phrase, JSON, no commas) and checks ' +
    'the thinking and the answer apart with deterministic verifiers — Kwon et al. (2025), "ReasonIF: Large Reasoning ' +
    'Models Fail to Follow Instructions During Reasoning".',
  defaults: { instruction: 'mixed', maxWords: 52, language: 'zh', temperature: 0, seed: 0 },
  params: {
    instruction: { kind: 'enum', values: [...REASONING_INSTRUCTION_IDS, 'mixed'], label: 'Instruction' },
    maxWords: { kind: 'int', min: 1, label: 'Word limit' },
    language: { kind: 'enum', values: LANGUAGE_CODES, label: 'Language' },
    ...SAMPLING_PARAMS,
  },
  async run(problem, config, context) {
    const startedAtMs = performance.now();
    const reader = readerFor(problem);
    const mixed = config.instruction === 'mixed';
    const id: ReasoningInstructionId = config.instruction === 'mixed' ? drawInstructionId(config.seed, problem.id) : config.instruction;
    const instruction = reasoningInstruction(id, {
      maxWords: config.maxWords,
      language: mixed ? drawLanguage(config.seed, problem.id) : config.language,
      endPhrase: deriveInstructionPhrase(config.seed, problem.id),
    });
    const [chain] = await generateRecords(
      context,
      chainRequest(problem, context, { n: 1, sampling: samplingFor(config, problem.id, 'chain', 0), question: `${questionText(problem)}\n${instruction.text}` }),
      'chain',
      (text) => readAnswer(context.format, text, reader),
    );
    const { thinking, answer } = context.format.split(chain.text);
    const thinkingFollows = instruction.check(thinking);
    const answerFollows = instruction.check(answer);
    const probe: ProbeMeasure[] = [
      rate('thinking follows', thinkingFollows),
      rate('answer follows', answerFollows),
      rate(`thinking follows (${id})`, thinkingFollows),
      rate(`answer follows (${id})`, answerFollows),
    ];
    return singleAnswerResult(chain, [chain], startedAtMs, { instruction: { id, text: instruction.text }, thinkingFollows, answerFollows, probe });
  },
});
