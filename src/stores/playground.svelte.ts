/**
 * One prompt at a time against one model: the Playground's settings, the streamed chain and
 * answer, the run's metrics, and Run/Stop. Loading goes through `modelsLoading`, generation
 * through the inference client, so the page itself holds no logic.
 */
import type { Dtype } from '../client/engine-types';
import { InferenceError } from '../client/errors';
import type { InferenceClient } from '../client/inference-client';
import type { Sample, TokenEvent } from '../lib/generate';
import { reasoningFormat } from '../lib/formats/reasoning-format';
import { chooseDtype } from '../lib/models/catalog';
import { deviceStore, type DeviceStore } from './device.svelte';
import { inferenceClient } from './inference';
import { EMBEDDED_MODEL, localModelChoice, type ModelChoice } from './model-choices';
import { modelsLoading, type LoadTarget, type ModelsLoadingStore } from './models-loading.svelte';

export type RunStatus = 'idle' | 'loading' | 'generating' | 'stopping';

export class PlaygroundStore {
  #model = $state<ModelChoice>(EMBEDDED_MODEL);
  #dtypeChoice = $state<Dtype | 'auto'>('auto');
  // The form's own values: public so inputs bind to them directly; nothing derives from them
  // until `run()` reads them, so there is no invariant for a setter to guard.
  prompt = $state('What is 23 + 45 - 12?');
  thinking = $state(true);
  temperature = $state(0);
  topK = $state(50);
  topP = $state(1);
  seed = $state(0);
  maxNewTokens = $state(160);

  #status = $state<RunStatus>('idle');
  #thinkingText = $state('');
  #answerText = $state('');
  #streamedTokens = $state(0);
  #sample = $state<Sample | null>(null);
  #error = $state<InferenceError | null>(null);
  #controller: AbortController | null = null;

  #device: DeviceStore;
  #loading: ModelsLoadingStore;
  #client: () => InferenceClient;

  constructor(device: DeviceStore = deviceStore, loading: ModelsLoadingStore = modelsLoading, client = inferenceClient) {
    this.#device = device;
    this.#loading = loading;
    this.#client = client;
  }

  get model(): ModelChoice {
    return this.#model;
  }

  get dtypeChoice(): Dtype | 'auto' {
    return this.#dtypeChoice;
  }

  /** The weights that will be loaded: the user's choice, else the best the device can run. */
  get dtype(): Dtype {
    if (this.#dtypeChoice !== 'auto') return this.#dtypeChoice;
    return chooseDtype(this.#model, this.#device.device ?? 'wasm', this.#device.hasShaderF16);
  }

  get status(): RunStatus {
    return this.#status;
  }

  get busy(): boolean {
    return this.#status !== 'idle';
  }

  /** The chain so far, think tags removed. */
  get thinkingText(): string {
    return reasoningFormat(this.#model.reasoning).split(this.#thinkingText).thinking;
  }

  get answerText(): string {
    return this.#answerText.trim();
  }

  get streamedTokens(): number {
    return this.#streamedTokens;
  }

  /** The finished (or stopped) sample with its timings; null while running. */
  get sample(): Sample | null {
    return this.#sample;
  }

  get error(): InferenceError | null {
    return this.#error;
  }

  selectModel(model: ModelChoice): void {
    this.#model = model;
    this.#dtypeChoice = 'auto';
  }

  selectLocalModel(id: string): void {
    this.selectModel(localModelChoice(id.trim()));
  }

  chooseDtype(dtype: Dtype | 'auto'): void {
    this.#dtypeChoice = dtype;
  }

  /** Loads the selected model on the chosen device (also used on page open). */
  async prepare(): Promise<void> {
    this.#error = null;
    // Start the worker now: its script loads while the adapter is detected, off the first answer's path.
    this.#client();
    await this.#device.detect();
    try {
      await this.#loading.ensure(this.#target());
    } catch (error) {
      const typed = asInferenceError(error, this.#model.id);
      // A run in progress reports its own load; a load replaced by a newer one is no failure.
      if (this.#status === 'idle' && typed.name !== 'LoadCancelledError') this.#error = typed;
    }
  }

  async run(): Promise<void> {
    if (this.busy) return;
    const controller = new AbortController();
    this.#controller = controller;
    this.#thinkingText = '';
    this.#answerText = '';
    this.#streamedTokens = 0;
    this.#sample = null;
    this.#error = null;
    try {
      this.#status = 'loading';
      await this.#device.detect();
      await this.#loading.ensure(this.#target());
      if (controller.signal.aborted) return;
      this.#status = 'generating';
      const format = reasoningFormat(this.#model.reasoning);
      const [sample] = await this.#client().generate({
        prompt: format.prompt(this.prompt, { thinking: this.thinking }),
        n: 1,
        maxNewTokens: this.maxNewTokens,
        sampling: { temperature: this.temperature, topK: this.topK, topP: this.topP, seed: this.seed },
        thinking: format.thinkingControl(),
        // For the per-token confidence view; measured at under 10% of decode time (BENCHMARKS.md 6).
        logprobs: { topK: 5 },
        signal: controller.signal,
        onToken: (_row, token) => this.#append(token),
      });
      this.#sample = sample ?? null;
    } catch (error) {
      this.#error = asInferenceError(error, this.#model.id);
    } finally {
      this.#controller = null;
      this.#status = 'idle';
    }
  }

  /** Asks the engine to stop after the current decode step; what was produced is kept. */
  stop(): void {
    if (!this.#controller || this.#controller.signal.aborted) return;
    this.#status = 'stopping';
    this.#controller.abort();
  }

  #append(token: TokenEvent): void {
    this.#streamedTokens += 1;
    if (token.phase === 'answer') this.#answerText += token.text;
    else this.#thinkingText += token.text;
  }

  #target(): LoadTarget {
    return {
      modelId: this.#model.id,
      device: this.#device.device ?? 'wasm',
      dtype: this.dtype,
      hasShaderF16: this.#device.hasShaderF16,
    };
  }
}

function asInferenceError(error: unknown, modelId: string): InferenceError {
  if (error instanceof InferenceError) return error;
  return new InferenceError('EngineError', error instanceof Error ? error.message : String(error), { modelId });
}

export const playground = new PlaygroundStore();
