/**
 * User settings that decide where requests may go. Offline mode (the default) keeps every
 * request on the page's origin: only models served by the app are loaded.
 */
const storageKey = 'thinkbench.settings';

interface SettingsData {
  offline: boolean;
  /** Where remote models come from when not offline (a mirror may be configured). */
  remoteHost: string;
}

const defaults: SettingsData = { offline: true, remoteHost: 'https://huggingface.co/' };

function read(): SettingsData {
  try {
    const raw = globalThis.localStorage?.getItem(storageKey);
    if (!raw) return defaults;
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return defaults;
    const data = parsed as Partial<Record<keyof SettingsData, unknown>>;
    return {
      offline: typeof data.offline === 'boolean' ? data.offline : defaults.offline,
      remoteHost: typeof data.remoteHost === 'string' ? data.remoteHost : defaults.remoteHost,
    };
  } catch {
    return defaults; // unreadable storage (private mode, corrupt JSON): start from defaults
  }
}

export class SettingsStore {
  #data = $state<SettingsData>(read());

  get offline(): boolean {
    return this.#data.offline;
  }

  get remoteHost(): string {
    return this.#data.remoteHost;
  }

  setOffline(offline: boolean): void {
    this.#update({ offline });
  }

  setRemoteHost(remoteHost: string): void {
    this.#update({ remoteHost });
  }

  #update(change: Partial<SettingsData>): void {
    this.#data = { ...this.#data, ...change };
    try {
      globalThis.localStorage?.setItem(storageKey, JSON.stringify(this.#data));
    } catch {
      // Storage full or disabled: the setting still applies to this session.
    }
  }
}

export const settings = new SettingsStore();
