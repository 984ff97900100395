/**
 * `Generate` over an OpenAI-compatible server (vLLM, SGLang, llama.cpp, Ollama, `thinkbench
 * serve`). Strategies cannot tell it from the local engine: the same request gives samples with
 * the same text layout, finish reasons, token counts, timings and (when asked) logprobs.
 *
 * - `n` samples: one request when the server honours `n`, otherwise `n` single requests (seed
 *   s, s+1, …) at most `concurrency` at a time.
 * - Thinking budget B: the first call stops at B tokens; a row still thinking gets the forced
 *   text appended, and every unfinished row is continued as the final assistant message
 *   (`continue_final_message`) or, for raw prompts, through `/v1/completions`.
 * - Always streamed, for the timings: TTFT is the request start to the first token; a server
 *   does not say how long its prefill took, so `prefillMs` equals `ttftMs` here.
 */
import type { FinishReason, Generate, GenerateRequest, Sample } from '../../generate';
import { missingReason, type ServerCapabilities } from './capabilities';
import { RemoteUnsupportedError } from './errors';
import { Limiter } from './limiter';
import { toTokenLogprobs } from './logprobs';
import { RowState } from './row-state';
import { streamCall, type CallBody } from './stream-call';
import type { Connection } from './transport';
import type { Usage, WireSampling } from './wire';

export interface RemoteGenerateOptions {
  connection: Connection;
  capabilities: ServerCapabilities;
  /** Most requests in flight at once (fan-out of `n`, continuations after a budget cut). */
  concurrency: number;
}

interface Row {
  state: RowState;
  promptTokens: number;
  budgetCut: boolean;
  /** `stopWhen` ended the row: later deltas (a batched server keeps generating) are dropped. */
  terminated: boolean;
}

export function createRemoteGenerate(options: RemoteGenerateOptions): Generate {
  const { capabilities } = options;
  const limiter = new Limiter(options.concurrency);
  return async (request) => {
    refuseUnsupported(request, capabilities);
    const startMs = performance.now();
    // A begun reply that already closed its thinking starts every row in the answer.
    const prefix = request.prompt.kind === 'chat' ? (request.prompt.assistantPrefix ?? '') : '';
    const endMarker = request.thinking?.endMarker && !prefix.includes(request.thinking.endMarker) ? request.thinking.endMarker : undefined;
    const rows: Row[] = Array.from({ length: request.n }, () => ({ state: new RowState(endMarker), promptTokens: 0, budgetCut: false, terminated: false }));
    const budget = request.thinking?.budgetTokens;
    const cutAt = budget !== undefined && budget < request.maxNewTokens ? budget : undefined;
    const firstTokens = cutAt ?? request.maxNewTokens;

    // A budget of 0 tokens generates nothing before the cut: every row goes straight to the forced answer.
    const calls = firstTokens === 0
      ? []
      : capabilities.honoursN || request.n === 1
        ? [{ offset: 0, n: request.n, seed: request.sampling.seed }]
        : rows.map((_, i) => ({ offset: i, n: 1, seed: request.sampling.seed === undefined ? undefined : request.sampling.seed + i }));
    if (firstTokens === 0) for (const row of rows) row.state.finishReason = 'length';
    await Promise.all(
      calls.map((call) =>
        limiter.run(async () => {
          const batch = rows.slice(call.offset, call.offset + call.n);
          // Once `stopWhen` has ended every row of this call, the call is dropped (the server stops generating).
          const early = new AbortController();
          const forward = () => early.abort(request.signal?.reason);
          request.signal?.addEventListener('abort', forward, { once: true });
          try {
            const usage = await streamCall(
              options.connection,
              firstCall(request, capabilities, { n: call.n, seed: call.seed, maxTokens: firstTokens }),
              (delta, atMs) => {
                emit(request, rows, call.offset + delta.index, batch[delta.index]?.state, delta, atMs - startMs);
                if (batch.every((row) => row.terminated)) early.abort(new DOMException('every row terminated', 'AbortError'));
              },
              early.signal,
            );
            settleTokens(batch, usage);
          } catch (error) {
            if (request.signal?.aborted || !batch.every((row) => row.terminated)) throw error;
          } finally {
            request.signal?.removeEventListener('abort', forward);
          }
        }, request.signal),
      ),
    );

    if (cutAt !== undefined && request.maxNewTokens > cutAt) {
      // Budget 0 writes a whole empty thinking block, as the engine does (thinking-plan.ts). The
      // server's template is not ours to read, so one that itself opens `<think>` (DeepSeek-R1
      // distills) sees a second opening tag here.
      const empty = cutAt === 0 ? request.thinking?.emptyThinking : undefined;
      const forced = empty ? empty.text : (request.thinking?.forcedText ?? '');
      await Promise.all(
        rows.map((row, i) => {
          if (row.terminated || row.state.finishReason !== 'length') return Promise.resolve();
          if (!row.state.thinkingDone) {
            row.budgetCut = true;
            row.state.force(forced);
            if (forced !== '') request.onToken?.(i, { text: forced, phase: 'forced', atMs: performance.now() - startMs });
          }
          return limiter.run(async () => {
            const before = row.state.deltas;
            const usage = await streamCall(
              options.connection,
              continuationCall(request, capabilities, row.state.text, {
                maxTokens: request.maxNewTokens - cutAt,
                seed: request.sampling.seed === undefined ? undefined : request.sampling.seed + i,
              }),
              (delta, atMs) => emit(request, rows, i, row.state, delta, atMs - startMs),
              request.signal,
            );
            if (usage) row.state.deltas = before + usage.completionTokens;
          }, request.signal);
        }),
      );
    }
    return rows.map((row) => toSample(row, request));
  };
}

