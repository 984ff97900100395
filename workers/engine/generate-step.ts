import { DynamicCache, Tensor } from '@huggingface/transformers';
import type { GenerateRequest, TokenEvent } from '../../src/lib/generate';
import { BatchStreamer, asGenerateStreamer } from './batch-streamer';
import type { ModelParts } from './model-parts';
import type { LogprobsRecorder } from './logprobs';
import { prefillOnce } from './prefill-once';
import type { RowCutter } from './row-cutter';
import type { SamplingOptions } from './sampling';
import { AbortCriteria, RowsFinishedCriteria } from './stopping';

/** What a request runs on; built once per engine. */
export interface RunContext {
  parts: ModelParts;
  eosIds: ReadonlySet<number>;
  /** Prefill the prompt once and repeat its KV cache for the rows (prefill-once.ts); false prefills every row. */
  prefillOnce: boolean;
}

export interface Step {
  ctx: RunContext;
  rows: RowCutter[];
  request: GenerateRequest;
  sampling: SamplingOptions;
  now: () => number;
  emit: (row: number, event: TokenEvent) => void;
  /** Set when the request asked for logprobs; shared by both phases of a budget cut. */
  recorder: LogprobsRecorder | null;
}

export interface StepResult {
  promptAtMs: number;
  cache: DynamicCache;
}

/**
 * One `generate` call: every row starts from the same prompt (all the same length, so no
 * padding). The caller owns (and must dispose) the returned cache.
 */
export async function generateStep(step: Step, promptIds: readonly number[], maxNewTokens: number): Promise<StepResult> {
  const streamer = new BatchStreamer(step.rows, step.now, step.emit, (row, id, atMs) => accepted(step, row, id, atMs));
  const { model } = step.ctx.parts;
  const rows = step.rows.length;
  const output = await (step.ctx.prefillOnce ? prefillOnce(model, rows) : model).generate({
    input_ids: repeatedTensor(promptIds.map(BigInt), rows),
    attention_mask: repeatedTensor(promptIds.map(() => 1n), rows),
    max_new_tokens: maxNewTokens,
    min_new_tokens: 0,
    eos_token_id: [...step.ctx.eosIds],
    ...step.sampling,
    stopping_criteria: [new RowsFinishedCriteria(step.rows), new AbortCriteria(step.request.signal)],
    streamer: asGenerateStreamer(streamer),
    return_dict_in_generate: true,
  });
  const { past_key_values } = parseDictOutput(output);
  return { promptAtMs: streamer.promptAtMs ?? step.now(), cache: past_key_values };
}

/** After a row counted a token: record its logprobs, then ask `stopWhen` whether to end the row. */
function accepted(step: Step, row: number, id: number, atMs: number): void {
  step.recorder?.commit(row, id);
  const stopWhen = step.request.stopWhen;
  const cutter = step.rows[row];
  if (!stopWhen || cutter.done) return;
  const confidences = step.recorder?.confidences(row) ?? EMPTY;
  if (!stopWhen(row, { tokens: cutter.tokens, confidences })) return;
  const event = cutter.terminate(atMs);
  if (event) step.emit(row, event);
}

const EMPTY = new Float32Array(0);

function parseDictOutput(output: unknown): { sequences: Tensor; past_key_values: DynamicCache } {
  if (output && typeof output === 'object' && 'sequences' in output && 'past_key_values' in output) {
    const { sequences, past_key_values } = output;
    if (sequences instanceof Tensor && past_key_values instanceof DynamicCache) return { sequences, past_key_values };
  }
  throw new Error('generate() did not return { sequences, past_key_values } (return_dict_in_generate)');
}

/** `rows` copies of one row of ids, as an int64 [rows, width] tensor. */
function repeatedTensor(row: readonly bigint[], rows: number): Tensor {
  const data = new BigInt64Array(rows * row.length);
  for (let i = 0; i < rows; i++) data.set(row, i * row.length);
  return new Tensor('int64', data, [rows, row.length]);
}
