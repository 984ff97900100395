/**
 * Request bodies of `/v1/chat/completions` and `/v1/completions` → one typed `ServeRequest`,
 * field by field as vLLM's protocol.py names them. A body of the wrong shape is a 422 naming the
 * field; a value the engine cannot honour (penalties, tools, token-id prompts, …) is a 400
 * saying so rather than being ignored.
 */
import type { ChatMessage, ChatRole } from '../../src/lib/generate';
import { ApiError } from './api-error';

export const MAX_N = 64;
export const MAX_TOP_LOGPROBS = 20;
export const DEFAULT_MAX_TOKENS = 256;

export type ServePrompt =
  | { kind: 'chat'; messages: ChatMessage[]; enableThinking: boolean }
  /** The last (assistant) message is continued: rendered as a prefill of the reply to the others. */
  | { kind: 'continue'; messages: ChatMessage[]; partial: string; enableThinking: boolean }
  | { kind: 'raw'; text: string };

export interface ServeRequest {
  endpoint: 'chat' | 'completions';
  model: string | undefined;
  prompt: ServePrompt;
  n: number;
  maxTokens: number;
  temperature: number;
  topP?: number;
  topK?: number;
  seed?: number;
  stop: string[];
  stream: boolean;
  includeUsage: boolean;
  /** Alternatives per token; null = no logprobs asked. */
  logprobs: { topK: number } | null;
}

type Body = Readonly<Record<string, unknown>>;

