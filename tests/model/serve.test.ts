/**
 * `thinkbench serve` with the real embedded model over real HTTP on 127.0.0.1, and the remote
 * backend against it: the curl request of the issue (n=3, logprobs, top_logprobs=2), the
 * remote Generate giving the engine's own samples, error bodies, the bounded queue, streaming,
 * and `bench --backend` matching the local run's accuracy on the same seed.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExperimentExport } from '../../src/lib/experiments/export-import';
import { promisify } from 'node:util';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNodeEngine } from '../../workers/engine/node';
import type { Engine } from '../../workers/engine/engine';
import { engineHasLogprobs, startServer, type RunningServer } from '../../cli/serve/server';
import { probeServer } from '../../src/lib/backends/openai/probe';
import { createRemoteGenerate } from '../../src/lib/backends/openai/remote-generate';
import type { GenerateRequest } from '../../src/lib/generate';
import type { StrategySummary } from '../../src/lib/experiments/summary';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';
import { MODEL_DIR } from './engine-fixture';

const exec = promisify(execFile);

let engine: Engine;
let running: RunningServer;

beforeAll(async () => {
  engine = await loadNodeEngine({ modelDir: MODEL_DIR });
  running = await startServer({ engine, host: '127.0.0.1', port: 0, queueLimit: 2, logprobs: await engineHasLogprobs(engine) });
});

afterAll(async () => {
  await running?.close();
  await engine?.dispose();
});

async function post(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${running.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

interface ChatChoice {
  index: number;
  message: { content: string };
  finish_reason: string;
  logprobs: { content: { token: string; logprob: number; top_logprobs: { token: string; logprob: number }[] }[] } | null;
}

describe('thinkbench serve', () => {
  it('answers curl with n=3, logprobs and top_logprobs=2: three choices, each with per-token logprobs', async () => {
    const body = JSON.stringify({ model: 'thinkbench/tinythink', messages: [{ role: 'user', content: 'What is 12 + 7?' }], n: 3, logprobs: true, top_logprobs: 2, max_tokens: 24, temperature: 0.8, seed: 3 });
    const { stdout } = await exec('curl', ['-sS', `${running.baseUrl}/chat/completions`, '-H', 'content-type: application/json', '-d', body]);
    const json = JSON.parse(stdout) as { choices: ChatChoice[]; usage: { completion_tokens: number } };
    expect(json.choices).toHaveLength(3);
    let tokens = 0;
    for (const choice of json.choices) {
      const content = choice.logprobs?.content ?? [];
      expect(content.length).toBeGreaterThan(0);
      tokens += content.length;
      // The tokens' texts make up the message (EOS, which has no text, may end it).
      expect(content.map((entry) => entry.token).join('')).toContain(choice.message.content);
      for (const entry of content) {
        expect(entry.logprob).toBeLessThanOrEqual(0);
        expect(entry.top_logprobs).toHaveLength(2);
        expect(entry.top_logprobs[0].logprob).toBeGreaterThanOrEqual(entry.top_logprobs[1].logprob);
        expect(entry.top_logprobs[0].logprob).toBeGreaterThanOrEqual(entry.logprob);
      }
    }
    expect(json.usage.completion_tokens).toBe(tokens);
  });

  it('gives the remote Generate exactly the engine\'s own samples and logprobs for the same request', async () => {
    const capabilities = await probeServer({ connection: { baseUrl: running.baseUrl } });
    expect(capabilities).toMatchObject({ honoursN: true, logprobs: true, topLogprobsCap: 20, seedReproducible: true, completions: true, continueFinalMessage: true, thinkTags: true });
    const remote = createRemoteGenerate({ connection: { baseUrl: running.baseUrl }, capabilities, concurrency: 2 });
    const request: GenerateRequest = {
      prompt: { kind: 'chat', messages: [{ role: 'user', content: 'What is 35 + 48?' }] },
      n: 3,
      maxNewTokens: 96,
      sampling: { temperature: 0.8, topK: 20, seed: 11 },
      thinking: { endMarker: '</think>' },
      logprobs: { topK: 3 },
    };
    const streamed: string[] = ['', '', ''];
    const [local, viaServer] = [await engine.generate(request), await remote({ ...request, onToken: (row, token) => (streamed[row] += token.text) })];
    expect(viaServer.map((s) => s.text)).toEqual(local.map((s) => s.text));
    expect(streamed).toEqual(local.map((s) => s.text));
    expect(viaServer.map((s) => [s.tokens, s.thinkingTokens, s.answerTokens, s.finishReason])).toEqual(local.map((s) => [s.tokens, s.thinkingTokens, s.answerTokens, s.finishReason]));
    for (let i = 0; i < 3; i += 1) {
      expect(viaServer[i].logprobs?.tokenTexts).toEqual(local[i].logprobs?.tokenTexts);
      expect(Array.from(viaServer[i].logprobs?.logprobs ?? [])).toEqual(Array.from(local[i].logprobs?.logprobs ?? []));
      expect(viaServer[i].logprobs?.topTexts).toEqual(local[i].logprobs?.topTexts);
      expect(viaServer[i].timings.ttftMs).toBeGreaterThan(0);
    }
  });

  it('cuts a thinking budget remotely through continue_final_message', async () => {
    const capabilities = await probeServer({ connection: { baseUrl: running.baseUrl } });
    const remote = createRemoteGenerate({ connection: { baseUrl: running.baseUrl }, capabilities, concurrency: 1 });
    const [sample] = await remote({
      prompt: { kind: 'chat', messages: [{ role: 'user', content: 'What is 35 + 48 + 17 + 22?' }] },
      n: 1,
      maxNewTokens: 40,
      sampling: { temperature: 0 },
      thinking: { endMarker: '</think>', budgetTokens: 12, forcedText: '\n</think>\n\n' },
    });
    expect(sample.budgetCut).toBe(true);
    expect(sample.thinkingTokens).toBe(12);
    expect(sample.text).toContain('\n</think>\n\n');
    expect(sample.text.indexOf('\n</think>\n\n')).toBeGreaterThan(0);
    expect(sample.tokens).toBeGreaterThan(12);
  });

  it('a budget of 0 thinking tokens goes straight to the forced answer, as the local engine does', async () => {
    const capabilities = await probeServer({ connection: { baseUrl: running.baseUrl } });
    const remote = createRemoteGenerate({ connection: { baseUrl: running.baseUrl }, capabilities, concurrency: 1 });
    const request: GenerateRequest = {
      prompt: { kind: 'chat', messages: [{ role: 'user', content: 'What is 35 + 48?' }] },
      n: 2,
      maxNewTokens: 16,
      sampling: { temperature: 0 },
      thinking: { endMarker: '</think>', budgetTokens: 0, forcedText: '\n</think>\n\n' },
    };
    const [local, viaServer] = [await engine.generate(request), await remote(request)];
    expect(viaServer.map((s) => [s.text, s.thinkingTokens, s.budgetCut])).toEqual(local.map((s) => [s.text, s.thinkingTokens, s.budgetCut]));
    expect(viaServer[0].text.startsWith('\n</think>\n\n')).toBe(true);
  });

  it('answers bad requests with OpenAI-style error bodies and the right status', async () => {
    const cases: [string, unknown, number, RegExp][] = [
      ['/chat/completions', '{not json', 400, /not valid JSON/],
      ['/chat/completions', { model: 'thinkbench/tinythink' }, 422, /messages is required/],
      ['/chat/completions', { messages: [{ role: 'user', content: 'x' }], n: 'three' }, 422, /n must be a whole number/],
      ['/chat/completions', { messages: [{ role: 'user', content: 'x' }], model: 'gpt-4' }, 404, /does not exist/],
      ['/chat/completions', { messages: [{ role: 'assistant', content: 'x' }], continue_final_message: true }, 400, /cannot both be true/],
      ['/chat/completions', { messages: [{ role: 'user', content: 'x' }], top_logprobs: 2 }, 400, /needs logprobs/],
      ['/chat/completions', { messages: [{ role: 'user', content: 'x' }], presence_penalty: 1 }, 400, /not supported/],
      ['/completions', { prompt: [1, 2, 3] }, 400, /token-id prompts/],
      ['/nope', {}, 404, /no route/],
    ];
    for (const [path, body, status, message] of cases) {
      const answer = await post(path, body);
      expect(answer.status, JSON.stringify(body)).toBe(status);
      const error = answer.json.error as { message: string; type: string; code: number };
      expect(error.message).toMatch(message);
      expect(error.code).toBe(status);
      expect(typeof error.type).toBe('string');
    }
  });

  it('refuses with 429 once the queue is full, and serves again after', async () => {
    const long = { messages: [{ role: 'user', content: 'What is 35 + 48 + 17 + 22 + 91?' }], max_tokens: 200, temperature: 0 };
    // Three at once into a queue of two: whichever arrives last is refused, the others served.
    const answers = await Promise.all([post('/chat/completions', long), post('/chat/completions', long), post('/chat/completions', long)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 429]);
    const refused = answers.find((answer) => answer.status === 429);
    expect((refused?.json.error as { type: string }).type).toBe('rate_limit_error');
    expect((await post('/chat/completions', { ...long, max_tokens: 2 })).status).toBe(200);
  });

  it('streams SSE chunks whose text concatenates to the whole answer, then usage and [DONE], with CORS', async () => {
    const body = { messages: [{ role: 'user', content: 'What is 2 + 3?' }], max_tokens: 40, temperature: 0, stream: true, stream_options: { include_usage: true } };
    const response = await fetch(`${running.baseUrl}/chat/completions`, { method: 'POST', body: JSON.stringify(body), headers: { origin: 'http://example.test' } });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const events = (await response.text()).split('\n\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6));
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((data) => JSON.parse(data) as { choices: { delta: { content?: string } }[]; usage?: { completion_tokens: number } });
    const text = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta.content ?? '')).join('');
    const whole = await post('/chat/completions', { ...body, stream: false });
    expect(text).toBe((whole.json.choices as ChatChoice[])[0].message.content);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe((whole.json.usage as { completion_tokens: number }).completion_tokens);
  });
});

/** `thinkbench bench` in this process; returns the summary rows. */
async function benchRows(args: string[]): Promise<StrategySummary[]> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) => new Writable({ write: (chunk: Buffer, _e, done) => (append(chunk.toString()), done()) });
  const io: CliIo = { stdout: sink((t) => (stdout += t)), stderr: sink((t) => (stderr += t)), stdin: Readable.from([]) };
  const code = await main(['bench', ...args, '--summary-json'], io);
  expect(code, stderr).toBe(0);
  return stdout.trim().split('\n').map((line) => JSON.parse(line) as StrategySummary);
}

