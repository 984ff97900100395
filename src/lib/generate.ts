/**
 * The `Generate` capability: the one thing strategies may ask of an inference engine.
 *
 * Strategies (src/lib/strategies) depend on these types only; the engine (workers/engine)
 * implements them over Transformers.js, tests implement them with scripted fakes. Everything
 * here is plain data except `signal` and `onToken`, so a request can cross to the worker once
 * those two are stripped.
 */

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

/**
 * What to generate from.
 * - `chat`: messages rendered with the model's own chat template (with the generation prompt).
 *   `enableThinking` is passed to templates that take it (Qwen3 style); default true.
 * - `raw`: text that is already templated, fed as is (e.g. a chain cut short plus a forced
 *   answer cue, for the early-answering probe).
 *
 * `assistantPrefix` is text the assistant has already "said" in its reply: it goes right after
 * the template's generation prompt, and generation continues from it (the faithfulness probes
 * hand the model a chain cut after step j, corrupted or paraphrased, and let it go on). The
 * sample's text is the continuation only.
 */
export type Prompt =
  | { kind: 'chat'; messages: readonly ChatMessage[]; enableThinking?: boolean; assistantPrefix?: string }
  | { kind: 'raw'; text: string };

export interface SamplingParams {
  /** 0 means greedy decoding. */
  temperature: number;
  topK?: number;
  topP?: number;
  /** Seeds the sampler; the same seed, prompt and n give the same samples run to run. */
  seed?: number;
}

/**
 * Where thinking ends in the generated text, and what to do when it runs past a budget.
 * Tokens up to and including `endMarker` count as thinking, the rest as answer.
 */
export interface ThinkingControl {
  /** `</think>` for think-tag models, the answer cue (e.g. `Answer:`) for prompted ones. */
  endMarker: string;
  /**
   * Cut thinking after this many generated tokens (when `endMarker` has not appeared yet),
   * append `forcedText`, and continue the answer from the KV cache.
   */
  budgetTokens?: number;
  /** Appended at a budget cut, e.g. `\n</think>\n\n` or `\nAnswer:`. */
  forcedText?: string;
  /**
   * Budget 0 on a think-tag model: no thinking has been generated, so the opening tag is not in
   * the text yet and `forcedText` alone would close a block that was never opened. Unless the
   * rendered prompt already ends in `open`, the engine puts `text` (a whole empty block,
   * `<think>\n\n</think>\n\n` as Qwen3's template writes for enable_thinking=false) after it instead.
   */
  emptyThinking?: { open: string; text: string };
  /**
   * Think longer — s1's budget forcing (Muennighoff et al. 2025): up to `times` times per row,
   * when the row is about to end its thinking (its next token would be `endMarker`, or EOS while
   * still thinking), `text` (s1: "Wait") is put in that token's place and the row thinks on. The
   * end token is never fed to the model. Needs an `endMarker` that is one token of the model's
   * vocabulary (`</think>` on think-tag models). Combines with `budgetTokens` (s1's maximum):
   * forced text counts as no token, so the budget still caps each row's generated thinking.
   */
  extend?: ThinkingExtension;
}

export interface ThinkingExtension {
  /** At most this many extensions per row (s1's number of ignored end-of-thinking delimiters). */
  times: number;
  text: string;
}

export interface TokenEvent {
  /** The decoded text this token added (may be empty for a partial multi-byte character). */
  text: string;
  /** Which phase the token belongs to. `forced` marks text the engine appended at a cut. */
  phase: 'thinking' | 'answer' | 'forced';
  /** Milliseconds since the request started. */
  atMs: number;
}

/**
 * Per-token log-probabilities asked of the engine (issue 13). `topK` (0–20) alternatives are
 * kept per token besides the chosen one.
 */
export interface LogprobsRequest {
  topK: number;
}

/**
 * Per generated token of one sample, in order (forced text carries none), stored compactly:
 * typed arrays rather than an object per token, so a sample of thousands of tokens stays cheap
 * to clone to and from the worker and to store in IndexedDB.
 *
 * Natural logs throughout. `logprobs[i]` is the chosen token's log-probability under the
 * model's own distribution (softmax of the raw logits: before temperature, top-k and top-p);
 * `sampledLogprobs[i]` is the same token's log-probability under the distribution it was
 * actually drawn from (after those warpers; 0 for greedy decoding). `entropies[i]` is the
 * entropy (nats) of the model's own distribution at that step.
 */
