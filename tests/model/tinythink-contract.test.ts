/**
 * The shipped embedded model against the contract Transformers.js 4.x relies on
 * (../shared/reference/transformers-js.md): config, tokenizer files, graph inputs/outputs, the
 * `batch_size` axis, layer count, and the q8 file's weight-only int8 layout.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InferenceSession } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { EMBEDDED_MODEL_DIR } from '../../workers/engine/node';
import { ONNX_FLOAT, ONNX_INT8, readOnnxGraph } from '../../tools/tinythink/onnx-proto';

const dir = EMBEDDED_MODEL_DIR;
const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, file), 'utf8'));
const config = readJson('config.json');
const layers = Number(config.num_hidden_layers);
const kvHeads = Number(config.num_key_value_heads);
const headDim = Number(config.head_dim);

function folderBytes(path: string): number {
  return readdirSync(path).reduce((sum, name) => {
    const full = join(path, name);
    const stat = statSync(full);
    return sum + (stat.isDirectory() ? folderBytes(full) : stat.size);
  }, 0);
}

describe('tinythink config and tokenizer files', () => {
  it('is a llama with consistent sizes, EOS <|im_end|> and pad <|endoftext|>', () => {
    expect(config.model_type).toBe('llama');
    expect(layers).toBeGreaterThan(0);
    expect(headDim * Number(config.num_attention_heads)).toBe(config.hidden_size);
    expect(Number(config.num_attention_heads) % kvHeads).toBe(0);
    const tokenizer = readJson('tokenizer.json') as { added_tokens: { id: number; content: string }[] } & Record<string, unknown>;
    const ids = Object.fromEntries(tokenizer.added_tokens.map((t) => [t.content, t.id]));
    expect(Object.keys(ids).sort()).toEqual(['</think>', '<think>', '<|endoftext|>', '<|im_end|>', '<|im_start|>']);
    expect(config.eos_token_id).toBe(ids['<|im_end|>']);
    expect(config.pad_token_id).toBe(ids['<|endoftext|>']);
    for (const key of ['model', 'decoder', 'post_processor', 'pre_tokenizer', 'normalizer']) expect(tokenizer).toHaveProperty(key);
    expect(tokenizer.decoder).toEqual({ type: 'Fuse' });
    const model = tokenizer.model as { type: string; merges: unknown[]; vocab: Record<string, number> };
    expect(model.type).toBe('BPE');
    expect(model.merges).toEqual([]);
    expect(Object.keys(model.vocab).every((token) => token.length === 1 || token in ids)).toBe(true);
    expect(Object.keys(model.vocab)).toHaveLength(Number(config.vocab_size));
  });

  it('has a left-padding tokenizer config with a template that takes enable_thinking', () => {
    const tc = readJson('tokenizer_config.json');
    expect(tc.padding_side).toBe('left');
    expect(tc.eos_token).toBe('<|im_end|>');
    expect(tc.pad_token).toBe('<|endoftext|>');
    expect(String(tc.chat_template)).toContain('enable_thinking');
    expect(readJson('generation_config.json').eos_token_id).toBe(config.eos_token_id);
  });

  it('fits in 16 MB with both ONNX variants, reference.json and a model card', () => {
    for (const file of ['onnx/model.onnx', 'onnx/model_quantized.onnx', 'reference.json', 'README.md']) {
      expect(statSync(join(dir, file)).size).toBeGreaterThan(0);
    }
    expect(folderBytes(dir)).toBeLessThanOrEqual(16 * 1024 * 1024);
  });
});

describe.each(['model.onnx', 'model_quantized.onnx'])('graph contract of onnx/%s', (file) => {
  const pastNames = Array.from({ length: layers }, (_, i) => [`past_key_values.${i}.key`, `past_key_values.${i}.value`]).flat();
  const presentNames = Array.from({ length: layers }, (_, i) => [`present.${i}.key`, `present.${i}.value`]).flat();

  it('declares the decoder inputs and outputs, one past/present pair per config layer', async () => {
    const session = await InferenceSession.create(join(dir, 'onnx', file));
    try {
      expect(session.inputNames).toEqual(['input_ids', 'attention_mask', 'position_ids', ...pastNames]);
      expect(session.outputNames).toEqual(['logits', ...presentNames]);
      const inputs = new Map(session.inputMetadata.map((m) => [m.name, m]));
      for (const meta of [...session.inputMetadata, ...session.outputMetadata]) {
        if (!meta.isTensor) throw new Error(`${meta.name} is not a tensor`);
        // Transformers.js builds the empty cache from these dims: batch must be named exactly batch_size.
        expect(meta.shape[0], meta.name).toBe('batch_size');
      }
      for (const name of pastNames) {
        const meta = inputs.get(name);
        if (!meta?.isTensor) throw new Error(`${name} missing`);
        expect(meta.type).toBe('float32');
        expect(meta.shape).toEqual(['batch_size', kvHeads, 'past_sequence_length', headDim]);
      }
      for (const name of ['input_ids', 'attention_mask', 'position_ids']) {
        const meta = inputs.get(name);
        expect(meta?.isTensor && meta.type).toBe('int64');
      }
    } finally {
      await session.release();
    }
  });
});

describe('weight-only int8 in model_quantized.onnx', () => {
  const fp32 = readOnnxGraph(readFileSync(join(dir, 'onnx/model.onnx')));
  const q8 = readOnnxGraph(readFileSync(join(dir, 'onnx/model_quantized.onnx')));

  it('feeds every weight MatMul through DequantizeLinear of an int8 initializer', () => {
    const initializers = new Map(q8.initializers.map((i) => [i.name, i]));
    const producers = new Map(q8.nodes.flatMap((n) => n.outputs.map((o) => [o, n] as const)));
    const weightMatMuls = q8.nodes.filter((n) => n.opType === 'MatMul' && producers.get(n.inputs[1])?.opType === 'DequantizeLinear');
    // One weight MatMul per projection: q, k, v, o, gate, up, down per layer, plus the LM head.
    expect(weightMatMuls).toHaveLength(7 * layers + 1);
    for (const matmul of weightMatMuls) {
      const dq = producers.get(matmul.inputs[1]);
      expect(initializers.get(dq?.inputs[0] ?? '')?.dataType).toBe(ONNX_INT8);
    }
    expect(q8.nodes.filter((n) => n.opType === 'MatMul' && initializers.get(n.inputs[1])?.dataType === ONNX_FLOAT)).toEqual([]);
  });

  it('leaves the fp32 graph unquantized', () => {
    expect(fp32.nodes.some((n) => n.opType === 'DequantizeLinear')).toBe(false);
    expect(fp32.initializers.some((i) => i.dataType === ONNX_INT8)).toBe(false);
  });
});
