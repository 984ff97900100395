/**
 * DeepConf — Fu, Wang, Tian, Zhao (2025), "Deep Think with Confidence" (arXiv 2508.15260),
 * following the reference code (facebookresearch/deepconf: `compute_confidence`,
 * `compute_least_grouped`, `ConfPerReqLogitsProcessor`, `_perform_basic_voting`).
 *
 * Token confidence = minus the mean log-probability of the top-20 tokens; group confidence = the
 * mean over a sliding window of tokens; a trace's confidence = its lowest group confidence.
 * - offline: sample k traces, keep the top η% by confidence, confidence-weighted vote.
 * - online: warm-up traces set the threshold s = the (100 − η)th percentile of their
 *   confidences; every later trace is ended as soon as a full window's mean falls below s (it
 *   does not vote); sampling stops once the weighted vote's leader holds τ of the weight.
 *   Voters: warm-up traces at or above s and later traces that were not ended, weighted by
 *   their lowest group confidence.
 */
import type { GenerateRequest, RowProgress } from '../generate';
import { chainRequest } from './chains';
import { defineStrategy, SAMPLING_PARAMS } from './params';
import { generateRecords, readAnswer, readerFor, totalsOf } from './records';
import { samplingFor, type SamplingConfig } from './seeds';
import { lowestGroupConfidence, MissingLogprobsError, percentile } from './token-confidence';
import type { Problem, SampleRecord, StrategyContext } from './types';
import { majorityVote } from './vote';

export interface DeepConfConfig extends SamplingConfig {
  /** Most traces in all (the paper's budget; 512 there). */
  k: number;
  mode: 'online' | 'offline';
  /** Warm-up traces that set the online threshold (the paper's N_init; 16 there). */
  warmup: number;
  /** Keep the top η% traces by confidence: 10 = DeepConf-low, 90 = DeepConf-high. */
  eta: number;
  /** Tokens per confidence group (2048 in the paper, for traces of 10k+ tokens). */
  window: number;
  /** Alternatives per token that token confidence averages over (20 in the paper). */
  confTopK: number;
  /**
   * `top-k`: the paper's token confidence. `chosen`: the sampled token's own log-probability
   * instead (not in the paper): on the embedded model a wrong chain is one that sampled an
   * unlikely digit, which the top-k spread does not see (bench/confidence-signal.ts).
   */
  tokenConfidence: 'top-k' | 'chosen';
  /** Online: stop sampling once the leader holds this share of the vote weight (τ; 0.95). */
  consensus: number;
  /** Online: traces per call after warm-up (1 = the paper's trace-by-trace check). */
  batch: number;
}

/** One trace with what DeepConf read from it. */
interface Trace {
  record: SampleRecord;
  confidence: number;
  /** The vote weight: the confidence itself (top-k, positive), or exp of it for `chosen` (a logprob, ≤ 0). */
  weight: number;
  votes: boolean;
}

export const deepconf = defineStrategy<DeepConfConfig>({
  id: 'deepconf',
  label: 'DeepConf',
  description:
    'Confidence-filtered voting with early termination of low-confidence traces — Fu et al. (2025), "Deep Think ' +
    'with Confidence". Offline: keep the top η% traces by lowest-group confidence and vote weighted by it. Online: ' +
    'warm-up traces set a threshold; later traces stop when a window\'s confidence drops below it; sampling stops ' +
    'once the weighted vote is settled (τ).',
  defaults: {
    k: 10,
    mode: 'online',
    warmup: 3,
    eta: 90,
    window: 8,
    confTopK: 20,
    tokenConfidence: 'top-k',
    consensus: 0.95,
    batch: 1,
    temperature: 0.8,
    seed: 0,
  },
  params: {
    k: { kind: 'int', min: 1, max: 512, label: 'Traces (k)' },
    mode: { kind: 'enum', values: ['online', 'offline'], label: 'Mode' },
    warmup: { kind: 'int', min: 1, max: 512, label: 'Warm-up traces' },
    eta: { kind: 'number', min: 0, max: 100, minInclusive: false, label: 'Keep top η%', help: '10 = DeepConf-low, 90 = DeepConf-high' },
    window: { kind: 'int', min: 1, max: 65536, label: 'Group window (tokens)' },
    confTopK: { kind: 'int', min: 1, max: 20, label: 'Confidence top-k' },
    tokenConfidence: { kind: 'enum', values: ['top-k', 'chosen'], label: 'Token confidence', help: 'top-k is the paper\'s' },
    consensus: { kind: 'number', min: 0.5, max: 1, label: 'Consensus τ' },
    batch: { kind: 'int', min: 1, max: 256, label: 'Traces per call' },
    ...SAMPLING_PARAMS,
  },
  validate(config) {
    if (config.temperature === 0 && config.k > 1) return 'deepconf needs temperature > 0: greedy traces are all the same';
    if (config.mode === 'online' && config.warmup > config.k) return 'deepconf: warmup must be <= k';
    return null;
  },
  async run(problem, config, context) {
    const startedAtMs = performance.now();
    const traces =
      config.mode === 'offline' ? await offline(problem, config, context) : await online(problem, config, context);
    const voters = traces.filter((trace) => trace.votes);
    const outcome = majorityVote(voters.map((trace) => ({ answer: trace.record.answer?.value ?? null, weight: trace.weight })));
    const samples = traces.map((trace) => trace.record);
    return {
      answer: outcome.answer,
      samples,
      votes: outcome.votes,
      totals: totalsOf(samples, performance.now() - startedAtMs),
      details: {
        mode: config.mode,
        agreement: outcome.agreement,
        tracesGenerated: traces.length,
        voters: voters.length,
        terminated: samples.filter((sample) => sample.finishReason === 'terminated').length,
        confidences: traces.map((trace) => trace.confidence),
        ...(traces.threshold !== undefined ? { threshold: traces.threshold } : {}),
      },
    };
  },
});