export interface TokenLogprobs {
  /** The text each generated token decodes to on its own (may be a partial character). */
  tokenTexts: string[];
  tokenIds: Int32Array;
  logprobs: Float32Array;
  sampledLogprobs: Float32Array;
  entropies: Float32Array;
  /** K alternatives per token, row-major: entries [i*topK, (i+1)*topK) belong to token i. */
  topK: number;
  topIds: Int32Array;
  topTexts: string[];
  topLogprobs: Float32Array;
  /**
   * Per token, KL(uniform ‖ model distribution) = -log V - mean over the vocabulary of log p:
   * the token "self-certainty" of Kang et al. (2025). Needs the whole vocabulary, so only an
   * engine that holds the logits (ours) sets it; remote backends leave it out.
   */
  selfCertainties?: Float32Array;
}

/**
 * What `stopWhen` sees of a row after each of its generated tokens.
 * `confidences[i]` is token i's confidence as DeepConf defines it (Fu et al. 2025): minus the
 * mean log-probability of the top-K tokens at that step (K = `logprobs.topK`); with K = 0 it is
 * the chosen token's own log-probability. Higher is more confident either way. Empty unless the
 * request asked for `logprobs`.
 * The array is a view the engine reuses: read it during the call, copy it to keep it.
 */
export interface RowProgress {
  /** Generated tokens so far, forced text excluded. */
  tokens: number;
  confidences: Float32Array;
}

/**
 * Adds `bias` to the logit of the token `text` encodes to (-Infinity bans it), at every step.
 * Only a text that is exactly one token of the model's vocabulary is biased; others are ignored
 * (biasing a longer text's first piece would hit unrelated words sharing it).
 */
export interface LogitBias {
  text: string;
  bias: number;
}

export interface GenerateRequest {
  prompt: Prompt;
  /** Samples, run as one batch (the prompt repeated n times, left padded). */
  n: number;
  maxNewTokens: number;
  sampling: SamplingParams;
  /** Each row stops at its first occurrence of any of these strings (the string is kept out of the text). */
  stop?: readonly string[];
  thinking?: ThinkingControl;
  /** Ask for per-token log-probabilities; `Sample.logprobs` is then set. */
  logprobs?: LogprobsRequest;
  /**
   * Checked after every generated token of every unfinished row; returning true ends that row
   * there (`finishReason: 'terminated'`, its tokens so far kept and counted) and the engine
   * stops computing anything for it. Must be fast and synchronous: it runs inside the decode loop.
   */
  stopWhen?: (row: number, progress: RowProgress) => boolean;
  /** Token biases applied after the raw logits are read (so logprobs stay the model's own). */
  logitBias?: readonly LogitBias[];
  signal?: AbortSignal;
  onToken?: (row: number, token: TokenEvent) => void;
}

/** `terminated`: the request's `stopWhen` ended the row. */
export type FinishReason = 'eos' | 'stop' | 'length' | 'aborted' | 'terminated';

export interface SampleTimings {
  promptTokens: number;
  /** Request start to the first generated token; includes prefill. */
  ttftMs: number;
  prefillMs: number;
  /** First token to last token. */
  decodeMs: number;
  /** (generated tokens - 1) / decode seconds; 0 when fewer than two tokens. */
  decodeTokensPerS: number;
  totalMs: number;
}

export interface Sample {
  /** Everything generated for this row, forced text included, stop string and EOS excluded. */
  text: string;
  /** Generated tokens, forced text excluded. */
  tokens: number;
  thinkingTokens: number;
  answerTokens: number;
  finishReason: FinishReason;
  /** True when the thinking budget cut this row's chain and an answer was forced. */
  budgetCut: boolean;
  /** Present when the request asked to extend thinking (`thinking.extend`) and the row started thinking. */
  thinkingExtension?: ThinkingExtensionOutcome;
  timings: SampleTimings;
  /** Present when the request asked for `logprobs`. */
  logprobs?: TokenLogprobs;
}

/** What `thinking.extend` did to one row. */
export interface ThinkingExtensionOutcome {
  /** Extensions that happened (≤ the requested times): attempts to end the thinking that were overridden. */
  times: number;
  /**
   * Thinking tokens beyond what the row would have had, had its first attempt to end been let
   * through (its thinking tokens then, plus the one ending token). The forced text counts as no
   * token. Under greedy decoding this is exactly the difference to the same request without the
   * extension, since the two are identical up to that attempt.
   */
  addedTokens: number;
}

export type Generate = (request: GenerateRequest) => Promise<Sample[]>;
