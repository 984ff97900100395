import { describe, expect, it } from 'vitest';
import { InferenceError } from '../../src/client/errors';
import { WorkerInferenceClient, type WorkerLike } from '../../src/client/inference-client';
import type { WorkerMessage, WorkerRequest } from '../../src/client/protocol';
import type { Sample } from '../../src/lib/generate';

/** A scripted stand-in for the worker: records requests, replies when the test says so. */
class FakeWorker implements WorkerLike {
  requests: WorkerRequest[] = [];
  terminated = false;
  #onMessage: ((event: MessageEvent<WorkerMessage>) => void) | null = null;

  postMessage(message: WorkerRequest): void {
    this.requests.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  addEventListener(type: 'message' | 'error', listener: (event: never) => void): void {
    if (type === 'message') this.#onMessage = listener as (event: MessageEvent<WorkerMessage>) => void;
  }
  reply(message: WorkerMessage): void {
    this.#onMessage?.({ data: message } as MessageEvent<WorkerMessage>);
  }
}

function setup() {
  const workers: FakeWorker[] = [];
  const client = new WorkerInferenceClient(() => {
    const worker = new FakeWorker();
    workers.push(worker);
    return worker;
  });
  return { client, workers };
}

const loadParams = { modelId: 'm', device: 'wasm', dtype: 'q8', localModelPath: '/models/', allowRemoteModels: false, useBrowserCache: true } as const;
const info = { modelId: 'm', device: 'wasm', dtype: 'q8' } as const;

const sample: Sample = {
  text: 'hi',
  tokens: 2,
  thinkingTokens: 0,
  answerTokens: 2,
  finishReason: 'aborted',
  budgetCut: false,
  timings: { promptTokens: 3, ttftMs: 1, prefillMs: 1, decodeMs: 1, decodeTokensPerS: 1000, totalMs: 2 },
};

describe('WorkerInferenceClient', () => {
  it('correlates replies by id and forwards progress events before the result', async () => {
    const { client, workers } = setup();
    const progress: number[] = [];
    const loading = client.load(loadParams, (p) => progress.push(p.loadedBytes));
    const request = workers[0].requests[0];
    expect(request).toMatchObject({ kind: 'request', method: 'load' });
    workers[0].reply({ kind: 'event', id: request.id, method: 'load', event: { file: 'config.json', loadedBytes: 10, totalBytes: 20, filesDone: 0, filesTotal: 2 } });
    workers[0].reply({ kind: 'result', id: request.id, method: 'load', result: info });
    await expect(loading).resolves.toEqual(info);
    expect(progress).toEqual([10]);
    expect(client.loaded).toEqual(info);
  });

  it('turns an abort signal into an abort request and keeps what the worker returns', async () => {
    const { client, workers } = setup();
    const controller = new AbortController();
    const tokens: string[] = [];
    const generating = client.generate({
      prompt: { kind: 'raw', text: 'x' },
      n: 1,
      maxNewTokens: 8,
      sampling: { temperature: 0 },
      signal: controller.signal,
      onToken: (_row, token) => tokens.push(token.text),
    });
    const generate = workers[0].requests[0];
    expect(generate.method).toBe('generate');
    expect(generate.params).not.toHaveProperty('signal');
    workers[0].reply({ kind: 'event', id: generate.id, method: 'generate', event: { row: 0, token: { text: 'h', phase: 'answer', atMs: 1 } } });
    controller.abort();
    expect(workers[0].requests[1]).toMatchObject({ method: 'abort', params: { targetId: generate.id } });
    workers[0].reply({ kind: 'result', id: generate.id, method: 'generate', result: [sample] });
    await expect(generating).resolves.toEqual([sample]);
    expect(tokens).toEqual(['h']);
    expect(workers).toHaveLength(1);
  });

  it('rejects with the typed error and replaces the poisoned worker after a failed load', async () => {
    const { client, workers } = setup();
    let restarts = 0;
    client.onRestart(() => restarts++);
    const loading = client.load(loadParams);
    const request = workers[0].requests[0];
    workers[0].reply({
      kind: 'error',
      id: request.id,
      method: 'load',
      error: { name: 'ModelFileError', message: 'Loading m (file onnx/model.onnx) failed', modelId: 'm', file: 'onnx/model.onnx' },
    });
    const error = await loading.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InferenceError);
    expect(error).toMatchObject({ name: 'ModelFileError', modelId: 'm', file: 'onnx/model.onnx' });
    expect(workers[0].terminated).toBe(true);
    expect(workers).toHaveLength(2);
    expect(restarts).toBe(1);
    expect(client.loaded).toBeNull();

    // The fresh worker serves the next request.
    const retry = client.load(loadParams);
    workers[1].reply({ kind: 'result', id: workers[1].requests[0].id, method: 'load', result: info });
    await expect(retry).resolves.toEqual(info);
  });

  it('fails other pending calls when the worker is replaced', async () => {
    const { client, workers } = setup();
    const first = client.call('unload', {});
    const second = client.load(loadParams);
    workers[0].reply({ kind: 'error', id: workers[0].requests[1].id, method: 'load', error: { name: 'OutOfMemoryError', message: 'oom' } });
    await expect(second).rejects.toMatchObject({ name: 'OutOfMemoryError' });
    await expect(first).rejects.toMatchObject({ name: 'WorkerCrashedError' });
  });
});

describe('WorkerInferenceClient.load while another load runs', () => {
  it('cancels the older load by replacing the worker, and the newer one proceeds', async () => {
    const { client, workers } = setup();
    const older = client.load({ ...loadParams, device: 'webgpu', dtype: 'fp32' });
    const newer = client.load(loadParams);
    await expect(older).rejects.toMatchObject({ name: 'LoadCancelledError' });
    expect(workers[0].terminated).toBe(true);
    expect(workers[1].requests).toHaveLength(1);
    workers[1].reply({ kind: 'result', id: workers[1].requests[0].id, method: 'load', result: info });
    await expect(newer).resolves.toEqual(info);
  });
});

describe('WorkerInferenceClient.load on another device', () => {
  async function loadOn(client: WorkerInferenceClient, worker: FakeWorker, device: 'wasm' | 'webgpu'): Promise<void> {
    const loading = client.load({ ...loadParams, device });
    const request = worker.requests[worker.requests.length - 1];
    worker.reply({ kind: 'result', id: request.id, method: 'load', result: { ...info, device } });
    await loading;
  }

  it('keeps the worker for another model on the same device', async () => {
    const { client, workers } = setup();
    await loadOn(client, workers[0], 'wasm');
    await loadOn(client, workers[0], 'wasm');
    expect(workers).toHaveLength(1);
    expect(workers[0].terminated).toBe(false);
  });

  it('starts a new worker when the device changes (each device has its own runtime build)', async () => {
    const { client, workers } = setup();
    await loadOn(client, workers[0], 'wasm');
    const switching = client.load({ ...loadParams, device: 'webgpu' });
    expect(workers[0].terminated).toBe(true);
    expect(workers).toHaveLength(2);
    expect(workers[1].requests).toMatchObject([{ method: 'load', params: { device: 'webgpu' } }]);
    workers[1].reply({ kind: 'result', id: workers[1].requests[0].id, method: 'load', result: { ...info, device: 'webgpu' } });
    await expect(switching).resolves.toMatchObject({ device: 'webgpu' });
  });
});
