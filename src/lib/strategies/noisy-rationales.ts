/**
 * Noisy rationales (Zhou et al., 2024, "Can Language Models Perform Robust Reasoning in
 * Chain-of-thought Prompting with Noisy Rationales?", NeurIPS 2024 — NoRa and CD-CoT):
 * - `noisy-cot`: few-shot chain of thought whose exemplars carry irrelevant or inaccurate
 *   thoughts at a set ratio (datasets/noisy-rationales.ts); `noise=none` is the clean baseline,
 *   so the drop from noise is two rows of one run;
 * - `cd-cot`: Contrastive Denoising with noisy CoT — each noisy exemplar is rephrased N times
 *   against one clean exemplar (the paper's contrastive prompt), rephrasings that keep the
 *   exemplar's answer are selected, M exemplar sets are composed from them (the clean exemplar
 *   first), C chains are reasoned per set, and the M·C answers are voted.
 */
import { exemplarText, noisyExemplars, cleanExemplars, type NoiseDistribution, type NoiseKind, type RationaleExemplar } from '../datasets/noisy-rationales';
import type { ChatMessage } from '../generate';
import { extractAnswer } from '../answers/extract';
import { chainRequest, turn } from './chains';
import { defineStrategy, SAMPLING_PARAMS } from './params';
import { answersMatch, type ProbeMeasure } from './probe-common';
import { generateRecords, readAnswer, readerFor, singleAnswerResult, totalsOf, type AnswerReader } from './records';
import { deriveSeed, samplingFor, type SamplingConfig } from './seeds';
import { majorityVote } from './vote';
import type { SampleRecord, StrategyResult } from './types';

export interface NoisyCotConfig extends SamplingConfig {
  shots: number;
  noise: NoiseKind;
  /** Noisy thoughts per clean thought (NoRa: 0.3 easy, 0.5 medium, 0.8 hard). */
  ratio: number;
  distribution: NoiseDistribution;
}

export interface CdCotConfig extends NoisyCotConfig {
  /** N: rephrasings sampled per noisy exemplar. */
  rephrasings: number;
  /** M: exemplar sets composed from the selected rephrasings. */
  sets: number;
  /** C: chains reasoned per set; the answer is the vote of all M·C. */
  chainsPerSet: number;
}

const NOISE_PARAMS = {
  shots: { kind: 'int', min: 1, max: 8, label: 'Exemplars' },
  noise: { kind: 'enum', values: ['none', 'irrelevant', 'inaccurate'], label: 'Noise in exemplars' },
  ratio: { kind: 'number', min: 0, max: 1, label: 'Noise ratio', help: 'noisy thoughts per clean thought' },
  distribution: {
    kind: 'enum',
    values: ['fixed', 'random'],
    label: 'Noise spread',
    help: 'fixed: round(ratio · thoughts) noisy thoughts per exemplar; random: each thought followed by one with chance ratio',
  },
} as const;

/**
 * A question's exemplars: drawn for each question from the seed and the question's id, as NoRa
 * draws each test case's demonstrations — so a run's accuracy is not one exemplar draw's luck.
 */
function exemplarsFor(config: NoisyCotConfig, problemId: string): RationaleExemplar[] {
  const seed = deriveSeed(config.seed, 'nora-exemplars', problemId);
  return noisyExemplars({ shots: config.shots, seed, noise: config.noise, ratio: config.ratio, distribution: config.distribution });
}

function exemplarTurns(exemplars: readonly RationaleExemplar[]): ChatMessage[] {
  return exemplars.flatMap((exemplar) => [turn('user', exemplar.question), turn('assistant', exemplarText(exemplar))]);
}

export const noisyCot = defineStrategy<NoisyCotConfig>({
  id: 'noisy-cot',
  label: 'Few-shot CoT, noisy rationales',
  description:
    'Few-shot chain of thought whose exemplars carry irrelevant or inaccurate thoughts at a set ratio (noise=none: clean) — ' +
    'Zhou et al. (2024), "Can Language Models Perform Robust Reasoning in Chain-of-thought Prompting with Noisy Rationales?" (NoRa).',
  defaults: { shots: 3, noise: 'irrelevant', ratio: 0.5, distribution: 'fixed', temperature: 0, seed: 0 },
  params: { ...NOISE_PARAMS, ...SAMPLING_PARAMS },
  async run(problem, config, context) {
    const startedAtMs = performance.now();
    const reader = readerFor(problem);
    const exemplars = exemplarsFor(config, problem.id);
    const [chain] = await generateRecords(
      context,
      chainRequest(problem, context, { n: 1, sampling: samplingFor(config, problem.id, 'chain', 0), fewShot: exemplarTurns(exemplars) }),
      'chain',
      (text) => readAnswer(context.format, text, reader),
    );
    return singleAnswerResult(chain, [chain], startedAtMs, { exemplars });
  },
});

