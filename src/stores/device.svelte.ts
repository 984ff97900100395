/**
 * Which device inference runs on, and why. Detection runs once on the page, before any model
 * is loaded; the user may force either device.
 */
import { detectDevice, type DeviceDetection, type GpuReport } from '../client/device';
import type { Device } from '../client/engine-types';

export type DeviceChoice = 'auto' | 'webgpu' | 'wasm';

export class DeviceStore {
  #detection = $state<DeviceDetection | null>(null);
  #choice = $state<DeviceChoice>('auto');
  #detecting: Promise<DeviceDetection> | null = null;

  /** Null until detection has finished. */
  get detection(): DeviceDetection | null {
    return this.#detection;
  }

  get choice(): DeviceChoice {
    return this.#choice;
  }

  get gpu(): GpuReport | null {
    return this.#detection?.device === 'webgpu' ? this.#detection.gpu : null;
  }

  /** The device inference will use: the forced one, else the detected one. */
  get device(): Device | null {
    if (this.#choice !== 'auto') return this.#choice;
    return this.#detection?.device ?? null;
  }

  get hasShaderF16(): boolean {
    return this.gpu?.hasShaderF16 ?? false;
  }

  /** Why this device, in words for the page. */
  get explanation(): string {
    const detection = this.#detection;
    if (!detection) return 'Checking for a WebGPU adapter…';
    if (this.#choice === 'wasm') return 'WASM was chosen by you.';
    if (this.#choice === 'webgpu') {
      return detection.device === 'webgpu'
        ? 'WebGPU was chosen by you.'
        : `WebGPU was forced by you, but no adapter was found: ${detection.reason}`;
    }
    if (detection.device === 'wasm') return `Using WASM: ${detection.reason}`;
    return detection.gpu.software
      ? 'A WebGPU adapter is available, but it is a software one (runs on the CPU): WASM is usually faster here.'
      : 'A WebGPU adapter is available.';
  }

  detect(): Promise<DeviceDetection> {
    this.#detecting ??= detectDevice(globalThis.navigator?.gpu).then((detection) => {
      this.#detection = detection;
      return detection;
    });
    return this.#detecting;
  }

  choose(choice: DeviceChoice): void {
    this.#choice = choice;
  }
}

export const deviceStore = new DeviceStore();