export function parseBody(text: string): Body {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, `the body is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ApiError(422, 'the body must be a JSON object');
  return json as Body;
}

export function parseChatRequest(body: Body): ServeRequest {
  refuseUnsupported(body, ['tools', 'functions', 'logit_bias', 'response_format', 'audio', 'modalities', 'prediction']);
  const messages = parseMessages(body.messages);
  const kwargs = optional(body, 'chat_template_kwargs', isObject, 'an object');
  const enableThinking = kwargs === undefined ? true : (optional(kwargs, 'enable_thinking', isBoolean, 'a boolean', 'chat_template_kwargs.enable_thinking') ?? true);
  const continueFinal = optional(body, 'continue_final_message', isBoolean, 'a boolean') ?? false;
  const addGenerationPrompt = optional(body, 'add_generation_prompt', isBoolean, 'a boolean') ?? true;
  let prompt: ServePrompt;
  if (continueFinal) {
    if (addGenerationPrompt) throw new ApiError(400, 'continue_final_message and add_generation_prompt cannot both be true', 'continue_final_message');
    const last = messages[messages.length - 1];
    if (last.role !== 'assistant') throw new ApiError(400, 'continue_final_message needs the last message to be an assistant message', 'messages');
    prompt = { kind: 'continue', messages: messages.slice(0, -1), partial: last.content, enableThinking };
  } else {
    if (!addGenerationPrompt) throw new ApiError(400, 'add_generation_prompt: false is supported only with continue_final_message: true', 'add_generation_prompt');
    prompt = { kind: 'chat', messages, enableThinking };
  }
  const logprobsOn = optional(body, 'logprobs', isBoolean, 'a boolean') ?? false;
  const topLogprobs = optional(body, 'top_logprobs', isInteger, 'a whole number');
  if (topLogprobs !== undefined && (topLogprobs < 0 || topLogprobs > MAX_TOP_LOGPROBS)) {
    throw new ApiError(400, `top_logprobs must be between 0 and ${MAX_TOP_LOGPROBS}, got ${topLogprobs}`, 'top_logprobs');
  }
  if (topLogprobs !== undefined && topLogprobs > 0 && !logprobsOn) throw new ApiError(400, 'top_logprobs needs logprobs: true', 'top_logprobs');
  const maxTokens = optional(body, 'max_completion_tokens', isInteger, 'a whole number') ?? optional(body, 'max_tokens', isInteger, 'a whole number');
  return {
    ...common(body, maxTokens),
    endpoint: 'chat',
    prompt,
    logprobs: logprobsOn ? { topK: topLogprobs ?? 0 } : null,
  };
}

export function parseCompletionRequest(body: Body): ServeRequest {
  refuseUnsupported(body, ['logit_bias', 'suffix', 'response_format']);
  if (body.echo === true) throw new ApiError(400, 'echo is not supported by thinkbench serve', 'echo');
  const prompt = body.prompt;
  let text: string;
  if (typeof prompt === 'string') text = prompt;
  else if (Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] === 'string') text = prompt[0];
  else if (Array.isArray(prompt) && prompt.every((item) => typeof item === 'string')) throw new ApiError(400, 'several prompts in one request are not supported; send one request per prompt', 'prompt');
  else if (prompt === undefined) throw new ApiError(422, 'prompt is required', 'prompt');
  else throw new ApiError(400, 'prompt must be a string (token-id prompts are not supported)', 'prompt');
  const logprobs = optional(body, 'logprobs', isInteger, 'a whole number (alternatives per token)');
  if (logprobs !== undefined && (logprobs < 0 || logprobs > MAX_TOP_LOGPROBS)) {
    throw new ApiError(400, `logprobs must be between 0 and ${MAX_TOP_LOGPROBS}, got ${logprobs}`, 'logprobs');
  }
  return {
    ...common(body, optional(body, 'max_tokens', isInteger, 'a whole number')),
    endpoint: 'completions',
    prompt: { kind: 'raw', text },
    logprobs: logprobs === undefined ? null : { topK: logprobs },
  };
}

function common(body: Body, maxTokens: number | undefined): Omit<ServeRequest, 'endpoint' | 'prompt' | 'logprobs'> {
  const n = optional(body, 'n', isInteger, 'a whole number') ?? 1;
  if (n < 1 || n > MAX_N) throw new ApiError(400, `n must be between 1 and ${MAX_N}, got ${n}`, 'n');
  if (maxTokens !== undefined && maxTokens < 1) throw new ApiError(400, `max_tokens must be at least 1, got ${maxTokens}`, 'max_tokens');
  const temperature = optional(body, 'temperature', isNumber, 'a number') ?? 1;
  if (temperature < 0 || temperature > 2) throw new ApiError(400, `temperature must be between 0 and 2, got ${temperature}`, 'temperature');
  const topP = optional(body, 'top_p', isNumber, 'a number');
  if (topP !== undefined && (topP <= 0 || topP > 1)) throw new ApiError(400, `top_p must be in (0, 1], got ${topP}`, 'top_p');
  // vLLM: -1 (or 0) means no top-k.
  const topK = optional(body, 'top_k', isInteger, 'a whole number');
  if (topK !== undefined && topK < -1) throw new ApiError(400, `top_k must be -1 (off) or at least 1, got ${topK}`, 'top_k');
  const seed = optional(body, 'seed', isInteger, 'a whole number');
  for (const penalty of ['presence_penalty', 'frequency_penalty'] as const) {
    const value = optional(body, penalty, isNumber, 'a number');
    if (value !== undefined && value !== 0) throw new ApiError(400, `${penalty} is not supported by thinkbench serve (only 0)`, penalty);
  }
  const model = optional(body, 'model', isString, 'a string');
  const streamOptions = optional(body, 'stream_options', isObject, 'an object');
  return {
    model,
    n,
    maxTokens: maxTokens ?? DEFAULT_MAX_TOKENS,
    temperature,
    ...(topP !== undefined ? { topP } : {}),
    ...(topK !== undefined && topK > 0 ? { topK } : {}),
    ...(seed !== undefined ? { seed } : {}),
    stop: parseStop(body.stop),
    stream: optional(body, 'stream', isBoolean, 'a boolean') ?? false,
    includeUsage: streamOptions === undefined ? false : (optional(streamOptions, 'include_usage', isBoolean, 'a boolean', 'stream_options.include_usage') ?? false),
  };
}

const ROLES: readonly ChatRole[] = ['system', 'user', 'assistant'];

function parseMessages(value: unknown): ChatMessage[] {
  if (value === undefined) throw new ApiError(422, 'messages is required', 'messages');
  if (!Array.isArray(value) || value.length === 0) throw new ApiError(422, 'messages must be a non-empty array', 'messages');
  return value.map((message: unknown, i) => {
    if (!isObject(message)) throw new ApiError(422, `messages[${i}] must be an object`, `messages[${i}]`);
    const role = ROLES.find((known) => known === message.role);
    if (role === undefined) throw new ApiError(400, `messages[${i}].role must be one of ${ROLES.join(', ')}`, `messages[${i}].role`);
    return { role, content: messageText(message.content, i) };
  });
}

/** A string, or an array of `{type: 'text', text}` parts (joined); other parts are refused. */
function messageText(content: unknown, i: number): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: unknown, j) => {
        if (isObject(part) && part.type === 'text' && typeof part.text === 'string') return part.text;
        throw new ApiError(400, `messages[${i}].content[${j}]: only text parts are supported`, `messages[${i}].content`);
      })
      .join('');
  }
  throw new ApiError(422, `messages[${i}].content must be a string or an array of text parts`, `messages[${i}].content`);
}

function parseStop(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.filter((item) => item !== '');
  throw new ApiError(422, 'stop must be a string or an array of strings', 'stop');
}

function refuseUnsupported(body: Body, keys: readonly string[]): void {
  for (const key of keys) {
    const value = body[key];
    if (value === undefined || value === null) continue;
    if (key === 'response_format' && isObject(value) && value.type === 'text') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    throw new ApiError(400, `${key} is not supported by thinkbench serve`, key);
  }
}

function optional<T>(body: Body, key: string, accept: (value: unknown) => value is T, what: string, param = key): T | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (!accept(value)) throw new ApiError(422, `${param} must be ${what}, got ${JSON.stringify(value)}`, param);
  return value;
}

const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isInteger = (value: unknown): value is number => Number.isInteger(value);
const isObject = (value: unknown): value is Body => typeof value === 'object' && value !== null && !Array.isArray(value);
