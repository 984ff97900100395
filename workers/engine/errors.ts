/** Why a model failed to load; the app maps each to its way forward. */
export type LoadFailureReason =
  | 'missing-file'
  | 'corrupt-file'
  | 'unsupported-architecture'
  | 'fp16-unsupported'
  | 'out-of-memory'
  | 'device-lost'
  | 'runtime-unavailable'
  | 'unknown';

const HINTS: Record<LoadFailureReason, string> = {
  'missing-file': 'Put the file in the model folder (or download the model again), or pick another model.',
  'corrupt-file':
    'The file is damaged or not what it claims to be (a dev server answers a missing file with index.html); replace it.',
  'unsupported-architecture': 'Transformers.js has no causal LM class for this model_type; pick a llama/qwen2/qwen3/phi3/gemma/gpt2 model.',
  'fp16-unsupported': 'This GPU adapter lacks shader-f16; choose fp32, q8 or q4 weights, or the WASM device.',
  'out-of-memory': 'The model does not fit in memory; choose a smaller model or dtype (q8/q4).',
  'device-lost': 'The GPU device was lost; load again, or switch to WASM.',
  'runtime-unavailable': 'The ONNX runtime files could not be fetched; serve them from the app (wasmPaths).',
  unknown: 'Try loading again, or pick another model or device.',
};

/** A model could not be loaded. Names the model and, where known, the file. */
export class ModelLoadError extends Error {
  override readonly name = 'ModelLoadError' as const;
  readonly modelId: string;
  readonly file: string | null;
  readonly reason: LoadFailureReason;
  readonly hint: string;

  constructor(details: { modelId: string; file: string | null; reason: LoadFailureReason; detail: string }, options?: { cause?: unknown }) {
    const hint = HINTS[details.reason];
    const where = details.file ? `file ${details.file}` : 'unknown file';
    super(`Could not load model ${details.modelId} (${where}): ${details.detail}. ${hint}`, options);
    this.modelId = details.modelId;
    this.file = details.file;
    this.reason = details.reason;
    this.hint = hint;
  }
}

const REASON_PATTERNS: ReadonlyArray<[LoadFailureReason, RegExp]> = [
  ['device-lost', /device (was |is )?lost/i],
  ['out-of-memory', /out of memory|allocation failed|Array buffer allocation|maximum buffer size/i],
  ['runtime-unavailable', /no available backend/i],
  ['fp16-unsupported', /shader-f16|float16.*not supported/i],
  ['unsupported-architecture', /unsupported model type|Unknown model class|not supported.*architecture/i],
  ['missing-file', /could not locate file|not found|ENOENT|404/i],
  ['corrupt-file', /protobuf parsing failed|failed to load model|invalid model|Unexpected token|JSON/i],
];

/**
 * Classifies a raw failure from Transformers.js / onnxruntime (plain Errors with free text).
 * The file is the one the message names, else config.json for an unknown architecture, else
 * the weights file for session errors, else the last file the load started but did not finish.
 */
export function toModelLoadError(
  error: unknown,
  context: { modelId: string; unfinishedFiles: readonly string[]; weightsFile: string },
): ModelLoadError {
  if (error instanceof ModelLoadError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const reason = REASON_PATTERNS.find(([, pattern]) => pattern.test(message))?.[0] ?? 'unknown';
  const named = /((?:[\w.-]+\/)*[\w.-]+\.(?:onnx_data|onnx|json))/.exec(message)?.[1];
  const sessionError = /session|protobuf|onnx/i.test(message);
  const file =
    (named ? trimToModelPath(named, context.weightsFile) : null) ??
    (reason === 'unsupported-architecture' ? 'config.json' : null) ??
    (sessionError || reason === 'corrupt-file' ? context.weightsFile : null) ??
    context.unfinishedFiles.at(-1) ??
    null;
  const detail = message.split('\n', 1)[0].slice(0, 300);
  return new ModelLoadError({ modelId: context.modelId, file, reason, detail }, { cause: error });
}

/** Messages carry full paths or URLs; report the path inside the model folder. */
function trimToModelPath(path: string, weightsFile: string): string {
  if (path.endsWith(weightsFile)) return weightsFile;
  const onnx = path.lastIndexOf('onnx/');
  if (onnx >= 0) return path.slice(onnx);
  return path.split('/').at(-1) ?? path;
}
