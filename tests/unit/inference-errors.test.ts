import { describe, expect, it } from 'vitest';
import { classifyError, fromWire, InferenceError, toWire } from '../../src/client/errors';

const load = { modelId: 'org/model', phase: 'load' as const, files: ['config.json', 'tokenizer.json', 'onnx/model.onnx'] };

describe('classifyError', () => {
  it.each([
    ["Can't create a session. ERROR_CODE: 7, ERROR_MESSAGE: Failed to load model because protobuf parsing failed.", 'ModelFileError', 'onnx/model.onnx'],
    ['Could not locate file: "/models/org/model/onnx/model_quantized.onnx".', 'ModelFileError', 'models/org/model/onnx/model_quantized.onnx'],
    ['Unsupported model type: mamba_x', 'UnsupportedArchitectureError', 'onnx/model.onnx'],
    ['Device was lost. This can happen due to insufficient memory or other GPU constraints.', 'DeviceLostError', 'onnx/model.onnx'],
    ['RangeError: Array buffer allocation failed', 'OutOfMemoryError', 'onnx/model.onnx'],
    ['something nobody expected', 'EngineError', 'onnx/model.onnx'],
  ])('%s → %s', (message, name, file) => {
    const error = classifyError(new Error(message), load);
    expect(error.name).toBe(name);
    expect(error.file).toBe(file);
    expect(error.message).toContain('org/model');
    expect(error.message).toContain(file);
  });

  it('names the last file fetched when the message names none and is not about the session', () => {
    const error = classifyError(new SyntaxError('Unexpected token < in JSON at position 0'), {
      modelId: 'org/model',
      phase: 'load',
      files: ['config.json', 'tokenizer_config.json'],
    });
    expect(error).toMatchObject({ name: 'ModelFileError', file: 'tokenizer_config.json' });
  });

  it('leaves typed errors alone and survives the trip across the wire', () => {
    const typed = new InferenceError('Fp16UnsupportedError', 'no shader-f16', { modelId: 'org/model' });
    expect(classifyError(typed, load)).toBe(typed);
    const back = fromWire(toWire(typed));
    expect(back).toBeInstanceOf(InferenceError);
    expect(back).toMatchObject({ name: 'Fp16UnsupportedError', message: 'no shader-f16', modelId: 'org/model' });
    expect(fromWire({ name: 'TypeError', message: 'x' }).name).toBe('EngineError');
  });
});
