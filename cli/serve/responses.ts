/**
 * Engine samples → OpenAI-compatible response bodies and stream chunks (vLLM's shapes: chat
 * `logprobs.content[]` with `top_logprobs`, completions' legacy `tokens`/`token_logprobs`/
 * `top_logprobs` maps, `stop_reason` beside `finish_reason`, `usage`).
 */
import type { FinishReason, Sample, TokenLogprobs } from '../../src/lib/generate';
import type { ServeRequest } from './parse-request';

export interface ResponseMeta {
  id: string;
  created: number;
  model: string;
}

export interface WireChoiceEnd {
  finish_reason: 'stop' | 'length' | 'abort';
  stop_reason: string | null;
}

/**
 * `finish_reason` and vLLM's `stop_reason` (the stop string that ended the choice, null at EOS).
 * The engine keeps the matched stop string out of the text without saying which of several it
 * was; with several, the first listed is reported.
 */
export function choiceEnd(reason: FinishReason, stop: readonly string[]): WireChoiceEnd {
  if (reason === 'length') return { finish_reason: 'length', stop_reason: null };
  if (reason === 'aborted') return { finish_reason: 'abort', stop_reason: null };
  // 'terminated' (a request's stopWhen) cannot reach the API: requests over HTTP have none.
  return { finish_reason: 'stop', stop_reason: reason === 'stop' ? (stop[0] ?? null) : null };
}

export function usageOf(samples: readonly Sample[]) {
  const promptTokens = samples[0]?.timings.promptTokens ?? 0;
  const completionTokens = samples.reduce((sum, sample) => sum + sample.tokens, 0);
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

const encoder = new TextEncoder();
const bytesOf = (text: string) => Array.from(encoder.encode(text));

export function chatLogprobs(logprobs: TokenLogprobs, topK: number) {
  return {
    content: logprobs.tokenTexts.map((token, i) => ({
      token,
      logprob: logprobs.logprobs[i],
      bytes: bytesOf(token),
      top_logprobs: alternatives(logprobs, i, topK).map((alt) => ({ ...alt, bytes: bytesOf(alt.token) })),
    })),
  };
}

export function completionLogprobs(logprobs: TokenLogprobs, topK: number, textOffset: number) {
  const offsets: number[] = [];
  let at = textOffset;
  for (const token of logprobs.tokenTexts) {
    offsets.push(at);
    at += token.length;
  }
  return {
    text_offset: offsets,
    token_logprobs: Array.from(logprobs.logprobs),
    tokens: logprobs.tokenTexts,
    top_logprobs: logprobs.tokenTexts.map((_, i) => Object.fromEntries(alternatives(logprobs, i, topK).map((alt) => [alt.token, alt.logprob]))),
  };
}

function alternatives(logprobs: TokenLogprobs, i: number, topK: number): { token: string; logprob: number }[] {
  const out: { token: string; logprob: number }[] = [];
  for (let k = 0; k < Math.min(topK, logprobs.topK); k += 1) {
    out.push({ token: logprobs.topTexts[i * logprobs.topK + k], logprob: logprobs.topLogprobs[i * logprobs.topK + k] });
  }
  return out;
}

function logprobsFor(request: ServeRequest, sample: Sample) {
  if (request.logprobs === null || sample.logprobs === undefined) return null;
  return request.endpoint === 'chat'
    ? chatLogprobs(sample.logprobs, request.logprobs.topK)
    : completionLogprobs(sample.logprobs, request.logprobs.topK, 0);
}

/** The whole (non-streamed) answer. */
export function responseBody(request: ServeRequest, meta: ResponseMeta, samples: readonly Sample[]) {
  const choices = samples.map((sample, index) => {
    const end = choiceEnd(sample.finishReason, request.stop);
    const logprobs = logprobsFor(request, sample);
    return request.endpoint === 'chat'
      ? { index, message: { role: 'assistant', content: sample.text, reasoning_content: null, tool_calls: [] }, logprobs, ...end }
      : { index, text: sample.text, logprobs, ...end };
  });
  return {
    id: meta.id,
    object: request.endpoint === 'chat' ? 'chat.completion' : 'text_completion',
    created: meta.created,
    model: meta.model,
    choices,
    usage: usageOf(samples),
  };
}

/** A streamed piece of one choice's text. */
export function deltaChunk(request: ServeRequest, meta: ResponseMeta, index: number, text: string, first: boolean) {
  const choice =
    request.endpoint === 'chat'
      ? { index, delta: first ? { role: 'assistant', content: text } : { content: text }, logprobs: null, finish_reason: null }
      : { index, text, logprobs: null, finish_reason: null };
  return chunk(request, meta, [choice]);
}

/**
 * The last chunk of one choice: its finish reason and, when asked, all its logprobs at once
 * (the engine reports them per sample, at the end; a client concatenates per-chunk logprobs, so
 * one chunk holding them all reads the same).
 */
export function endChunk(request: ServeRequest, meta: ResponseMeta, index: number, sample: Sample) {
  const logprobs = logprobsFor(request, sample);
  const end = choiceEnd(sample.finishReason, request.stop);
  const choice = request.endpoint === 'chat' ? { index, delta: {}, logprobs, ...end } : { index, text: '', logprobs, ...end };
  return chunk(request, meta, [choice]);
}

export function usageChunk(request: ServeRequest, meta: ResponseMeta, samples: readonly Sample[]) {
  return { ...chunk(request, meta, []), usage: usageOf(samples) };
}

function chunk(request: ServeRequest, meta: ResponseMeta, choices: unknown[]) {
  return {
    id: meta.id,
    object: request.endpoint === 'chat' ? 'chat.completion.chunk' : 'text_completion',
    created: meta.created,
    model: meta.model,
    choices,
  };
}
