import type { GenerateRequest, Sample } from '../generate';
import type { ThinkbenchDb } from './open';
import type { GenerationRecord } from './records';
import { writeAtomically } from './write';

/** What, besides the request itself, decides a generation's output. */
export interface GenerationIdentity {
  modelId: string;
  dtype: string;
}

/**
 * The cache key: a SHA-256 over the canonical JSON of everything that decides the samples —
 * model, dtype, prompt, n, token limit, sampling (seed included), stops and thinking control.
 * Callbacks and the abort signal are left out; so is the device, which changes timings, not text.
 */
export async function generationKey(identity: GenerationIdentity, request: GenerateRequest): Promise<string> {
  const material = canonicalJson({
    modelId: identity.modelId,
    dtype: identity.dtype,
    prompt: request.prompt,
    n: request.n,
    maxNewTokens: request.maxNewTokens,
    sampling: request.sampling,
    stop: request.stop ?? [],
    thinking: request.thinking ?? null,
  });
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(material));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
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

/** The generation cache over the `generations` store. */
export class IdbGenerationCache {
  constructor(private readonly db: ThinkbenchDb) {}

  async get(key: string): Promise<Sample[] | undefined> {
    return (await this.db.get('generations', key))?.samples;
  }

  /** Stores a request's samples; the record commits on its own, before the strategy goes on. */
  async put(key: string, identity: GenerationIdentity, samples: readonly Sample[]): Promise<void> {
    const record: GenerationRecord = {
      key,
      modelId: identity.modelId,
      dtype: identity.dtype,
      samples: samples.map(plainSample),
      createdAt: Date.now(),
    };
    await writeAtomically(this.db, ['generations'], 'generation cache entry', async (tx) => {
      await tx.objectStore('generations').put(record);
    });
  }

  async count(): Promise<number> {
    return this.db.count('generations');
  }

  async clear(): Promise<void> {
    await this.db.clear('generations');
  }
}

/** Only the fields of `Sample`: callers may hand richer objects (a `SampleRecord`, a cached mark). */
function plainSample(sample: Sample): Sample {
  return {
    text: sample.text,
    tokens: sample.tokens,
    thinkingTokens: sample.thinkingTokens,
    answerTokens: sample.answerTokens,
    finishReason: sample.finishReason,
    budgetCut: sample.budgetCut,
    timings: { ...sample.timings },
  };
}