function refuseUnsupported(request: GenerateRequest, capabilities: ServerCapabilities): void {
  if (request.prompt.kind === 'raw') {
    const reason = missingReason(capabilities, 'completions');
    if (reason) throw new RemoteUnsupportedError('a raw text prompt', reason);
  }
  if (request.prompt.kind === 'chat' && request.prompt.assistantPrefix) {
    const reason = missingReason(capabilities, 'continuation');
    if (reason) throw new RemoteUnsupportedError('continuing a begun reply (assistantPrefix)', reason);
  }
  const budget = request.thinking?.budgetTokens;
  if (budget !== undefined && budget < request.maxNewTokens && request.prompt.kind === 'chat') {
    const reason = missingReason(capabilities, 'continuation');
    if (reason) throw new RemoteUnsupportedError('a thinking budget', reason);
  }
  if (request.thinking?.extend && request.thinking.extend.times > 0) {
    // The server picks each token itself; only an engine that holds the logits can put "Wait" in
    // place of the end of thinking before it is fed (a reasoning parser also hides `</think>`).
    throw new RemoteUnsupportedError(
      'extending thinking (s1 budget forcing, thinking.extend)',
      'it needs the end-of-thinking token replaced before the model reads it, which only the local engine can do',
    );
  }
  if (request.logitBias && request.logitBias.length > 0) {
    // The API's logit_bias is keyed by token id, and the server's tokenizer is not ours to run.
    throw new RemoteUnsupportedError('a logit bias by text', 'the OpenAI API takes logit_bias by token id, which thinkbench cannot compute for a remote tokenizer');
  }
  if (request.logprobs) {
    const reason = missingReason(capabilities, 'logprobs');
    if (reason) throw new RemoteUnsupportedError('per-token logprobs', reason);
    if (request.logprobs.topK > capabilities.topLogprobsCap) {
      throw new RemoteUnsupportedError(
        `${request.logprobs.topK} alternatives per token`,
        `the server gives at most ${capabilities.topLogprobsCap}`,
      );
    }
  }
}

function sampling(request: GenerateRequest, capabilities: ServerCapabilities, fields: { n: number; seed: number | undefined; maxTokens: number }): WireSampling {
  const { temperature, topK, topP } = request.sampling;
  return {
    model: capabilities.model,
    n: fields.n,
    max_tokens: fields.maxTokens,
    temperature,
    ...(topP !== undefined ? { top_p: topP } : {}),
    // Left out where the server refused it: top-k then falls back to the server's default (none).
    ...(topK !== undefined && capabilities.topK ? { top_k: topK } : {}),
    ...(fields.seed !== undefined ? { seed: fields.seed } : {}),
    ...(request.stop && request.stop.length > 0 ? { stop: [...request.stop] } : {}),
  };
}

function firstCall(request: GenerateRequest, capabilities: ServerCapabilities, fields: { n: number; seed: number | undefined; maxTokens: number }): CallBody {
  const base = sampling(request, capabilities, fields);
  if (request.prompt.kind === 'raw') {
    return { endpoint: 'completions', body: { ...base, prompt: request.prompt.text, ...(request.logprobs ? { logprobs: request.logprobs.topK } : {}) } };
  }
  // A reply begun for the model (the faithfulness probes' `assistantPrefix`) is continued, as the engine does.
  if (request.prompt.assistantPrefix) return continuationCall(request, capabilities, '', fields);
  return {
    endpoint: 'chat',
    body: {
      ...base,
      messages: request.prompt.messages.map((message) => ({ role: message.role, content: message.content })),
      chat_template_kwargs: { enable_thinking: request.prompt.enableThinking ?? true },
      ...(request.logprobs ? { logprobs: true, top_logprobs: request.logprobs.topK } : {}),
    },
  };
}

