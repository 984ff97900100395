import { describe, expect, it } from 'vitest';
import { detectDevice, type GpuLike } from '../../src/client/device';

function gpu(adapter: Awaited<ReturnType<GpuLike['requestAdapter']>>): GpuLike {
  return { requestAdapter: async () => adapter };
}

describe('detectDevice', () => {
  it('picks WebGPU with the adapter name when an adapter is given', async () => {
    const detection = await detectDevice(gpu({ features: new Set<string>(), info: { vendor: 'google', architecture: 'swiftshader' } }));
    expect(detection).toEqual({
      device: 'webgpu',
      gpu: { adapterName: 'google swiftshader', vendor: 'google', architecture: 'swiftshader', hasShaderF16: false, software: true },
    });
  });

  it('falls back to WASM with a reason', async () => {
    expect(await detectDevice(undefined)).toMatchObject({ device: 'wasm', reason: expect.stringContaining('navigator.gpu') });
    expect(await detectDevice(gpu(null))).toMatchObject({ device: 'wasm', reason: expect.stringContaining('no adapter') });
    const throwing: GpuLike = { requestAdapter: () => Promise.reject(new Error('blocked')) };
    expect(await detectDevice(throwing)).toMatchObject({ device: 'wasm', reason: expect.stringContaining('blocked') });
  });
});
