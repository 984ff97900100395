/**
 * Typed inference errors and how raw failures map onto them.
 *
 * The worker classifies whatever the engine threw (Transformers.js and onnxruntime throw plain
 * `Error`s with free-form text) into one of these names once, at the edge; after that the UI
 * switches on `name` only, never on message text.
 */
import type { WireError } from './protocol';

export interface ErrorDetails {
  modelId?: string;
  file?: string;
  hint?: string;
}

export const inferenceErrorNames = [
  'ModelFileError',
  'ModelNotDownloadedError',
  'UnsupportedArchitectureError',
  'Fp16UnsupportedError',
  'DeviceLostError',
  'OutOfMemoryError',
  'RuntimeUnavailableError',
  'WorkerCrashedError',
  'LoadCancelledError',
  'NoModelLoadedError',
  'EngineError',
] as const;
export type InferenceErrorName = (typeof inferenceErrorNames)[number];

export class InferenceError extends Error {
  override readonly name: InferenceErrorName;
  readonly modelId: string | undefined;
  readonly file: string | undefined;
  /** A way forward specific to this failure; the UI falls back to `remedies[name]`. */
  readonly hint: string | undefined;

  constructor(name: InferenceErrorName, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = name;
    this.modelId = details.modelId;
    this.file = details.file;
    this.hint = details.hint;
  }
}

export function isInferenceErrorName(name: string): name is InferenceErrorName {
  return (inferenceErrorNames as readonly string[]).includes(name);
}

/** Turns a wire error back into an `InferenceError` on the page side, stack kept. */
export function fromWire(wire: WireError): InferenceError {
  const name = isInferenceErrorName(wire.name) ? wire.name : 'EngineError';
  const error = new InferenceError(name, wire.message, { modelId: wire.modelId, file: wire.file, hint: wire.hint });
  if (wire.stack) error.stack = wire.stack;
  return error;
}

export function toWire(error: unknown): WireError {
  if (error instanceof InferenceError) {
    const { name, message, stack, modelId, file, hint } = error;
    return { name, message, stack, modelId, file, hint };
  }
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'EngineError', message: String(error) };
}

/** What was being touched when a raw error happened, to name it in the message. */
export interface FailureContext {
  modelId: string;
  /** Files requested while loading, in order (from the load progress). */
  files?: readonly string[];
  phase: 'load' | 'generate';
}

const patterns: ReadonlyArray<{ name: InferenceErrorName; test: RegExp }> = [
  { name: 'DeviceLostError', test: /device (was |is )?lost|GPUDevice.*lost|device_lost/i },
  { name: 'OutOfMemoryError', test: /out of memory|\bOOM\b|allocation failed|Array buffer allocation|memory access out of bounds|maximum buffer size/i },
  { name: 'UnsupportedArchitectureError', test: /unsupported model type|model_type|not supported.*architecture|Unknown model class|Unsupported model/i },
  { name: 'ModelFileError', test: /could not locate file|404|not found|protobuf parsing failed|failed to load model|invalid model|Unexpected token|JSON|fetch/i },
];

/** Maps a raw error from Transformers.js/onnxruntime to a typed one that names model and file. */
export function classifyError(error: unknown, context: FailureContext): InferenceError {
  if (error instanceof InferenceError) return error;
  const raw = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const name = patterns.find((p) => p.test.test(raw))?.name ?? 'EngineError';
  const file = fileFromMessage(raw) ?? likelyFile(raw, context.files ?? []);
  const where = file ? `${context.modelId} (file ${file})` : context.modelId;
  const verb = context.phase === 'load' ? 'Loading' : 'Generating with';
  const classified = new InferenceError(name, `${verb} ${where} failed: ${firstLine(raw)}`, {
    modelId: context.modelId,
    file,
  });
  if (error instanceof Error && error.stack) classified.stack = error.stack;
  return classified;
}

function fileFromMessage(message: string): string | undefined {
  const match = /["'`]?((?:[\w.-]+\/)*[\w.-]+\.(?:onnx|onnx_data|json))["'`]?/.exec(message);
  return match?.[1];
}

/** A session error is about the weights; anything else most likely about the last file fetched. */
function likelyFile(message: string, files: readonly string[]): string | undefined {
  if (/session|protobuf|onnx/i.test(message)) {
    const weights = files.filter((file) => /\.onnx(_data)?$/.test(file));
    if (weights.length) return weights[weights.length - 1];
  }
  return files[files.length - 1];
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? text;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** The way forward for each kind of failure, shown under the error. */
export const remedies: Record<InferenceErrorName, string> = {
  ModelNotDownloadedError:
    'Offline mode is on and this model is neither served by the app nor downloaded. Turn offline mode off and download it on the Models page, or pick a model marked available offline.',
  ModelFileError:
    'A model file is missing or damaged. Check the model folder (or download the model again), then load it again — or pick another model.',
  UnsupportedArchitectureError:
    "This model's architecture is not supported by the inference library. Pick a model of a supported family (llama, qwen2, qwen3, phi3, gemma, gpt2).",
  Fp16UnsupportedError:
    'This GPU adapter has no shader-f16 support, so fp16 weights cannot run on it. Choose fp32, q8 or q4 weights, or switch to WASM.',
  DeviceLostError:
    'The GPU device was lost (driver reset or the GPU was needed elsewhere). The worker was restarted; run again, or switch to WASM.',
  OutOfMemoryError:
    'The model did not fit in memory. Choose a smaller model or a smaller dtype (q4/q8), or lower max new tokens.',
  RuntimeUnavailableError:
    "The ONNX runtime's files could not be loaded from the app. Rebuild or reinstall the app (npm run build) and reload the page.",
  WorkerCrashedError: 'The inference worker stopped unexpectedly. It was restarted; run again.',
  LoadCancelledError: 'A newer load replaced this one.',
  NoModelLoadedError: 'Load a model first.',
  EngineError: 'The inference worker was restarted. Try again, or pick another model or device.',
};