describe('bench --backend against serve', () => {
  it('gives the local run\'s accuracy on the same seed (within its CI; here identical, as serve honours n and seed)', async () => {
    const args = ['--n', '8', '--seed', '5', '--strategy', 'cot', '--strategy', 'self-consistency:k=3', '--max-new-tokens', '160'];
    const dir = mkdtempSync(join(tmpdir(), 'thinkbench-remote-'));
    const out = join(dir, 'run.json');
    const local = await benchRows([...args, '--model', MODEL_DIR]);
    const remote = await benchRows([...args, '--backend', running.baseUrl, '--concurrency', '2', '--out', out]);
    // The export records the server and what its probe found, and the app's import reads it back.
    const imported = parseExperimentExport(readFileSync(out, 'utf8'));
    rmSync(dir, { recursive: true, force: true });
    expect(imported.experiment.spec.model).toEqual({ id: 'thinkbench/tinythink', dtype: 'remote', device: `server ${running.baseUrl}` });
    expect(imported.experiment.manifest?.server).toMatchObject({ baseUrl: running.baseUrl, honoursN: true, continueFinalMessage: true });
    for (const [i, row] of local.entries()) {
      const other = remote[i];
      console.log(`${row.strategy}: local ${row.correct}/${row.n} [${row.ciLow.toFixed(3)}, ${row.ciHigh.toFixed(3)}], remote ${other.correct}/${other.n}`);
      expect(other.strategy).toBe(row.strategy);
      expect(other.n).toBe(row.n);
      expect(other.accuracy).toBeGreaterThanOrEqual(row.ciLow);
      expect(other.accuracy).toBeLessThanOrEqual(row.ciHigh);
      expect(other.correct).toBe(row.correct);
      expect(other.meanTokens).toBe(row.meanTokens);
    }
  });
});
