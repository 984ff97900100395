/**
 * `thinkbench serve`'s HTTP server (node:http, no framework): the embedded engine behind the
 * OpenAI-compatible API — `/v1/models`, `/v1/chat/completions`, `/v1/completions`, streamed
 * (SSE) or whole — with CORS for the browser app, OpenAI-style error bodies and a bounded queue.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GenerateRequest, Prompt, Sample } from '../../src/lib/generate';
import type { Engine } from '../../workers/engine/engine';
import { Admission } from './admission';
import { ApiError, errorBody } from './api-error';
import { parseBody, parseChatRequest, parseCompletionRequest, type ServePrompt, type ServeRequest } from './parse-request';
import { deltaChunk, endChunk, responseBody, usageChunk, type ResponseMeta } from './responses';

export interface ServeOptions {
  engine: Engine;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Requests admitted at once (running + waiting); one more gets 429. */
  queueLimit: number;
  /** Whether the engine returns per-token logprobs (found by `engineHasLogprobs`). */
  logprobs: boolean;
}

export interface RunningServer {
  server: Server;
  /** `http://host:port/v1`. */
  baseUrl: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type',
  'access-control-max-age': '600',
} as const;

/** Asks the engine for one token with logprobs: true when the engine fills `Sample.logprobs`. */
export async function engineHasLogprobs(engine: Engine): Promise<boolean> {
  const [sample] = await engine.generate({ prompt: { kind: 'raw', text: '1' }, n: 1, maxNewTokens: 1, sampling: { temperature: 0 }, logprobs: { topK: 1 } });
  return sample?.logprobs !== undefined;
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const admission = new Admission(options.queueLimit);
  const server = createServer((req, res) => {
    handle(req, res, options, admission).catch((error: unknown) => {
      const apiError = error instanceof ApiError ? error : new ApiError(500, error instanceof Error ? error.message : String(error));
      if (!res.headersSent) sendJson(res, apiError.status, errorBody(apiError));
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    baseUrl: `http://${host}:${address.port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, options: ServeOptions, admission: Admission): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
  if (req.method === 'OPTIONS') {
    res.writeHead(204, CORS_HEADERS).end();
    return;
  }
  const modelId = options.engine.info.modelId;
  if (path === '/health') return sendJson(res, 200, { status: 'ok' });
  if (path === '/v1/models') {
    if (req.method !== 'GET') throw new ApiError(405, `${req.method ?? ''} ${path}: use GET`);
    return sendJson(res, 200, { object: 'list', data: [{ id: modelId, object: 'model', created: 0, owned_by: 'thinkbench' }] });
  }
  const parse = path === '/v1/chat/completions' ? parseChatRequest : path === '/v1/completions' ? parseCompletionRequest : null;
  if (parse === null) throw new ApiError(404, `no route ${req.method ?? ''} ${path}; thinkbench serve has /v1/models, /v1/chat/completions and /v1/completions`);
  if (req.method !== 'POST') throw new ApiError(405, `${req.method ?? ''} ${path}: use POST`);
  const request = parse(parseBody(await readBody(req)));
  if (request.model !== undefined && request.model !== modelId) {
    throw new ApiError(404, `the model "${request.model}" does not exist; this server has "${modelId}"`, 'model');
  }
  if (request.logprobs !== null && !options.logprobs) {
    throw new ApiError(400, 'logprobs are not supported by this engine yet', request.endpoint === 'chat' ? 'logprobs' : 'logprobs');
  }
  const release = admission.tryAdmit();
  if (release === null) {
    res.setHeader('retry-after', '1');
    throw new ApiError(429, `the queue is full (${admission.limit} requests admitted); retry shortly`);
  }
  const controller = new AbortController();
  // A client that goes away stops its generation (within one decoding step).
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new DOMException('client closed the connection', 'AbortError'));
  });
  try {
    const meta: ResponseMeta = { id: `${request.endpoint === 'chat' ? 'chatcmpl' : 'cmpl'}-${randomUUID()}`, created: Math.floor(Date.now() / 1000), model: modelId };
    const generateRequest = toGenerateRequest(request, options.engine, controller.signal);
    if (request.stream) await stream(res, request, meta, generateRequest, options.engine);
    else sendJson(res, 200, responseBody(request, meta, await options.engine.generate(generateRequest)));
  } finally {
    release();
  }
}

function toGenerateRequest(request: ServeRequest, engine: Engine, signal: AbortSignal): GenerateRequest {
  return {
    prompt: enginePrompt(request.prompt, engine),
    n: request.n,
    maxNewTokens: request.maxTokens,
    sampling: {
      temperature: request.temperature,
      ...(request.topP !== undefined ? { topP: request.topP } : {}),
      ...(request.topK !== undefined ? { topK: request.topK } : {}),
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
    },
    ...(request.stop.length > 0 ? { stop: request.stop } : {}),
    ...(request.logprobs !== null ? { logprobs: { topK: request.logprobs.topK } } : {}),
    signal,
  };
}

/** A continued assistant message is the reply prefilled: the other messages with the generation prompt, then its text. */
function enginePrompt(prompt: ServePrompt, engine: Engine): Prompt {
  if (prompt.kind === 'continue') {
    const head = engine.renderPrompt({ kind: 'chat', messages: prompt.messages, enableThinking: prompt.enableThinking });
    return { kind: 'raw', text: head + prompt.partial };
  }
  return prompt.kind === 'chat' ? { kind: 'chat', messages: prompt.messages, enableThinking: prompt.enableThinking } : prompt;
}

async function stream(res: ServerResponse, request: ServeRequest, meta: ResponseMeta, generateRequest: GenerateRequest, engine: Engine): Promise<void> {
  res.writeHead(200, { ...CORS_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
  const started = new Set<number>();
  let samples: Sample[];
  try {
    samples = await engine.generate({
      ...generateRequest,
      onToken: (row, token) => {
        if (token.text === '') return;
        send(deltaChunk(request, meta, row, token.text, !started.has(row)));
        started.add(row);
      },
    });
  } catch (error) {
    if (!res.writableEnded && !res.destroyed) {
      send(errorBody(new ApiError(500, error instanceof Error ? error.message : String(error))));
      res.end('data: [DONE]\n\n');
    }
    return;
  }
  samples.forEach((sample, index) => send(endChunk(request, meta, index, sample)));
  if (request.includeUsage) send(usageChunk(request, meta, samples));
  res.end('data: [DONE]\n\n');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...CORS_HEADERS, 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_BODY_BYTES) {
        reject(new ApiError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
