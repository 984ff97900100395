import { describe, expect, it } from 'vitest';
import { sampleTimings } from '../../workers/engine/timings';

describe('sampleTimings', () => {
  it('derives ttft, prefill, decode rate and total from token times', () => {
    // Request at 0, generate() saw the prompt at 5 ms, first token at 105 ms, 11th at 605 ms.
    const timings = sampleTimings(40, 11, { prefillStartMs: 5, firstTokenAtMs: 105, lastTokenAtMs: 605, endAtMs: 605 });
    expect(timings).toEqual({
      promptTokens: 40,
      ttftMs: 105,
      prefillMs: 100,
      decodeMs: 500,
      decodeTokensPerS: 20, // 10 tokens after the first, in 0.5 s
      totalMs: 605,
    });
  });

  it('reports no decode rate for a single token', () => {
    const timings = sampleTimings(8, 1, { prefillStartMs: 1, firstTokenAtMs: 30, lastTokenAtMs: 30, endAtMs: 30 });
    expect(timings).toMatchObject({ ttftMs: 30, prefillMs: 29, decodeMs: 0, decodeTokensPerS: 0, totalMs: 30 });
  });

  it('is all zeros but the total for a row aborted before its first token', () => {
    const timings = sampleTimings(8, 0, { prefillStartMs: 1, firstTokenAtMs: null, lastTokenAtMs: null, endAtMs: 12 });
    expect(timings).toEqual({ promptTokens: 8, ttftMs: 0, prefillMs: 0, decodeMs: 0, decodeTokensPerS: 0, totalMs: 12 });
  });
});
