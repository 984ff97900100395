/**
 * The remote backend's plumbing with a scripted fetch: retries with backoff on 429/5xx (reported,
 * bounded), no retry on 4xx, cancellation during a request and during a backoff wait, the
 * limiter's bound, and the fan-out of `n` to servers that ignore it.
 */
import { describe, expect, it } from 'vitest';
import { RemoteHttpError, RemoteNetworkError, RemoteUnsupportedError } from '../../src/lib/backends/openai/errors';
import { Limiter } from '../../src/lib/backends/openai/limiter';
import { backoffMs, normalizeBaseUrl, request, type FetchLike, type RetryNotice } from '../../src/lib/backends/openai/transport';
import { createRemoteGenerate } from '../../src/lib/backends/openai/remote-generate';
import type { ServerCapabilities } from '../../src/lib/backends/openai/capabilities';

const FAST = { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 };

function scripted(statuses: number[]): { fetch: FetchLike; calls: () => number } {
  let calls = 0;
  return {
    fetch: async () => {
      const status = statuses[Math.min(calls, statuses.length - 1)];
      calls += 1;
      return new Response(status === 200 ? '{"ok":true}' : JSON.stringify({ error: { message: `status ${status}` } }), { status });
    },
    calls: () => calls,
  };
}

describe('request: retries', () => {
  it('retries 429 and 503 with backoff, reporting each retry, then succeeds', async () => {
    const server = scripted([429, 503, 200]);
    const notices: RetryNotice[] = [];
    const response = await request({ baseUrl: 'http://x/v1', fetch: server.fetch, retry: FAST, onRetry: (n) => notices.push(n) }, '/models', { method: 'GET' });
    expect(response.status).toBe(200);
    expect(server.calls()).toBe(3);
    expect(notices.map((n) => [n.status, n.attempt])).toEqual([[429, 1], [503, 2]]);
  });

  it('gives up after the last attempt with the server\'s own message', async () => {
    const server = scripted([500]);
    const error = await request({ baseUrl: 'http://x/v1', fetch: server.fetch, retry: FAST }, '/models', { method: 'GET' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteHttpError);
    expect((error as RemoteHttpError).status).toBe(500);
    expect((error as Error).message).toContain('status 500');
    expect(server.calls()).toBe(FAST.attempts);
  });

  it('does not retry a 400 (the request is wrong, not the server busy)', async () => {
    const server = scripted([400, 200]);
    await expect(request({ baseUrl: 'http://x/v1', fetch: server.fetch, retry: FAST }, '/models', { method: 'GET' })).rejects.toMatchObject({ name: 'RemoteHttpError', status: 400 });
    expect(server.calls()).toBe(1);
  });

  it('stops waiting for a retry when the signal aborts', async () => {
    const server = scripted([429]);
    const controller = new AbortController();
    const slow = { attempts: 5, baseDelayMs: 60_000, maxDelayMs: 60_000 };
    const started = Date.now();
    const pending = request({ baseUrl: 'http://x/v1', fetch: server.fetch, retry: slow }, '/models', { method: 'GET' }, controller.signal);
    setTimeout(() => controller.abort(new DOMException('stop', 'AbortError')), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('honours Retry-After when it asks for longer than the backoff, within the cap', () => {
    const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 10_000 };
    expect(backoffMs(policy, 1, null)).toBe(100);
    expect(backoffMs(policy, 3, null)).toBe(400);
    expect(backoffMs(policy, 1, '2')).toBe(2000);
    expect(backoffMs(policy, 1, '999')).toBe(10_000);
  });

  it('turns a refused connection into a RemoteNetworkError naming the URL', async () => {
    const fetch: FetchLike = () => Promise.reject(new TypeError('fetch failed'));
    const error = await request({ baseUrl: 'http://127.0.0.1:9/v1', fetch, retry: FAST }, '/models', { method: 'GET' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteNetworkError);
    expect((error as Error).message).toContain('http://127.0.0.1:9/v1/models');
  });

  it('sends the API key as a bearer token', async () => {
    let seen: string | undefined;
    const fetch: FetchLike = async (_url, init) => {
      seen = new Headers(init.headers).get('authorization') ?? undefined;
      return new Response('{}', { status: 200 });
    };
    await request({ baseUrl: 'http://x/v1', apiKey: 'sk-test', fetch }, '/models', { method: 'GET' });
    expect(seen).toBe('Bearer sk-test');
  });

  it('normalises base URLs to end in /v1', () => {
    expect(normalizeBaseUrl('http://h:8000')).toBe('http://h:8000/v1');
    expect(normalizeBaseUrl('http://h:8000/v1/')).toBe('http://h:8000/v1');
    expect(() => normalizeBaseUrl('ftp://h')).toThrow(/http/);
  });
});

describe('Limiter', () => {
  it('never runs more than its limit at once and runs everything', async () => {
    const limiter = new Limiter(3);
    let active = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limiter.run(async () => {
          active += 1;
          peak = Math.max(peak, active);
          await new Promise((resolve) => setTimeout(resolve, 2 + (i % 3)));
          active -= 1;
          return i;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(peak).toBe(3);
    expect(limiter.active).toBe(0);
  });

  it('drops a waiting task whose signal aborts, and the slot passes on', async () => {
    const limiter = new Limiter(1);
    let release!: () => void;
    const first = limiter.run(() => new Promise<void>((resolve) => (release = resolve)));
    const controller = new AbortController();
    const waiting = limiter.run(async () => 'ran', controller.signal);
    const third = limiter.run(async () => 'third');
    controller.abort(new DOMException('cancel', 'AbortError'));
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    release();
    await first;
    expect(await third).toBe('third');
  });
});

/** A server that ignores n: each request answers one choice, streamed, echoing its seed. */
function ignoringN(): { fetch: FetchLike; bodies: Record<string, unknown>[]; peak: () => number } {
  const bodies: Record<string, unknown>[] = [];
  let active = 0;
  let peak = 0;
  const fetch: FetchLike = async (_url, init) => {
    const body = JSON.parse(String(init.body)) as Record<string, unknown>;
    bodies.push(body);
    active += 1;
    peak = Math.max(peak, active);
    await new Promise((resolve) => setTimeout(resolve, 10));
    active -= 1;
    const events = [
      { choices: [{ index: 0, delta: { role: 'assistant', content: `seed ${String(body.seed)}` }, finish_reason: null }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      { choices: [], usage: { prompt_tokens: 5, completion_tokens: 3 } },
    ];
    const text = events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join('') + 'data: [DONE]\n\n';
    return new Response(text, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  };
  return { fetch, bodies, peak: () => peak };
}

const CAPS: ServerCapabilities = {
  baseUrl: 'http://x/v1', model: 'm', models: ['m'], honoursN: false, logprobs: true, topLogprobsCap: 5, seedReproducible: true,
  topK: false, completions: false, continueFinalMessage: false, reasoningField: null, thinkTags: true, probedAt: 0, notes: [],
};

describe('createRemoteGenerate', () => {
  it('fans n out as single requests with seeds s, s+1, … at most `concurrency` at a time', async () => {
    const server = ignoringN();
    const generate = createRemoteGenerate({ connection: { baseUrl: 'http://x/v1', fetch: server.fetch }, capabilities: CAPS, concurrency: 2 });
    const samples = await generate({ prompt: { kind: 'chat', messages: [{ role: 'user', content: 'q' }] }, n: 5, maxNewTokens: 10, sampling: { temperature: 1, topK: 40, seed: 7 } });
    expect(samples.map((s) => s.text)).toEqual(['seed 7', 'seed 8', 'seed 9', 'seed 10', 'seed 11']);
    expect(server.bodies.map((b) => b.n)).toEqual([1, 1, 1, 1, 1]);
    // top_k is left out: the probe found the server refuses it.
    expect(server.bodies.every((b) => !('top_k' in b))).toBe(true);
    expect(server.peak()).toBe(2);
    expect(samples.every((s) => s.tokens === 3 && s.finishReason === 'eos' && s.timings.promptTokens === 5)).toBe(true);
  });

  it('refuses what the server cannot do, saying so, before sending anything', async () => {
    const server = ignoringN();
    const generate = createRemoteGenerate({ connection: { baseUrl: 'http://x/v1', fetch: server.fetch }, capabilities: CAPS, concurrency: 2 });
    const chat = { kind: 'chat' as const, messages: [{ role: 'user' as const, content: 'q' }] };
    await expect(generate({ prompt: chat, n: 1, maxNewTokens: 10, sampling: { temperature: 0 }, logprobs: { topK: 10 } })).rejects.toThrow(/not supported by this server: the server gives at most 5/);
    await expect(generate({ prompt: { kind: 'raw', text: 'x' }, n: 1, maxNewTokens: 10, sampling: { temperature: 0 } })).rejects.toBeInstanceOf(RemoteUnsupportedError);
    await expect(
      generate({ prompt: chat, n: 1, maxNewTokens: 10, sampling: { temperature: 0 }, thinking: { endMarker: '</think>', budgetTokens: 4, forcedText: '\n</think>\n\n' } }),
    ).rejects.toThrow(/continue_final_message/);
    await expect(
      generate({ prompt: chat, n: 1, maxNewTokens: 10, sampling: { temperature: 0 }, thinking: { endMarker: '</think>', extend: { times: 1, text: 'Wait' } } }),
    ).rejects.toThrow(/extending thinking .* not supported by this server: .*only the local engine/);
    expect(server.bodies).toHaveLength(0);
  });

  it('cancels in-flight and waiting requests when the signal aborts', async () => {
    const server = ignoringN();
    const slowFetch: FetchLike = (url, init) =>
      new Promise((resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        setTimeout(() => resolve(server.fetch(url, init)), 5_000);
      });
    const generate = createRemoteGenerate({ connection: { baseUrl: 'http://x/v1', fetch: slowFetch }, capabilities: CAPS, concurrency: 1 });
    const controller = new AbortController();
    const pending = generate({ prompt: { kind: 'chat', messages: [{ role: 'user', content: 'q' }] }, n: 3, maxNewTokens: 10, sampling: { temperature: 1, seed: 1 }, signal: controller.signal });
    setTimeout(() => controller.abort(new DOMException('stop', 'AbortError')), 20);
    const started = Date.now();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
