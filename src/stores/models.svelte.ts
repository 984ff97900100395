/**
 * The Models page's state: which catalog models are served by the app (local), sit complete in
 * the browser cache, are partly there, or are absent; downloads with per-file progress and
 * cancel; deletion; hub ids added by hand. Downloads go straight into the Cache Storage that
 * Transformers.js reads (src/lib/models/cache-download.ts), so the worker finds them offline.
 */
import { CATALOG, checkDeviceFit, chooseDtype, estimateDownloadBytes, type CatalogEntry, type Fit } from '../lib/models/catalog';
import { downloadToCache, type DownloadProgress } from '../lib/models/cache-download';
import { inspectHubModel, parseSavedEntry } from '../lib/models/custom-model';
import type { ModelDtype } from '../lib/models/dtype';
import { HubError } from '../lib/models/hub-errors';
import { globalFetch } from '../lib/models/hub-metadata';
import { DEFAULT_HUB_ENDPOINT, normalizeEndpoint } from '../lib/models/hub-url';
import { fetchServedModels, modelsBaseUrl, probeLocalModel } from '../lib/models/local-models';
import { TRANSFORMERS_CACHE, deleteFromCache, inspectCache, type ModelRef } from '../lib/models/model-cache';
import { deviceStore, type DeviceStore } from './device.svelte';
import { settings, type SettingsStore } from './settings.svelte';

export type ModelStatus =
  | { kind: 'checking' }
  | { kind: 'local'; sizeBytes: number }
  | { kind: 'cached'; sizeBytes: number }
  | { kind: 'partial'; sizeBytes: number; missing: string[] }
  | { kind: 'absent' }
  | { kind: 'downloading'; progress: DownloadProgress | null };

export interface ModelRow {
  entry: CatalogEntry;
  dtype: ModelDtype;
  status: ModelStatus;
  /** Exact bytes when known (custom ids), else the catalog's estimate. */
  downloadBytes: { bytes: number; estimate: boolean };
  fit: Fit;
  error: HubError | null;
}

interface AdapterLimits {
  maxBufferSizeBytes?: number;
  maxStorageBufferBindingSizeBytes?: number;
}

const customKey = 'thinkbench.customModels';

function loadCustomEntries(): CatalogEntry[] {
  try {
    const raw: unknown = JSON.parse(globalThis.localStorage?.getItem(customKey) ?? '[]');
    return Array.isArray(raw) ? raw.map(parseSavedEntry).filter((e): e is CatalogEntry => e !== null) : [];
  } catch {
    return []; // unreadable storage: start without hand-added models
  }
}

function toHubError(error: unknown): HubError {
  if (error instanceof HubError) return error;
  return new HubError('HubNetworkError', error instanceof Error ? error.message : String(error), { cause: error });
}

export class ModelsStore {
  #custom = $state<CatalogEntry[]>(loadCustomEntries());
  #status = $state<Record<string, ModelStatus>>({});
  #errors = $state<Record<string, HubError | null>>({});
  #exactBytes = $state<Record<string, number>>({});
  #limits = $state<AdapterLimits>({});
  #adding = $state(false);
  #addError = $state<HubError | null>(null);
  /** Not reactive: the status already says a download is running. */
  #controllers: Partial<Record<string, AbortController>> = {};
  /** models/served.json as of the last refresh; null = unknown (probe every model). Not reactive. */
  #served: ReadonlySet<string> | null = null;
  #device: DeviceStore;
  #settings: SettingsStore;

  constructor(device: DeviceStore = deviceStore, userSettings: SettingsStore = settings) {
    this.#device = device;
    this.#settings = userSettings;
  }

