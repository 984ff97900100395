import type { ProgressInfo } from '@huggingface/transformers';
import type { LoadProgress } from './engine';

interface FileState {
  loadedBytes: number;
  totalBytes: number;
  done: boolean;
}

/**
 * Folds Transformers.js' per-file progress events (initiate → progress* → done) into one
 * running view: the file at hand plus totals over every file seen so far. Files are only known
 * once the library starts them, so `filesTotal` and `totalBytes` grow during a load.
 */
export class LoadProgressAggregator {
  readonly #files = new Map<string, FileState>();

  /** Returns the new view, or null for events that change nothing (ready, download, totals). */
  update(info: ProgressInfo): LoadProgress | null {
    if (info.status === 'initiate') {
      if (!this.#files.has(info.file)) this.#files.set(info.file, { loadedBytes: 0, totalBytes: 0, done: false });
      return this.#view(info.file);
    }
    if (info.status === 'progress') {
      const state = this.#state(info.file);
      state.loadedBytes = info.loaded;
      state.totalBytes = info.total;
      return this.#view(info.file);
    }
    if (info.status === 'done') {
      const state = this.#state(info.file);
      state.done = true;
      state.loadedBytes = Math.max(state.loadedBytes, state.totalBytes);
      return this.#view(info.file);
    }
    return null;
  }

  /** Files started but not finished: where a failed load most likely failed. */
  unfinishedFiles(): string[] {
    return [...this.#files].filter(([, state]) => !state.done).map(([file]) => file);
  }

  #state(file: string): FileState {
    let state = this.#files.get(file);
    if (!state) {
      state = { loadedBytes: 0, totalBytes: 0, done: false };
      this.#files.set(file, state);
    }
    return state;
  }

  #view(file: string): LoadProgress {
    const current = this.#state(file);
    let loadedBytes = 0;
    let totalBytes = 0;
    let filesDone = 0;
    for (const state of this.#files.values()) {
      loadedBytes += state.loadedBytes;
      totalBytes += state.totalBytes;
      if (state.done) filesDone++;
    }
    return {
      file,
      fileLoadedBytes: current.loadedBytes,
      fileTotalBytes: current.totalBytes,
      loadedBytes,
      totalBytes,
      filesDone,
      filesTotal: this.#files.size,
    };
  }
}
