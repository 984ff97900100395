/**
 * Which device to run on, decided on the page before any model is loaded: WebGPU when
 * `navigator.gpu.requestAdapter()` gives an adapter, WASM otherwise, with the reason.
 */
import type { Device, Dtype } from './engine-types';

export interface GpuReport {
  /** Human-readable adapter name, e.g. `google swiftshader`. */
  adapterName: string;
  vendor: string;
  architecture: string;
  hasShaderF16: boolean;
}

export type DeviceDetection =
  | { device: 'webgpu'; gpu: GpuReport }
  | { device: 'wasm'; reason: string };

/** The bits of `navigator.gpu` used here, so a test can pass a fake. */
export interface GpuLike {
  requestAdapter(): Promise<{ features: ReadonlySetLike<string>; info?: { vendor: string; architecture: string; device?: string; description?: string } } | null>;
}

interface ReadonlySetLike<T> {
  has(value: T): boolean;
}

export async function detectDevice(gpu: GpuLike | undefined): Promise<DeviceDetection> {
  if (!gpu) {
    return { device: 'wasm', reason: 'This browser does not expose WebGPU (navigator.gpu is missing).' };
  }
  let adapter: Awaited<ReturnType<GpuLike['requestAdapter']>>;
  try {
    adapter = await gpu.requestAdapter();
  } catch (error) {
    return { device: 'wasm', reason: `Requesting a WebGPU adapter failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!adapter) {
    return { device: 'wasm', reason: 'WebGPU is present but no adapter is available (blocklisted or no usable GPU).' };
  }
  const vendor = adapter.info?.vendor ?? '';
  const architecture = adapter.info?.architecture ?? '';
  const description = adapter.info?.description ?? '';
  const adapterName = [vendor, architecture].filter(Boolean).join(' ') || description || 'unnamed adapter';
  return { device: 'webgpu', gpu: { adapterName, vendor, architecture, hasShaderF16: adapter.features.has('shader-f16') } };
}

/** Dtypes that need `shader-f16` on WebGPU. */
export function needsShaderF16(dtype: Dtype): boolean {
  return dtype === 'fp16' || dtype === 'q4f16';
}

/**
 * The weights to use from those a model ships: fp16 kinds only where the adapter can run them;
 * quantized on WASM (smaller, faster on CPU); full precision first on a GPU.
 */
export function defaultDtype(available: readonly Dtype[], device: Device, hasShaderF16: boolean): Dtype {
  const preference: readonly Dtype[] =
    device === 'webgpu'
      ? hasShaderF16
        ? ['q4f16', 'fp16', 'fp32', 'q4', 'q8']
        : ['fp32', 'q4', 'q8']
      : ['q8', 'q4', 'fp32'];
  return preference.find((dtype) => available.includes(dtype)) ?? available[0] ?? 'fp32';
}