  get entries(): CatalogEntry[] {
    return [...CATALOG, ...this.#custom];
  }

  get endpoint(): string {
    try {
      return normalizeEndpoint(this.#settings.remoteHost);
    } catch {
      return DEFAULT_HUB_ENDPOINT;
    }
  }

  get offline(): boolean {
    return this.#settings.offline;
  }

  get adding(): boolean {
    return this.#adding;
  }

  get addError(): HubError | null {
    return this.#addError;
  }

  dtypeFor(entry: CatalogEntry): ModelDtype {
    return chooseDtype(entry, this.#device.device ?? 'wasm', this.#device.hasShaderF16);
  }

  get rows(): ModelRow[] {
    return this.entries.map((entry) => {
      const dtype = this.dtypeFor(entry);
      const exact = this.#exactBytes[`${entry.id}:${dtype}`];
      return {
        entry,
        dtype,
        status: this.#status[entry.id] ?? { kind: 'checking' },
        downloadBytes: exact !== undefined ? { bytes: exact, estimate: false } : { bytes: estimateDownloadBytes(entry, dtype), estimate: true },
        fit: checkDeviceFit(entry, dtype, this.#device.device ?? 'wasm', { shaderF16: this.#device.hasShaderF16, ...this.#limits }),
        error: this.#errors[entry.id] ?? null,
      };
    });
  }

  /**
   * True when offline mode is on and the model is known to be neither served by the app nor
   * completely cached: it cannot load, so pickers mark it (unknown yet counts as available).
   */
  unavailableOffline(id: string): boolean {
    if (!this.offline) return false;
    const kind = this.#status[id]?.kind;
    return kind === 'absent' || kind === 'partial';
  }

  /** Models that load without the network: what the model pickers should offer in offline mode. */
  get offered(): CatalogEntry[] {
    return this.rows.filter((row) => row.status.kind === 'local' || row.status.kind === 'cached').map((row) => row.entry);
  }

  #ref(entry: CatalogEntry): ModelRef {
    return { id: entry.id, revision: entry.revision, dtype: this.dtypeFor(entry), endpoint: this.endpoint };
  }

  async #cache(): Promise<Cache> {
    return caches.open(TRANSFORMERS_CACHE);
  }

  async refresh(): Promise<void> {
    await this.#readAdapterLimits();
    this.#served = await fetchServedModels(globalFetch, modelsBaseUrl(document.baseURI));
    await Promise.all(this.entries.map((entry) => this.#refreshOne(entry)));
  }

  async #refreshOne(entry: CatalogEntry): Promise<void> {
    if (this.#status[entry.id]?.kind === 'downloading') return;
    const ref = this.#ref(entry);
    // Only models the app lists as served are probed, so a visit asks for nothing that 404s.
    const mayBeServed = this.#served === null || this.#served.has(entry.id);
    const local = mayBeServed ? await probeLocalModel(globalFetch, modelsBaseUrl(document.baseURI), entry.id, ref.dtype) : null;
    if (local) {
      this.#status[entry.id] = { kind: 'local', sizeBytes: local.sizeBytes };
      return;
    }
    if (typeof caches === 'undefined') {
      this.#status[entry.id] = { kind: 'absent' };
      return;
    }
    const cached = await inspectCache(await this.#cache(), ref);
    if (cached.complete) this.#status[entry.id] = { kind: 'cached', sizeBytes: cached.sizeBytes };
    else if (cached.present.length > 0) this.#status[entry.id] = { kind: 'partial', sizeBytes: cached.sizeBytes, missing: cached.missing };
    else this.#status[entry.id] = { kind: 'absent' };
  }

  async #readAdapterLimits(): Promise<void> {
    if (this.#device.device !== 'webgpu' || !globalThis.navigator?.gpu) return;
    const adapter = await navigator.gpu.requestAdapter().catch(() => null);
    if (adapter) {
      this.#limits = {
        maxBufferSizeBytes: adapter.limits.maxBufferSize,
        maxStorageBufferBindingSizeBytes: adapter.limits.maxStorageBufferBindingSize,
      };
    }
  }

  async download(id: string): Promise<void> {
    const entry = this.entries.find((candidate) => candidate.id === id);
    if (!entry || this.#controllers[id]) return;
    this.#errors[id] = null;
    if (this.offline) {
      this.#errors[id] = new HubError('HubNetworkError', 'Offline mode is on: turn it off to download from the hub.');
      return;
    }
    const controller = new AbortController();
    this.#controllers[id] = controller;
    this.#status[id] = { kind: 'downloading', progress: null };
    try {
      await downloadToCache(this.#ref(entry), {
        fetch: globalFetch,
        cache: await this.#cache(),
        signal: controller.signal,
        onProgress: (progress) => {
          this.#status[id] = { kind: 'downloading', progress };
        },
        availableBytes: async () => {
          const estimate = await navigator.storage?.estimate?.();
          return estimate?.quota !== undefined ? estimate.quota - (estimate.usage ?? 0) : undefined;
        },
      });
    } catch (error) {
      const typed = toHubError(error);
      if (typed.name !== 'DownloadCancelled') this.#errors[id] = typed;
    } finally {
      delete this.#controllers[id];
      this.#status[id] = { kind: 'checking' };
      await this.#refreshOne(entry);
    }
  }

  cancel(id: string): void {
    this.#controllers[id]?.abort();
  }

  /** Deletes a model's cached files (a local copy lives in public/models/ and is left alone). */
  async remove(id: string): Promise<void> {
    const entry = this.entries.find((candidate) => candidate.id === id);
    if (!entry) return;
    await deleteFromCache(await this.#cache(), this.#ref(entry));
    await this.#refreshOne(entry);
  }

  /** Adds a hub id typed by the user: its config decides; refused ids never download weights. */
  async addCustom(id: string): Promise<boolean> {
    const trimmed = id.trim();
    this.#addError = null;
    if (this.entries.some((entry) => entry.id === trimmed)) return true;
    if (this.offline) {
      this.#addError = new HubError('HubNetworkError', 'Offline mode is on: turn it off to look a model up on the hub.');
      return false;
    }
    this.#adding = true;
    try {
      const inspected = await inspectHubModel(trimmed, { endpoint: this.endpoint, fetch: globalFetch });
      for (const [dtype, bytes] of Object.entries(inspected.onnxBytes)) this.#exactBytes[`${trimmed}:${dtype}`] = bytes;
      this.#custom = [...this.#custom, inspected.entry];
      this.#saveCustom();
      await this.#refreshOne(inspected.entry);
      return true;
    } catch (error) {
      this.#addError = toHubError(error);
      return false;
    } finally {
      this.#adding = false;
    }
  }

  forget(id: string): void {
    this.#custom = this.#custom.filter((entry) => entry.id !== id);
    this.#saveCustom();
  }

  #saveCustom(): void {
    try {
      globalThis.localStorage?.setItem(customKey, JSON.stringify(this.#custom));
    } catch {
      // Storage full or disabled: the model stays listed for this session only.
    }
  }
}

export const modelsStore = new ModelsStore();
