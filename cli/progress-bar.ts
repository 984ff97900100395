/** A one-line progress bar on a terminal (stderr), redrawn at most ten times a second. */
import type { RunProgress } from '../src/lib/experiments/runner';

export interface ProgressBar {
  update(progress: RunProgress): void;
  /** Clears the line so the table that follows starts clean. */
  done(): void;
}

const WIDTH = 24;
const REDRAW_MS = 100;

export function progressBar(stream: NodeJS.WritableStream): ProgressBar {
  let lastDrawMs = 0;
  return {
    update(progress) {
      const nowMs = Date.now();
      if (nowMs - lastDrawMs < REDRAW_MS && progress.done < progress.total) return;
      lastDrawMs = nowMs;
      const filled = progress.total > 0 ? Math.round((progress.done / progress.total) * WIDTH) : 0;
      const remaining = progress.remainingMs === null ? '' : ` · ~${clock(progress.remainingMs)} left`;
      stream.write(
        `\r[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${progress.done}/${progress.total} units · ` +
          `${progress.samples} samples · ${progress.tokensPerS.toFixed(0)} tok/s · ${clock(progress.elapsedMs)}${remaining}\x1b[K`,
      );
    },
    done() {
      stream.write('\r\x1b[K');
    },
  };
}

function clock(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
