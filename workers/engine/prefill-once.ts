import { Tensor, type PreTrainedModel } from '@huggingface/transformers';

/** The inputs of one forward pass, as `generate` builds them (tensors plus the cache, if any). */
type ForwardInputs = Record<string, unknown>;
type ForwardOutputs = Record<string, Tensor>;

/** Inputs that hold one row per batch entry; the rest (`num_logits_to_keep`) are shared. */
const ROW_INPUTS = ['input_ids', 'attention_mask', 'position_ids'] as const;

/**
 * The model as `generate` should see it for `rows` rows that all hold the same prompt: its
 * first forward pass (the prefill: no cache yet) runs on one row, and the outputs are repeated
 * for every row — the last position's logits and each `present.*` tensor (the KV cache). Every
 * later pass (one new token per row on top of that cache) runs at the full batch as before.
 *
 * Everything else in `generate` is untouched: each row still samples its own first token from
 * those (identical) logits with its own draw from the sampler, in row order, through the same
 * logits processors, streamer and stopping criteria. So the samples are distributed exactly as
 * with `rows` separate prefills, and equal whenever the runtime computes a row the same at batch
 * 1 as at batch `rows` (onnxruntime's CPU kernels did on every graph checked:
 * tests/model/engine-prefill-once.test.ts, tests/tools/zoo.test.ts).
 *
 * The returned object delegates to `model` (it is `Object.create(model)` with its own
 * `forward`, which `generate` calls as `this.forward`), so the shared model is never modified.
 */
export function prefillOnce(model: PreTrainedModel, rows: number): PreTrainedModel {
  if (rows === 1) return model;
  const forked = Object.create(model) as PreTrainedModel;
  let prefilled = false;
  forked.forward = async (inputs: ForwardInputs): Promise<ForwardOutputs> => {
    const first = !prefilled;
    prefilled = true;
    if (!first || inputs.past_key_values) return (await model.forward(inputs)) as ForwardOutputs;
    const outputs = (await model.forward(firstRow(inputs, rows))) as ForwardOutputs;
    return await repeatOutputs(outputs, rows);
  };
  return forked;
}

function firstRow(inputs: ForwardInputs, rows: number): ForwardInputs {
  const one: ForwardInputs = { ...inputs };
  for (const name of ROW_INPUTS) {
    const tensor = inputs[name];
    if (!(tensor instanceof Tensor)) continue;
    if (tensor.dims[0] !== rows) throw new Error(`prefillOnce: ${name} has ${tensor.dims[0]} rows, expected ${rows}`);
    one[name] = tensor.slice([0, 1]);
  }
  return one;
}

async function repeatOutputs(outputs: ForwardOutputs, rows: number): Promise<ForwardOutputs> {
  const repeated: ForwardOutputs = {};
  for (const [name, tensor] of Object.entries(outputs)) {
    if (name === 'logits') repeated[name] = repeatRows(tensor.type, lastPosition(tensor), await hostData(tensor, true), rows);
    else if (name.startsWith('present')) repeated[name] = repeatRows(tensor.type, tensor.dims, await hostData(tensor), rows);
    else repeated[name] = tensor;
  }
  return repeated;
}

/**
 * The logits' shape with only the last position kept: `generate` reads no other, and a graph
 * without `num_logits_to_keep` returns every prompt position (prompt × vocabulary floats, which
 * repeated for every row would be the largest tensor of the request).
 */
function lastPosition(logits: Tensor): number[] {
  const [batch, , vocab] = logits.dims;
  return [batch, 1, vocab];
}

type TypedArray = Float32Array | Uint16Array | Int32Array | BigInt64Array | Uint8Array | Int8Array | Float64Array;

/**
 * The tensor's values on the CPU; `lastOnly` keeps the last `dims.at(-1)` values (the last
 * position's logits). A WebGPU cache tensor is downloaded, and its GPU buffer released: the
 * repeated cache is fed back from the CPU once, after which the graph's outputs are on the GPU again.
 */
async function hostData(tensor: Tensor, lastOnly = false): Promise<TypedArray> {
  const data = (tensor.location === 'gpu-buffer' ? await tensor.ort_tensor.getData(true) : tensor.data) as TypedArray;
  if (!lastOnly) return data;
  const width = tensor.dims.at(-1) ?? 0;
  return data.subarray(data.length - width);
}

/** `rows` copies of a batch-1 tensor along dimension 0 (also right for a `batch × heads` first axis). */
function repeatRows(type: Tensor['type'], dims: readonly number[], data: TypedArray, rows: number): Tensor {
  if (dims[0] !== 1) throw new Error(`prefillOnce: expected a batch of 1 from the prefill, got dims [${dims.join(', ')}]`);
  const Typed = data.constructor as new (length: number) => TypedArray;
  const out = new Typed(data.length * rows);
  for (let row = 0; row < rows; row++) out.set(data as never, row * data.length);
  return new Tensor(type, out, [rows, ...dims.slice(1)]);
}