type Traces = Trace[] & { threshold?: number };

async function sampleTraces(
  problem: Problem,
  config: DeepConfConfig,
  context: StrategyContext,
  n: number,
  call: number,
  stopWhen?: GenerateRequest['stopWhen'],
): Promise<Trace[]> {
  const reader = readerFor(problem);
  const request = {
    ...chainRequest(problem, context, { n, sampling: samplingFor(config, problem.id, 'chain', call) }),
    logprobs: { topK: config.tokenConfidence === 'chosen' ? 0 : config.confTopK },
    ...(stopWhen ? { stopWhen } : {}),
  };
  const records = await generateRecords(context, request, 'chain', (text) => readAnswer(context.format, text, reader));
  return records.map((record) => {
    if (!record.logprobs) throw new MissingLogprobsError('deepconf needs per-token logprobs; this backend returned none');
    const confidence = lowestGroupConfidence(record.logprobs, config.window);
    // Votes need positive weights; a chosen-token confidence is a log-probability.
    return { record, confidence, weight: config.tokenConfidence === 'chosen' ? Math.exp(confidence) : confidence, votes: true };
  });
}

async function offline(problem: Problem, config: DeepConfConfig, context: StrategyContext): Promise<Traces> {
  const traces: Traces = [];
  for (let call = 0; traces.length < config.k; call++) {
    traces.push(...(await sampleTraces(problem, config, context, Math.min(config.batch, config.k - traces.length), call)));
  }
  const threshold = percentile(
    traces.map((trace) => trace.confidence),
    100 - config.eta,
  );
  for (const trace of traces) trace.votes = trace.confidence >= threshold;
  traces.threshold = threshold;
  return traces;
}

async function online(problem: Problem, config: DeepConfConfig, context: StrategyContext): Promise<Traces> {
  const traces: Traces = await sampleTraces(problem, config, context, config.warmup, 0);
  const threshold = percentile(
    traces.map((trace) => trace.confidence),
    100 - config.eta,
  );
  traces.threshold = threshold;
  for (const trace of traces) trace.votes = trace.confidence >= threshold;
  for (let call = 1; traces.length < config.k && !settled(traces, config.consensus); call++) {
    const n = Math.min(config.batch, config.k - traces.length);
    const later = await sampleTraces(problem, config, context, n, call, windowBelow(threshold, config.window));
    for (const trace of later) trace.votes = trace.record.finishReason !== 'terminated';
    traces.push(...later);
  }
  return traces;
}

/** Whether the weighted vote's leader already holds `consensus` of the weight (the paper's β ≥ τ). */
export function settled(traces: readonly Trace[], consensus: number): boolean {
  const outcome = majorityVote(
    traces.filter((trace) => trace.votes).map((trace) => ({ answer: trace.record.answer?.value ?? null, weight: trace.weight })),
  );
  return outcome.answered > 0 && outcome.agreement >= consensus;
}

/**
 * The online stop rule for one call's rows: end a row once the mean confidence of its latest
 * `window` tokens is below the threshold (as `ConfPerReqLogitsProcessor`, which forces EOS then).
 * Running sums per row keep each check O(1).
 */
export function windowBelow(threshold: number, window: number): (row: number, progress: RowProgress) => boolean {
  const sums = new Map<number, number>();
  return (row, { confidences }) => {
    const count = confidences.length;
    if (count === 0) return false;
    let sum = (sums.get(row) ?? 0) + confidences[count - 1];
    if (count > window) sum -= confidences[count - 1 - window];
    sums.set(row, sum);
    return count >= window && sum / window < threshold;
  };
}
