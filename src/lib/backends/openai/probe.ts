/**
 * The capability probe, run once on connect: a handful of tiny requests (a few tokens each)
 * that find out what this server really does, since every OpenAI-compatible server differs —
 * llama.cpp and Ollama ignore `n`, Ollama caps `top_logprobs`, only vLLM and SGLang take
 * `continue_final_message`, reasoning comes back in `reasoning`, `reasoning_content` or inline
 * `<think>` tags.
 */
import type { ServerCapabilities } from './capabilities';
import { RemoteHttpError, RemoteProtocolError } from './errors';
import { arrayField, stringField } from './json';
import { RowState } from './row-state';
import { streamCall, type CallBody } from './stream-call';
import { normalizeBaseUrl, request, type Connection } from './transport';
import type { ChatBody, ReasoningField } from './wire';

export interface ProbeOptions {
  connection: Connection;
  /** The model to use; default the first `/v1/models` lists. */
  model?: string;
  signal?: AbortSignal;
  onStep?: (step: string) => void;
}

const QUESTION = [{ role: 'user' as const, content: 'What is 2+3?' }];
const LOGPROB_TRIES = [20, 5, 1];

export async function probeServer(options: ProbeOptions): Promise<ServerCapabilities> {
  const connection = { ...options.connection, baseUrl: normalizeBaseUrl(options.connection.baseUrl) };
  const { signal } = options;
  const notes: string[] = [];
  options.onStep?.('listing models');
  const models = await listModels(connection, signal);
  const model = options.model ?? models[0];
  if (model === undefined) throw new RemoteProtocolError(`${connection.baseUrl}/models lists no model; pass one by name`);
  if (options.model !== undefined && models.length > 0 && !models.includes(options.model)) {
    notes.push(`/v1/models does not list "${options.model}" (it lists ${models.join(', ')}); using it anyway.`);
  }
  const chat = (body: Omit<ChatBody, 'model'>): CallBody => ({ endpoint: 'chat', body: { model, ...body } });

  options.onStep?.('n and reasoning');
  const first = await collect(connection, chat({ messages: QUESTION, n: 2, max_tokens: 24, temperature: 0, chat_template_kwargs: { enable_thinking: true } }), signal);
  const honoursN = first.rows.length >= 2;
  if (!honoursN) notes.push('The server ignores n: samples are sent as separate requests.');
  const thinkTags = first.reasoningField !== null || first.rows.some((row) => /<\/?think>/.test(row.text));

  options.onStep?.('logprobs');
  let topLogprobsCap = 0;
  let logprobs = false;
  for (const topK of LOGPROB_TRIES) {
    const answer = await collect(connection, chat({ messages: QUESTION, max_tokens: 2, temperature: 0, logprobs: true, top_logprobs: topK }), signal, true);
    if (answer.refused) continue;
    const entries = answer.rows.flatMap((row) => row.logprobs);
    logprobs = entries.length > 0;
    topLogprobsCap = logprobs ? Math.min(topK, Math.max(...entries.map((entry) => entry.top.length))) : 0;
    break;
  }
  if (!logprobs) notes.push('No per-token logprobs: strategies that score tokens are off.');
  else if (topLogprobsCap < 20) notes.push(`At most ${topLogprobsCap} alternatives per token (top_logprobs).`);

  options.onStep?.('seed and top_k');
  const seeded = (withTopK: boolean) =>
    chat({ messages: QUESTION, max_tokens: 8, temperature: 1, seed: 1234, ...(withTopK ? { top_k: 40 } : {}), chat_template_kwargs: { enable_thinking: true } });
  let topK = true;
  let a = await collect(connection, seeded(true), signal, true);
  if (a.refused) {
    topK = false;
    notes.push('The server refused top_k: the sampler setting is not sent.');
    a = await collect(connection, seeded(false), signal);
  }
  const b = await collect(connection, seeded(topK), signal);
  const seedReproducible = a.rows[0]?.text === b.rows[0]?.text;
  if (!seedReproducible) notes.push('The same seed gave different samples: sampled results will differ from run to run.');

  options.onStep?.('raw completions');
  const completions = !(await collect(connection, { endpoint: 'completions', body: { model, prompt: '2+3=', max_tokens: 1, temperature: 0 } }, signal, true)).refused;

  options.onStep?.('continue_final_message');
  const continued = await collect(
    connection,
    chat({
      messages: [...QUESTION, { role: 'assistant', content: '<think>\n2+3' }],
      max_tokens: 2,
      temperature: 0,
      continue_final_message: true,
      add_generation_prompt: false,
    }),
    signal,
    true,
  );
  const continueFinalMessage = !continued.refused;
  if (!continueFinalMessage) notes.push('No continue_final_message: thinking-budget cuts are not supported by this server.');

  return {
    baseUrl: connection.baseUrl,
    model,
    models,
    honoursN,
    logprobs,
    topLogprobsCap,
    seedReproducible,
    topK,
    completions,
    continueFinalMessage,
    reasoningField: first.reasoningField,
    thinkTags,
    probedAt: Date.now(),
    notes,
  };
}

async function listModels(connection: Connection, signal: AbortSignal | undefined): Promise<string[]> {
  const response = await request(connection, '/models', { method: 'GET' }, signal);
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new RemoteProtocolError(`${connection.baseUrl}/models did not answer JSON: is this an OpenAI-compatible server?`);
  }
  return arrayField(json, 'data').flatMap((entry) => {
    const id = stringField(entry, 'id');
    return id === undefined ? [] : [id];
  });
}

interface Collected {
  rows: RowState[];
  reasoningField: ReasoningField | null;
  /** The server answered 400/404/422 (only when `tolerateRefusal`). */
  refused: boolean;
}

async function collect(connection: Connection, call: CallBody, signal: AbortSignal | undefined, tolerateRefusal = false): Promise<Collected> {
  const rows: RowState[] = [];
  let reasoningField: ReasoningField | null = null;
  try {
    await streamCall(
      connection,
      call,
      (delta, atMs) => {
        rows[delta.index] ??= new RowState(undefined);
        rows[delta.index].push(delta, atMs);
        reasoningField ??= delta.reasoningField;
      },
      signal,
    );
  } catch (error) {
    if (tolerateRefusal && error instanceof RemoteHttpError && [400, 404, 405, 422, 501].includes(error.status)) {
      return { rows: [], reasoningField: null, refused: true };
    }
    throw error;
  }
  return { rows: rows.filter((row) => row !== undefined), reasoningField, refused: false };
}