/** The same prompt with the row's text so far as the start of the answer: one sample, no new turn. */
function continuationCall(
  request: GenerateRequest,
  capabilities: ServerCapabilities,
  soFar: string,
  fields: { maxTokens: number; seed: number | undefined },
): CallBody {
  const base = sampling(request, capabilities, { n: 1, ...fields });
  if (request.prompt.kind === 'raw') {
    return { endpoint: 'completions', body: { ...base, prompt: request.prompt.text + soFar, ...(request.logprobs ? { logprobs: request.logprobs.topK } : {}) } };
  }
  return {
    endpoint: 'chat',
    body: {
      ...base,
      messages: [
        ...request.prompt.messages.map((message) => ({ role: message.role, content: message.content })),
        { role: 'assistant', content: (request.prompt.assistantPrefix ?? '') + soFar },
      ],
      chat_template_kwargs: { enable_thinking: request.prompt.enableThinking ?? true },
      continue_final_message: true,
      add_generation_prompt: false,
      ...(request.logprobs ? { logprobs: true, top_logprobs: request.logprobs.topK } : {}),
    },
  };
}

function emit(request: GenerateRequest, rows: readonly Row[], rowIndex: number, state: RowState | undefined, delta: Parameters<RowState['push']>[0], atMs: number): void {
  const row = rows[rowIndex];
  if (!state || row?.state !== state || row.terminated) return;
  for (const event of state.push(delta, atMs)) request.onToken?.(rowIndex, { ...event, atMs });
  if (request.stopWhen && request.stopWhen(rowIndex, progressOf(state, request.logprobs?.topK ?? 0))) row.terminated = true;
}

/**
 * What `stopWhen` sees: tokens so far and confidences as `RowProgress` defines them (minus the
 * mean top-K logprob; with K = 0 the chosen token's own logprob) for the tokens whose logprobs
 * have arrived — vLLM streams them with each token, `thinkbench serve` with a choice's last chunk.
 */
function progressOf(state: RowState, topK: number) {
  const confidences = Float32Array.from(state.logprobs, (entry) => {
    const top = entry.top.slice(0, topK);
    return topK === 0 || top.length === 0 ? entry.logprob : -top.reduce((sum, alt) => sum + alt.logprob, 0) / top.length;
  });
  return { tokens: Math.max(state.deltas, state.logprobs.length), confidences };
}

/**
 * Usage is per call. A one-choice call's count is exact (it includes the finishing EOS, which
 * sends no text); in a many-choice call the difference between usage and the deltas seen is
 * the EOS tokens, one per row that ended at EOS.
 */
function settleTokens(batch: readonly Row[], usage: Usage | null): void {
  if (!usage) return;
  for (const row of batch) row.promptTokens = usage.promptTokens;
  // A terminated row keeps the tokens it had when `stopWhen` ended it; usage counts later ones too.
  if (batch.some((row) => row.terminated)) return;
  if (batch.length === 1) {
    batch[0].state.deltas = usage.completionTokens;
    return;
  }
  let missing = usage.completionTokens - batch.reduce((sum, row) => sum + row.state.deltas, 0);
  for (const row of batch) {
    if (missing <= 0) break;
    if (row.state.finishReason === 'stop' && row.state.stopReason === null) {
      row.state.deltas += 1;
      missing -= 1;
    }
  }
}

function finishReason(row: Row): FinishReason {
  if (row.terminated) return 'terminated';
  const { state } = row;
  if (state.finishReason === 'length') return 'length';
  if (state.finishReason === 'stop') return state.stopReason !== null ? 'stop' : 'eos';
  return state.finishReason === null ? 'length' : 'aborted';
}

function toSample(row: Row, request: GenerateRequest): Sample {
  const { state } = row;
  // Only a chain the model ended (not one cut by length or stopWhen) gets its separated reasoning closed.
  if (!row.terminated && state.finishReason === 'stop') state.close();
  const first = state.firstAtMs ?? 0;
  const last = state.lastAtMs ?? first;
  const decodeMs = Math.max(0, last - first);
  const tokens = Math.max(state.deltas, state.logprobs.length);
  const thinkingTokens = Math.min(tokens, state.thinkingDeltas);
  return {
    text: state.text,
    tokens,
    thinkingTokens,
    answerTokens: tokens - thinkingTokens,
    finishReason: finishReason(row),
    budgetCut: row.budgetCut,
    timings: {
      promptTokens: row.promptTokens,
      ttftMs: first,
      prefillMs: first,
      decodeMs,
      decodeTokensPerS: tokens > 1 && decodeMs > 0 ? (tokens - 1) / (decodeMs / 1000) : 0,
      totalMs: last,
    },
    ...(request.logprobs ? { logprobs: toTokenLogprobs(state.logprobs, request.logprobs.topK) } : {}),
  };
}
