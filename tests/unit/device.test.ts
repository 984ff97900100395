import { describe, expect, it } from 'vitest';
import { detectDevice, resolveDevice, type GpuLike } from '../../src/client/device';

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

describe('resolveDevice', () => {
  const swiftshader = { device: 'webgpu', gpu: { adapterName: 'google swiftshader', vendor: 'google', architecture: 'swiftshader', hasShaderF16: false, software: true } } as const;
  const hardware = { device: 'webgpu', gpu: { adapterName: 'nvidia ampere', vendor: 'nvidia', architecture: 'ampere', hasShaderF16: true, software: false } } as const;

  it('Automatic prefers WASM over a software adapter and says why', () => {
    const resolved = resolveDevice('auto', swiftshader);
    expect(resolved.device).toBe('wasm');
    expect(resolved.reason).toMatch(/google swiftshader.*software.*CPU/);
    expect(resolved.reason).toMatch(/Choose WebGPU/);
  });

  it('Automatic takes a hardware adapter', () => {
    expect(resolveDevice('auto', hardware)).toEqual({ device: 'webgpu', reason: expect.stringContaining('nvidia ampere') });
  });

  it('a forced device is used even on a software adapter, with a warning', () => {
    expect(resolveDevice('webgpu', swiftshader)).toEqual({ device: 'webgpu', reason: expect.stringMatching(/chosen by you.*software/) });
    expect(resolveDevice('wasm', hardware).device).toBe('wasm');
    expect(resolveDevice('webgpu', { device: 'wasm', reason: 'no adapter' }).device).toBe('webgpu');
  });

  it('is undecided until detection finishes, unless forced', () => {
    expect(resolveDevice('auto', null).device).toBeNull();
    expect(resolveDevice('webgpu', null).device).toBe('webgpu');
  });
});

describe('detectDevice: software adapters', () => {
  it.each([
    ['info.isFallbackAdapter', { features: new Set<string>(), info: { vendor: 'x', architecture: 'y', isFallbackAdapter: true } }],
    ['adapter.isFallbackAdapter (older Chromium)', { features: new Set<string>(), isFallbackAdapter: true, info: { vendor: 'x', architecture: 'y' } }],
    ['llvmpipe in the description', { features: new Set<string>(), info: { vendor: 'mesa', architecture: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' } }],
  ])('%s marks the adapter as software', async (_name, adapter) => {
    const detection = await detectDevice(gpu(adapter));
    expect(detection.device === 'webgpu' && detection.gpu.software).toBe(true);
  });

  it('a hardware adapter is not software', async () => {
    const detection = await detectDevice(gpu({ features: new Set(['shader-f16']), info: { vendor: 'nvidia', architecture: 'ampere' } }));
    expect(detection.device === 'webgpu' && detection.gpu.software).toBe(false);
  });
});
