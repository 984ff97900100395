/**
 * `thinkbench serve`: the embedded engine (or any local model folder) behind an
 * OpenAI-compatible HTTP API, so lm-eval, optillm, DSPy or Inspect can drive thinkbench's
 * models and the remote backend has a real server to be tested against. Binds 127.0.0.1 unless
 * told otherwise; runs until Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { EMBEDDED_MODEL_DIR, loadNodeEngine } from '../workers/engine/node';
import type { Dtype, Engine } from '../workers/engine/engine';
import { nonNegativeInt, parseDtype } from './bench-args';
import { EXIT, UsageError, type CliIo, type Command } from './io';
import { engineHasLogprobs, startServer, type RunningServer } from './serve/server';

export const SERVE_USAGE = `Usage: thinkbench serve [options]

Serves a local model over the OpenAI-compatible API (the one vLLM, SGLang, llama.cpp and
Ollama speak): GET /v1/models, POST /v1/chat/completions and /v1/completions with n, seed,
temperature, top_p, top_k, stop, max_tokens, logprobs/top_logprobs, chat_template_kwargs
(enable_thinking), continue_final_message, stream (SSE) and usage. Every origin may call it
(CORS), so the app's Server source can use it.

Options:
  --host HOST     address to bind (default 127.0.0.1; 0.0.0.0 exposes it to the network)
  --port P        port (default 8000; 0 picks a free one)
  --model DIR     model folder (default ${EMBEDDED_MODEL_DIR})
  --model-id ID   the model's name in the API (default: the folder's last two segments)
  --dtype DTYPE   fp32, fp16, q8, q4 or q4f16 (default fp32)
  --queue N       requests admitted at once, running and waiting; one more gets 429 (default 16)
  --help          this text

Prints "listening on http://HOST:P/v1" when ready. Ctrl-C stops it.`;

export interface ServeCliOptions {
  host: string;
  port: number;
  modelDir: string;
  modelId?: string;
  dtype: Dtype;
  queue: number;
}

export function parseServeArgs(argv: readonly string[]): ServeCliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      allowPositionals: false,
      strict: true,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        model: { type: 'string' },
        'model-id': { type: 'string' },
        dtype: { type: 'string' },
        queue: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const dtype = parseDtype(values.dtype ?? 'fp32');
  const port = nonNegativeInt('--port', values.port ?? '8000');
  if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
  const queue = nonNegativeInt('--queue', values.queue ?? '16');
  if (queue < 1) throw new UsageError('--queue must be at least 1');
  return {
    host: values.host ?? '127.0.0.1',
    port,
    modelDir: values.model ?? EMBEDDED_MODEL_DIR,
    ...(values['model-id'] !== undefined ? { modelId: values['model-id'] } : {}),
    dtype,
    queue,
  };
}

/** Loads the engine and starts listening; the caller closes both. */
export async function startServe(options: ServeCliOptions): Promise<{ engine: Engine; running: RunningServer; logprobs: boolean }> {
  const engine = await loadNodeEngine({ modelDir: options.modelDir, dtype: options.dtype, ...(options.modelId ? { modelId: options.modelId } : {}) });
  try {
    const logprobs = await engineHasLogprobs(engine);
    const running = await startServer({ engine, host: options.host, port: options.port, queueLimit: options.queue, logprobs });
    return { engine, running, logprobs };
  } catch (error) {
    await engine.dispose();
    throw error;
  }
}

export const serveCommand: Command = {
  summary: 'serve a local model over the OpenAI-compatible API (for remote backends, lm-eval, …)',
  usage: SERVE_USAGE,
  run: async (argv: readonly string[], io: CliIo) => {
    const options = parseServeArgs(argv);
    const { engine, running, logprobs } = await startServe(options);
    io.stderr.write(`thinkbench serve: ${engine.info.modelId} (${options.dtype}, cpu)${logprobs ? '' : '; logprobs: not supported by this engine yet'}\n`);
    io.stdout.write(`listening on ${running.baseUrl}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await running.close();
    await engine.dispose();
    return EXIT.ok;
  },
};
