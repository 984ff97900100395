import { generateRecords, readAnswer, readerFor, totalsOf } from './records';
import { chainRequest } from './chains';
import { resolveBudgetTokens } from './budget';
import { verbalConfidence } from './confidence';
import { answerWeight, minTokenProbWeight } from './answer-probability';
import { ciscWeights, DEFAULT_CONFIDENCE_TEMPERATURE } from './cisc';
import { majorityVote } from './vote';
import { stopRule, type StopRuleId } from './stopping';
import { defineStrategy, SAMPLING_PARAMS } from './params';
import { samplingFor, type SamplingConfig } from './seeds';
import type { SampleRecord } from './types';

export interface SelfConsistencyConfig extends SamplingConfig {
  /** Most chains to sample. */
  k: number;
  /** Chains per `Generate` call (one batched call each). */
  batch: number;
  stop: StopRuleId;
  /** ESC window size. */
  window: number;
  /** Beta rule: stop when P(leader beats runner-up) reaches this; consensus rule: the leader's share of the vote weight (τ). */
  threshold: number;
  /** Consensus rule: samples before the first check. */
  warmup: number;
  /**
   * `answer-prob`: each vote weighted by the probability the model gave its answer tokens;
   * `min-prob`: by the probability of the chain's least likely sampled token (both need logprobs).
   */
  weighting: 'none' | 'verbal' | 'answer-prob' | 'min-prob';
  /** CISC's softmax temperature over a question's verbal confidences (on the 0–1 scale). */
  confidenceTemperature: number;
  /** 0 = unbudgeted chains; otherwise each chain is a budgeted chain (see budgeted-cot). */
  budget: number;
  medianChainTokens?: number;
}

export const selfConsistency = defineStrategy<SelfConsistencyConfig>({
  id: 'self-consistency',
  label: 'Self-consistency',
  description:
    'Samples k chains of thought and takes the majority answer — Wang et al. (ICLR 2023), "Self-Consistency Improves ' +
    'Chain of Thought Reasoning in Language Models". Optional early stopping: ESC windows (Li et al., ICLR 2024) or ' +
    'Adaptive-Consistency\'s Beta rule (Aggarwal et al., EMNLP 2023); optional verbal-confidence weighting (CISC, ' +
    'Taubenfeld et al., 2025: each chain\'s stated 0–100 confidence, softmax-normalised over the question\'s chains; the ' +
    'paper tunes the softmax temperature per model on held-out questions, here it is a setting with our default 0.1), ' +
    'or answer-probability weighting (each chain weighted by the probability the model gave its answer tokens), or ' +
    'min-prob weighting (by the probability of the chain\'s least likely sampled token); optional DeepConf consensus ' +
    'stop (Fu et al., 2025: after a warm-up, stop once the weighted leader holds τ of the weight); ' +
    'optional budgeted chains.',
  defaults: {
    k: 10,
    batch: 10,
    temperature: 0.8,
    seed: 0,
    stop: 'none',
    window: 5,
    threshold: 0.95,
    warmup: 3,
    weighting: 'none',
    confidenceTemperature: DEFAULT_CONFIDENCE_TEMPERATURE,
    budget: 0,
  },
  params: {
    k: { kind: 'int', min: 1, max: 256, label: 'Samples (k)' },
    batch: { kind: 'int', min: 1, max: 256, label: 'Batch size' },
    ...SAMPLING_PARAMS,
    stop: { kind: 'enum', values: ['none', 'esc', 'beta', 'consensus'], label: 'Early stopping' },
    window: { kind: 'int', min: 1, max: 256, label: 'ESC window' },
    threshold: {
      kind: 'number',
      min: 0.5,
      max: 1,
      minInclusive: false,
      label: 'Stop threshold',
      help: 'Beta: P(leader beats runner-up); consensus: the leader\'s share of the vote weight (τ)',
    },
    warmup: { kind: 'int', min: 1, max: 256, label: 'Consensus warm-up' },
    weighting: { kind: 'enum', values: ['none', 'verbal', 'answer-prob', 'min-prob'], label: 'Vote weighting' },
    confidenceTemperature: {
      kind: 'number',
      min: 0,
      minInclusive: false,
      label: 'CISC temperature',
      help: 'softmax temperature over the stated confidences (0–1 scale); large = plain vote, small = most confident chain',
    },
    budget: {
      kind: 'number',
      min: 0,
      label: 'Thinking budget',
      help: '0 = none; a fraction in (0, 1] of the median chain, or a token count',
    },
    medianChainTokens: { kind: 'number', min: 0, minInclusive: false, label: 'Median chain tokens' },
  },
  validate(config) {
    if (config.temperature === 0 && config.k > 1) return 'self-consistency needs temperature > 0: greedy chains are all the same';
    return null;
  },
  async run(problem, config, context) {
    const startedAtMs = performance.now();
    const reader = readerFor(problem);
    const rule = stopRule(config.stop, config);
    const budgetTokens =
      config.budget > 0 ? resolveBudgetTokens(config.budget, config.medianChainTokens ?? context.medianChainTokens) : undefined;

    const chains: SampleRecord[] = [];
    const samples: SampleRecord[] = [];
    const confidences: (number | null)[] = [];
    /** Per-chain weights read from logprobs (answer-prob, min-prob). */
    const chainWeights: number[] = [];
    const logprobWeight =
      config.weighting === 'answer-prob'
        ? answerWeight
        : config.weighting === 'min-prob'
          ? minTokenProbWeight
          : null;
    // CISC normalises within the question, so its weights are recomputed over the chains so far.
    const weightsSoFar = (): number[] =>
      config.weighting === 'verbal'
        ? ciscWeights(confidences, config.confidenceTemperature)
        : logprobWeight
          ? chainWeights
          : chains.map(() => 1);
    let calls = 0;
    let stoppedAt: number | null = null;
    while (chains.length < config.k && stoppedAt === null) {
      const n = rule.nextCallSize(chains.length, config.batch, config.k - chains.length);
      const records = await generateRecords(
        context,
        {
          ...chainRequest(problem, context, { n, sampling: samplingFor(config, problem.id, 'chain', calls), budgetTokens }),
          ...(logprobWeight ? { logprobs: { topK: 0 } } : {}),
        },
        'chain',
        (text) => readAnswer(context.format, text, reader),
      );
      calls += 1;
      // Samples stay in the order they were reported through onSample: a call's chains, then their confidences.
      chains.push(...records);
      samples.push(...records);
      for (const record of records) {
        if (config.weighting === 'verbal') {
          const stated = await verbalConfidence(problem, record, context);
          samples.push(stated.record);
          confidences.push(stated.confidence);
        } else if (logprobWeight) {
          chainWeights.push(logprobWeight(record));
        }
      }
      stoppedAt = rule.stopAt(
        chains.map((chain) => chain.answer?.value ?? null),
        weightsSoFar(),
      );
    }

    const weights = weightsSoFar();
    const outcome = majorityVote(chains.map((chain, i) => ({ answer: chain.answer?.value ?? null, weight: weights[i] })));
    return {
      answer: outcome.answer,
      samples,
      votes: outcome.votes,
      totals: totalsOf(samples, performance.now() - startedAtMs),
      details: {
        agreement: outcome.agreement,
        answered: outcome.answered,
        samplesUsed: chains.length,
        calls,
        stop: rule.id,
        stoppedAt,
        ...(budgetTokens !== undefined ? { budgetTokens } : {}),
        ...(config.weighting === 'verbal' ? { confidences, weights } : {}),
        ...(logprobWeight ? { weights } : {}),
      },
    };
  },
});
