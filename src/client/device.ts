/**
 * Which device to run on, decided on the page before any model is loaded: WebGPU when
 * `navigator.gpu.requestAdapter()` gives an adapter, WASM otherwise, with the reason.
 */
export interface GpuReport {
  /** Human-readable adapter name, e.g. `google swiftshader`. */
  adapterName: string;
  vendor: string;
  architecture: string;
  hasShaderF16: boolean;
  /** A CPU implementation of WebGPU (SwiftShader, or the browser's fallback adapter). */
  software: boolean;
}

export type DeviceDetection =
  | { device: 'webgpu'; gpu: GpuReport }
  | { device: 'wasm'; reason: string };

/** The bits of `navigator.gpu` used here, so a test can pass a fake. */
export interface GpuLike {
  requestAdapter(): Promise<{ features: ReadonlySetLike<string>; info?: AdapterInfoLike } | null>;
}

interface AdapterInfoLike {
  vendor: string;
  architecture: string;
  description?: string;
  isFallbackAdapter?: boolean;
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
  const software = adapter.info?.isFallbackAdapter === true || /swiftshader/i.test(`${architecture} ${description}`);
  return {
    device: 'webgpu',
    gpu: { adapterName, vendor, architecture, hasShaderF16: adapter.features.has('shader-f16'), software },
  };
}
