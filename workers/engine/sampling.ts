import { LogitsProcessor, LogitsProcessorList, random } from '@huggingface/transformers';
import type { SamplingParams } from '../../src/lib/generate';
import { TemperatureWarper, TopKWarper, TopPWarper } from './warpers';

/** The `generate` options for one request's sampling. All set explicitly, so a model's own
 * generation_config.json (which often switches sampling on, top_k 50) cannot change them. */
export interface SamplingOptions {
  do_sample: boolean;
  temperature: number;
  top_k: number;
  top_p: number;
  repetition_penalty: number;
  logits_processor: LogitsProcessorList;
}

/**
 * Processors placed around the warpers: `before` sees the model's own logits (the library is
 * given temperature 1 and ours is applied in the list, because the library's own temperature
 * warper would run before every custom processor), `after` sees what the sampler draws from.
 */
export interface AroundWarpers {
  before?: readonly LogitsProcessor[];
  after?: readonly LogitsProcessor[];
}

export function samplingOptions(sampling: SamplingParams, around: AroundWarpers = {}): SamplingOptions {
  const { temperature, topK, topP } = sampling;
  if (!(temperature >= 0)) throw new RangeError(`temperature must be >= 0, got ${temperature}`);
  const processors = new LogitsProcessorList();
  const greedy = temperature === 0;
  for (const processor of around.before ?? []) processors.push(processor);
  if (!greedy && temperature !== 1) processors.push(new TemperatureWarper(temperature));
  if (!greedy && topK !== undefined && topK > 0) processors.push(new TopKWarper(topK));
  if (!greedy && topP !== undefined && topP < 1) processors.push(new TopPWarper(topP));
  for (const processor of around.after ?? []) processors.push(processor);
  return {
    do_sample: !greedy,
    temperature: 1,
    // The sampler's own top-k runs after our warpers; the same k keeps its sort short and changes nothing.
    top_k: !greedy && topK !== undefined && topK > 0 ? topK : 0,
    top_p: 1,
    repetition_penalty: 1,
    logits_processor: processors,
  };
}

/**
 * Seeds the library's global sampler RNG (MT19937). Without a seed it is reseeded from entropy,
 * so an unseeded request never replays a seeded one's draws. The RNG is process-global: the
 * engine runs one request at a time, so a request's draws are its own.
 */
export function seedSampler(seed: number | undefined): void {
  random.seed(seed);
}

/** A uniform number in [0, 1) from the same seeded RNG the sampler draws from (would-end.ts decides with it). */
export function drawUniform(): number {
  return random.random();
}
