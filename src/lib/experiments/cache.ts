/**
 * The generation cache: a request with the same model files (weights fingerprint), device, dtype, prompt, sampling parameters,
 * seed and n (and token limit, stops, thinking control — all of which change the output) is
 * answered from storage instead of the model. Cached samples are marked `cached: true` and keep
 * their original timings. The browser stores entries in IndexedDB (src/lib/db); Node uses
 * `MemoryGenerationCache`.
 */
import type { Generate, GenerateRequest, Sample, TokenLogprobs } from '../generate';

/**
 * What, besides the request itself, decides a generation's output. `weights` fingerprints the
 * model's files (src/lib/models/weights-fingerprint.ts; Node: their SHA-256), so a retrained model
 * under the same id misses the cache; the device is part of it because WebGPU and WASM kernels do
 * not round alike, so their greedy texts can differ.
 */
export interface GenerationIdentity {
  modelId: string;
  dtype: string;
  device: string;
  weights: string;
}

export interface GenerationCache {
  get(key: string): Promise<readonly Sample[] | undefined>;
  put(key: string, identity: GenerationIdentity, samples: readonly Sample[]): Promise<void>;
}

/** A sample as `cachedGenerate` returns it: `cached` is true when it came from the cache. */
export type MaybeCachedSample = Sample & { cached?: boolean };

export function isCachedSample(sample: Sample): boolean {
  return (sample as MaybeCachedSample).cached === true;
}

/** The cache identity of a loaded engine; null when its files could not be fingerprinted. */
export function generationIdentity(info: { modelId: string; dtype: string; device: string; weights?: string }): GenerationIdentity | null {
  if (info.weights === undefined) return null;
  return { modelId: info.modelId, dtype: info.dtype, device: info.device, weights: info.weights };
}

/** JSON with object keys sorted, so equal requests give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(inner).sort()) sorted[key] = (inner as Record<string, unknown>)[key];
    return sorted;
  });
}

/** The request's identity as canonical JSON (callbacks and the abort signal left out). */
export function generationKeyMaterial(identity: GenerationIdentity, request: GenerateRequest): string {
  return canonicalJson({
    modelId: identity.modelId,
    dtype: identity.dtype,
    device: identity.device,
    weights: identity.weights,
    prompt: request.prompt,
    n: request.n,
    maxNewTokens: request.maxNewTokens,
    sampling: request.sampling,
    stop: request.stop ?? [],
    thinking: request.thinking ?? null,
    // Samples with logprobs carry more than samples without: a request without them must not
    // be answered with, nor fill, an entry that a request with them expects.
    logprobs: request.logprobs ?? null,
    logitBias: request.logitBias ?? [],
  });
}

/** SHA-256 (hex) of the key material: short, fixed-length keys for IndexedDB and maps. */
export async function generationKey(identity: GenerationIdentity, request: GenerateRequest): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(generationKeyMaterial(identity, request)));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Whether a request's output is reproducible and may be cached: greedy requests always,
 * sampled ones only with a seed (without one, a rerun is meant to draw new samples). A request
 * with `stopWhen` never is: the hook is code, so no key can say which rows it would end.
 */
export function isCacheable(request: GenerateRequest): boolean {
  if (request.stopWhen) return false;
  return request.sampling.temperature <= 0 || request.sampling.seed !== undefined;
}

/**
 * Wraps a `Generate` with the cache. A hit streams no tokens and returns the stored samples
 * marked cached; a miss generates, stores (awaited, so a sample the caller sees is already
 * persisted) and returns fresh samples. Aborted generations are never stored. Without an
 * identity (the model's files unknown) it is `generate` itself.
 */
export function cachedGenerate(generate: Generate, cache: GenerationCache, identity: GenerationIdentity | null): Generate {
  // Files that could not be identified may have changed: nothing is served from, or stored in, the cache.
  if (identity === null) return generate;
  return async (request) => {
    if (!isCacheable(request)) return generate(request);
    const key = await generationKey(identity, request);
    const hit = await cache.get(key);
    request.signal?.throwIfAborted();
    if (hit !== undefined && hit.length === request.n) {
      return hit.map((sample): MaybeCachedSample => ({ ...sample, timings: { ...sample.timings }, cached: true }));
    }
    const samples = await generate(request);
    if (samples.every((sample) => sample.finishReason !== 'aborted')) await cache.put(key, identity, samples);
    return samples;
  };
}

/** An in-memory cache (Node CLI, tests); stores copies so later mutation of results cannot leak in. */
export class MemoryGenerationCache implements GenerationCache {
  readonly #entries = new Map<string, Sample[]>();

  async get(key: string): Promise<readonly Sample[] | undefined> {
    const samples = this.#entries.get(key);
    return samples?.map(copySample);
  }

  async put(key: string, _identity: GenerationIdentity, samples: readonly Sample[]): Promise<void> {
    this.#entries.set(key, samples.map(copySample));
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** Only the fields of `Sample` (callers may hand richer objects, e.g. with a cached mark). */
export function copySample(sample: Sample): Sample {
  return {
    text: sample.text,
    tokens: sample.tokens,
    thinkingTokens: sample.thinkingTokens,
    answerTokens: sample.answerTokens,
    finishReason: sample.finishReason,
    budgetCut: sample.budgetCut,
    ...(sample.thinkingExtension ? { thinkingExtension: { ...sample.thinkingExtension } } : {}),
    timings: { ...sample.timings },
    ...(sample.logprobs ? { logprobs: copyLogprobs(sample.logprobs) } : {}),
  };
}

export function copyLogprobs(logprobs: TokenLogprobs): TokenLogprobs {
  return {
    tokenTexts: [...logprobs.tokenTexts],
    tokenIds: logprobs.tokenIds.slice(),
    logprobs: logprobs.logprobs.slice(),
    sampledLogprobs: logprobs.sampledLogprobs.slice(),
    entropies: logprobs.entropies.slice(),
    topK: logprobs.topK,
    topIds: logprobs.topIds.slice(),
    topTexts: [...logprobs.topTexts],
    topLogprobs: logprobs.topLogprobs.slice(),
    ...(logprobs.selfCertainties ? { selfCertainties: logprobs.selfCertainties.slice() } : {}),
  };
}
