/**
 * Which device inference runs on, and why. Detection runs once on the page, before any model
 * is loaded; the user may force either device.
 */
import { detectDevice, resolveDevice, type DeviceChoice, type DeviceDetection, type DeviceResolution, type GpuReport } from '../client/device';
import type { Device } from '../client/engine-types';
import { chooseWasmThreads, type ThreadChoice } from '../client/wasm-threads';
import { readStored, writeStored } from './persisted';

export type { DeviceChoice } from '../client/device';

const choiceKey = 'thinkbench.device';

function storedChoice(): DeviceChoice {
  const stored = readStored(choiceKey);
  return stored === 'webgpu' || stored === 'wasm' ? stored : 'auto';
}

export class DeviceStore {
  #detection = $state<DeviceDetection | null>(null);
  /** Kept across reloads, like the rest of the forms. */
  #choice = $state<DeviceChoice>(storedChoice());
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

  /** The device inference will use: the forced one, else the detected one (never a software adapter). */
  get device(): Device | null {
    return this.#resolution.device;
  }

  /** shader-f16 of the adapter in use; false on WASM, where it does not matter. */
  get hasShaderF16(): boolean {
    return this.device === 'webgpu' && (this.gpu?.hasShaderF16 ?? false);
  }

  /** The WASM backend's threads and why: the inference worker makes the same choice (same inputs). */
  get threads(): ThreadChoice {
    return chooseWasmThreads(globalThis);
  }

  /** Why this device, in words for the page. */
  get explanation(): string {
    return this.#resolution.reason;
  }

  get #resolution(): DeviceResolution {
    return resolveDevice(this.#choice, this.#detection);
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
    writeStored(choiceKey, choice);
  }
}

export const deviceStore = new DeviceStore();
