import type { SampleTimings } from '../../src/lib/generate';

/** When one row's tokens arrived, in ms since the request started. */
export interface RowTimes {
  /** When `generate` began running the prompt (the streamer saw the prompt). */
  prefillStartMs: number;
  firstTokenAtMs: number | null;
  lastTokenAtMs: number | null;
  /** When the row stopped: its last token, or the abort. */
  endAtMs: number;
}

/**
 * Per-sample timings. In a batch every row's k-th token arrives at the same step, so rows share
 * prefill and time to first token but differ in decode time and total time (a row that stops
 * early ends early, even though the batch runs on).
 */
export function sampleTimings(promptTokens: number, tokens: number, times: RowTimes): SampleTimings {
  const first = times.firstTokenAtMs;
  const last = times.lastTokenAtMs ?? first;
  const ttftMs = first ?? 0;
  const prefillMs = first === null ? 0 : first - times.prefillStartMs;
  const decodeMs = first === null || last === null ? 0 : last - first;
  const decodeTokensPerS = tokens >= 2 && decodeMs > 0 ? (tokens - 1) / (decodeMs / 1000) : 0;
  return { promptTokens, ttftMs, prefillMs, decodeMs, decodeTokensPerS, totalMs: times.endAtMs };
}
