/**
 * Which device to run on, decided on the page before any model is loaded: WebGPU when
 * `navigator.gpu.requestAdapter()` gives a hardware adapter, WASM otherwise (no adapter, or a
 * software one), with the reason.
 */
import type { Device } from './engine-types';

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
  requestAdapter(): Promise<AdapterLike | null>;
}

interface AdapterLike {
  features: ReadonlySetLike<string>;
  info?: AdapterInfoLike;
  /** Where Chromium before 132 reported it; newer browsers report `info.isFallbackAdapter`. */
  isFallbackAdapter?: boolean;
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

/**
 * CPU implementations of WebGPU, by the names they report: Chromium's SwiftShader, Mesa's
 * llvmpipe/lavapipe, Windows' WARP ("Microsoft Basic Render Driver").
 */
const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|basic render driver|\bwarp\b/i;

export async function detectDevice(gpu: GpuLike | undefined): Promise<DeviceDetection> {
  if (!gpu) {
    return { device: 'wasm', reason: 'This browser does not expose WebGPU (navigator.gpu is missing).' };
  }
  let adapter: AdapterLike | null;
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
  const software = adapter.isFallbackAdapter === true || adapter.info?.isFallbackAdapter === true || SOFTWARE_ADAPTER.test(`${vendor} ${architecture} ${description}`);
  return {
    device: 'webgpu',
    gpu: { adapterName, vendor, architecture, hasShaderF16: adapter.features.has('shader-f16'), software },
  };
}

export type DeviceChoice = 'auto' | 'webgpu' | 'wasm';

export interface DeviceResolution {
  /** Null while detection is still running. */
  device: Device | null;
  /** Why this device, in words for the page. */
  reason: string;
}

/**
 * The device a choice runs on. Automatic takes a hardware WebGPU adapter and otherwise WASM:
 * a software adapter runs WebGPU's shaders on the CPU through an emulation layer, measured at
 * 3 tokens/s on the embedded model where WASM gave 28–83 (issue 12), so it is never picked
 * automatically, only when the user forces WebGPU.
 */
export function resolveDevice(choice: DeviceChoice, detection: DeviceDetection | null): DeviceResolution {
  if (choice === 'wasm') return { device: 'wasm', reason: 'WASM was chosen by you.' };
  if (!detection) return { device: choice === 'webgpu' ? 'webgpu' : null, reason: 'Checking for a WebGPU adapter…' };
  if (choice === 'webgpu') {
    if (detection.device === 'wasm') return { device: 'webgpu', reason: `WebGPU was forced by you, but no adapter was found: ${detection.reason}` };
    return {
      device: 'webgpu',
      reason: detection.gpu.software
        ? `WebGPU was chosen by you. ${detection.gpu.adapterName} is a software adapter (it runs on the CPU), so WASM is usually several times faster.`
        : 'WebGPU was chosen by you.',
    };
  }
  if (detection.device === 'wasm') return { device: 'wasm', reason: `Using WASM: ${detection.reason}` };
  if (detection.gpu.software) {
    return {
      device: 'wasm',
      reason: `Using WASM: the only WebGPU adapter, ${detection.gpu.adapterName}, is a software one that runs on the CPU, where WASM is several times faster. Choose WebGPU to use it anyway.`,
    };
  }
  return { device: 'webgpu', reason: `Using WebGPU: ${detection.gpu.adapterName} is a hardware adapter.` };
}
