/**
 * What a server showed it can do when probed (probe.ts): recorded in the run manifest, shown
 * in the app, and used to refuse — with the reason — requests and strategies it cannot serve.
 */
import type { ReasoningField } from './wire';

export interface ServerCapabilities {
  /** The base URL probed (ends in /v1). */
  baseUrl: string;
  /** The model the probe used and runs will use. */
  model: string;
  /** Every model id `/v1/models` listed. */
  models: string[];
  /** One request with `n: 2` gave two choices; otherwise samples are fanned out as single requests. */
  honoursN: boolean;
  /** Chat `logprobs` with `top_logprobs`; `topLogprobsCap` is the most alternatives the server gave (0 when unsupported). */
  logprobs: boolean;
  topLogprobsCap: number;
  /** Two sampled requests with the same `seed` gave the same text. */
  seedReproducible: boolean;
  /** The server accepted `top_k` (vLLM, SGLang and llama.cpp do; OpenAI's own API does not). */
  topK: boolean;
  /** Raw text continuation through `/v1/completions`. */
  completions: boolean;
  /** `continue_final_message` with `add_generation_prompt: false` was accepted (vLLM, SGLang). */
  continueFinalMessage: boolean;
  /** The field separated reasoning came in, when the server has a reasoning parser on. */
  reasoningField: ReasoningField | null;
  /** The answer to a thinking-on chat showed think tags or a reasoning field: the model reasons in `<think>` blocks. */
  thinkTags: boolean;
  /** Epoch ms. */
  probedAt: number;
  /** What the probe saw that a user should know (each a sentence). */
  notes: string[];
}

export type Capability = 'completions' | 'continuation' | 'logprobs';

/** Why a capability is missing, or null when present. */
export function missingReason(capabilities: ServerCapabilities, capability: Capability): string | null {
  switch (capability) {
    case 'completions':
      return capabilities.completions ? null : 'the server has no /v1/completions endpoint for raw text prompts';
    case 'continuation':
      // A chat prompt can only be continued in chat form: the server's chat template is not ours to render.
      return capabilities.continueFinalMessage
        ? null
        : 'a thinking-budget cut continues the cut chain as the final assistant message, which needs continue_final_message (vLLM, SGLang, `thinkbench serve`)';
    case 'logprobs':
      return capabilities.logprobs ? null : 'the server returned no per-token logprobs';
  }
}

/** A manifest's `server` read back from an imported file; null when it is not a capabilities record. */
export function parseCapabilities(value: unknown): ServerCapabilities | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const strings = (x: unknown): x is string[] => Array.isArray(x) && x.every((item) => typeof item === 'string');
  const bool = (x: unknown): x is boolean => typeof x === 'boolean';
  const reasoningField = v.reasoningField === 'reasoning' || v.reasoningField === 'reasoning_content' ? v.reasoningField : null;
  if (
    typeof v.baseUrl !== 'string' || typeof v.model !== 'string' || !strings(v.models) || !bool(v.honoursN) || !bool(v.logprobs) ||
    typeof v.topLogprobsCap !== 'number' || !bool(v.seedReproducible) || !bool(v.topK) || !bool(v.completions) ||
    !bool(v.continueFinalMessage) || !bool(v.thinkTags) || typeof v.probedAt !== 'number' || !strings(v.notes)
  ) {
    return null;
  }
  return {
    baseUrl: v.baseUrl, model: v.model, models: v.models, honoursN: v.honoursN, logprobs: v.logprobs, topLogprobsCap: v.topLogprobsCap,
    seedReproducible: v.seedReproducible, topK: v.topK, completions: v.completions, continueFinalMessage: v.continueFinalMessage,
    reasoningField, thinkTags: v.thinkTags, probedAt: v.probedAt, notes: v.notes,
  };
}
