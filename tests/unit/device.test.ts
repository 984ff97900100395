import { describe, expect, it } from 'vitest';
import { defaultDtype, detectDevice, type GpuLike } from '../../src/client/device';

function gpu(adapter: Awaited<ReturnType<GpuLike['requestAdapter']>>): GpuLike {
  return { requestAdapter: async () => adapter };
}

describe('detectDevice', () => {
  it('picks WebGPU with the adapter name when an adapter is given', async () => {
    const detection = await detectDevice(gpu({ features: new Set<string>(), info: { vendor: 'google', architecture: 'swiftshader' } }));
    expect(detection).toEqual({
      device: 'webgpu',
      gpu: { adapterName: 'google swiftshader', vendor: 'google', architecture: 'swiftshader', hasShaderF16: false },
    });
  });

  it('falls back to WASM with a reason', async () => {
    expect(await detectDevice(undefined)).toMatchObject({ device: 'wasm', reason: expect.stringContaining('navigator.gpu') });
    expect(await detectDevice(gpu(null))).toMatchObject({ device: 'wasm', reason: expect.stringContaining('no adapter') });
    const throwing: GpuLike = { requestAdapter: () => Promise.reject(new Error('blocked')) };
    expect(await detectDevice(throwing)).toMatchObject({ device: 'wasm', reason: expect.stringContaining('blocked') });
  });
});

describe('defaultDtype', () => {
  it('chooses fp16 kinds only where the adapter has shader-f16', () => {
    expect(defaultDtype(['fp32', 'fp16', 'q4f16', 'q4'], 'webgpu', true)).toBe('q4f16');
    expect(defaultDtype(['fp32', 'fp16', 'q4f16', 'q4'], 'webgpu', false)).toBe('fp32');
    expect(defaultDtype(['fp16', 'q4f16', 'q4'], 'webgpu', false)).toBe('q4');
  });

  it('prefers quantized weights on WASM', () => {
    expect(defaultDtype(['fp32', 'q8'], 'wasm', false)).toBe('q8');
    expect(defaultDtype(['fp32'], 'wasm', false)).toBe('fp32');
  });
});