/** The contrastive rephrasing prompt of CD-CoT (the authors' wording). */
export function contrastivePrompt(clean: RationaleExemplar, noisy: RationaleExemplar): string {
  return (
    'The following are two examples for the same type of task: the first example has correct explanation and correct answer, ' +
    'and the second example has distracted explanation and correct answer. Please follow the first example and give me the ' +
    'correct explanation and answer for the second example, which should be logically consistent with the first one.\n' +
    `First Example:\nQuestion: ${clean.question}\nExplanation: ${exemplarText(clean)}\n` +
    `Second Example:\nQuestion: ${noisy.question}\nExplanation: ${exemplarText(noisy)}\n` +
    'You must respond in the format of "correct version is: {the correct explanation and answer}". Don\'t offer anything else.'
  );
}

/** The rephrased rationale in a reply: what follows "correct version is:", or null. */
export function parseRephrasing(reply: string): string | null {
  const match = /correct version[^:]*:([\s\S]*)/i.exec(reply);
  const body = match?.[1].trim();
  return body ? body : null;
}

export const cdCot = defineStrategy<CdCotConfig>({
  id: 'cd-cot',
  label: 'CD-CoT (contrastive denoising)',
  description:
    'Rephrases noisy exemplars against one clean exemplar, keeps rephrasings with the exemplar\'s answer, composes several ' +
    'exemplar sets, reasons several chains with each and votes — Zhou et al. (2024), "Can Language Models Perform Robust ' +
    'Reasoning in Chain-of-thought Prompting with Noisy Rationales?" (CD-CoT).',
  defaults: { shots: 3, noise: 'irrelevant', ratio: 0.5, distribution: 'fixed', rephrasings: 3, sets: 2, chainsPerSet: 3, temperature: 0.8, seed: 0 },
  params: {
    ...NOISE_PARAMS,
    rephrasings: { kind: 'int', min: 1, max: 16, label: 'Rephrasings per exemplar (N)' },
    sets: { kind: 'int', min: 1, max: 8, label: 'Exemplar sets (M)' },
    chainsPerSet: { kind: 'int', min: 1, max: 16, label: 'Chains per set (C)' },
    ...SAMPLING_PARAMS,
  },
  async run(problem, config, context): Promise<StrategyResult> {
    const startedAtMs = performance.now();
    const reader = readerFor(problem);
    const noisy = exemplarsFor(config, problem.id);
    const [clean] = cleanExemplars(1, deriveSeed(config.seed, 'nora-clean', problem.id)).exemplars;
    const samples: SampleRecord[] = [];
    // Rephrase and select, per noisy exemplar.
    const selected: string[][] = [];
    let kept = 0;
    for (const [i, exemplar] of noisy.entries()) {
      const rephrased = await generateRecords(
        context,
        {
          prompt: { kind: 'chat', messages: [turn('user', contrastivePrompt(clean, exemplar))], enableThinking: false },
          n: config.rephrasings,
          maxNewTokens: context.maxNewTokens,
          sampling: samplingFor({ ...config, temperature: Math.max(config.temperature, 0.01) }, problem.id, `rephrase${i}`, 0),
        },
        'rephrase',
        (text) => extractAnswer(text, exemplarReader(exemplar)),
      );
      samples.push(...rephrased);
      const consistent = rephrased.flatMap((record) => {
        const body = parseRephrasing(record.text);
        const answer = body === null ? null : (extractAnswer(body, exemplarReader(exemplar))?.value ?? null);
        return body !== null && answersMatch(answer, exemplar.answer, exemplarReader(exemplar)) ? [body] : [];
      });
      kept += consistent.length;
      // None kept: the noisy exemplar stays (the authors' fallback).
      selected.push(consistent.length > 0 ? consistent : [exemplarText(exemplar)]);
    }
    // Compose M sets and reason C chains with each.
    const ballots: { answer: string | null }[] = [];
    for (let m = 0; m < config.sets; m++) {
      const fewShot = [
        turn('user', clean.question),
        turn('assistant', exemplarText(clean)),
        ...noisy.flatMap((exemplar, j) => {
          const options = selected[j];
          return [turn('user', exemplar.question), turn('assistant', options[deriveSeed(config.seed, problem.id, 'compose', m, j) % options.length])];
        }),
      ];
      const chains = await generateRecords(
        context,
        chainRequest(problem, context, { n: config.chainsPerSet, sampling: samplingFor(config, problem.id, `set${m}`, 0), fewShot }),
        'chain',
        (text) => readAnswer(context.format, text, reader),
      );
      samples.push(...chains);
      ballots.push(...chains.map((chain) => ({ answer: chain.answer?.value ?? null })));
    }
    const outcome = majorityVote(ballots);
    const probe: ProbeMeasure[] = [{ metric: 'rephrasings kept per exemplar', kind: 'mean', value: kept / Math.max(1, noisy.length) }];
    return {
      answer: outcome.answer,
      samples,
      votes: outcome.votes,
      totals: totalsOf(samples, performance.now() - startedAtMs),
      details: { agreement: outcome.agreement, kept, probe },
    };
  },
});

/** How a rephrased exemplar's answer is read: a number, never one echoed from its own question. */
function exemplarReader(exemplar: RationaleExemplar): AnswerReader {
  return { kind: 'number', choiceCount: 5, question: exemplar.question };
}
