/**
 * Best-of-N by the model's own certainty: sample N chains and answer with the one the model was
 * most sure of, read from per-token logprobs (no verifier, no vote).
 * - `self-certainty`: highest mean KL(uniform ‖ p) per token — Kang, Zhao, Song (2025),
 *   "Scalable Best-of-N Selection for Large Language Models via Self-Certainty" (arXiv
 *   2502.18581). The paper's Borda voting over self-certainty ranks is `vote: 'borda'` (p = 0.5).
 * - `min-entropy`: lowest mean token entropy (the entropy-based selection baseline of the same
 *   line of work, e.g. Kang et al.'s and DeepConf's comparisons).
 */
import { chainRequest } from './chains';
import { defineStrategy, SAMPLING_PARAMS, type RegisteredStrategy } from './params';
import { generateRecords, readAnswer, readerFor, totalsOf } from './records';
import { samplingFor, type SamplingConfig } from './seeds';
import { meanEntropy, meanSelfCertainty, MissingLogprobsError } from './token-confidence';
import type { SampleRecord } from './types';
import type { TokenLogprobs } from '../generate';
import { majorityVote } from './vote';

export interface BestOfNConfig extends SamplingConfig {
  /** Chains to sample (one batched call each `batch`). */
  n: number;
  batch: number;
  /** `best`: the single highest-scoring chain; `borda`: votes weighted (N − rank + 1)^p, p = 0.5. */
  vote: 'best' | 'borda';
}

const DEFAULTS: BestOfNConfig = { n: 10, batch: 10, vote: 'best', temperature: 0.8, seed: 0 };

function bestOfN(id: string, label: string, description: string, score: (logprobs: TokenLogprobs) => number): RegisteredStrategy<BestOfNConfig> {
  return defineStrategy<BestOfNConfig>({
    id,
    label,
    description,
    defaults: DEFAULTS,
    params: {
      n: { kind: 'int', min: 1, max: 256, label: 'Samples (N)' },
      batch: { kind: 'int', min: 1, max: 256, label: 'Batch size' },
      vote: { kind: 'enum', values: ['best', 'borda'], label: 'Selection' },
      ...SAMPLING_PARAMS,
    },
    validate(config) {
      return config.temperature === 0 && config.n > 1 ? `${id} needs temperature > 0: greedy chains are all the same` : null;
    },
    async run(problem, config, context) {
      const startedAtMs = performance.now();
      const reader = readerFor(problem);
      const samples: SampleRecord[] = [];
      for (let call = 0; samples.length < config.n; call++) {
        const n = Math.min(config.batch, config.n - samples.length);
        const request = {
          ...chainRequest(problem, context, { n, sampling: samplingFor(config, problem.id, 'chain', call) }),
          logprobs: { topK: 0 },
        };
        samples.push(...(await generateRecords(context, request, 'chain', (text) => readAnswer(context.format, text, reader))));
      }
      const scores = samples.map((sample) => {
        if (!sample.logprobs) throw new MissingLogprobsError(`${id} needs per-token logprobs; this backend returned none`);
        return score(sample.logprobs);
      });
      const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
      const weights = new Array<number>(samples.length).fill(0);
      // Borda (Kang et al., eq. 6): the chain ranked r (1 = best) casts (N - r + 1)^p, p = 0.5.
      order.forEach((index, rank) => (weights[index] = config.vote === 'borda' ? Math.sqrt(samples.length - rank) : 0));
      const best = order[0];
      const outcome =
        config.vote === 'borda'
          ? majorityVote(samples.map((sample, i) => ({ answer: sample.answer?.value ?? null, weight: weights[i] })))
          : majorityVote([{ answer: samples[best].answer?.value ?? null }]);
      return {
        answer: outcome.answer,
        samples,
        votes: outcome.votes,
        totals: totalsOf(samples, performance.now() - startedAtMs),
        details: { scores, chosen: best },
      };
    },
  });
}

export const selfCertainty = bestOfN(
  'self-certainty',
  'Self-certainty best-of-N',
  'Samples N chains and keeps the one with the highest self-certainty (mean KL from uniform to the token ' +
    'distribution) — Kang et al. (2025), "Scalable Best-of-N Selection for Large Language Models via Self-Certainty".',
  meanSelfCertainty,
);

export const minEntropy = bestOfN(
  'min-entropy',
  'Min-entropy best-of-N',
  'Samples N chains and keeps the one whose tokens had the lowest mean entropy (the entropy baseline in Kang et ' +
    'al. 2025 and Fu et al. 2025).',
  (logprobs) => -meanEntropy(logprobs),
);
