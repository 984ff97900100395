/**
 * Stop-string search over a row's growing text. Stop strings may span token boundaries, so the
 * search looks back far enough to see a stop that a new piece completes, and the streamable part
 * of the text ends before any suffix that could still grow into a stop string.
 */

export interface StopScan {
  /** Index in the text where the earliest stop string starts, or null when none occurs. */
  stopAt: number | null;
  /** Text before this index cannot be part of a stop string and may be streamed. */
  safeEnd: number;
}

/**
 * @param searchFrom the first index a stop may start at (text before it is final: forced text,
 *   or already scanned text minus the look-back the caller leaves).
 */
export function scanForStop(text: string, stops: readonly string[], searchFrom: number): StopScan {
  let stopAt: number | null = null;
  for (const stop of stops) {
    if (stop.length === 0) continue;
    const at = text.indexOf(stop, searchFrom);
    if (at >= 0 && (stopAt === null || at < stopAt)) stopAt = at;
  }
  if (stopAt !== null) return { stopAt, safeEnd: stopAt };
  return { stopAt: null, safeEnd: text.length - partialStopSuffix(text, stops, searchFrom) };
}

/** Length of the longest suffix of `text` (starting at or after `searchFrom`) that is a proper prefix of a stop. */
export function partialStopSuffix(text: string, stops: readonly string[], searchFrom = 0): number {
  let longest = 0;
  for (const stop of stops) {
    const max = Math.min(stop.length - 1, text.length - searchFrom);
    for (let len = max; len > longest; len--) {
      if (text.endsWith(stop.slice(0, len))) {
        longest = len;
        break;
      }
    }
  }
  return longest;
}

/** Where to resume searching after text grew from `previousLength`: a stop may start up to (longest stop - 1) chars back. */
export function stopSearchStart(previousLength: number, stops: readonly string[], floor: number): number {
  const longest = stops.reduce((max, stop) => Math.max(max, stop.length), 0);
  return Math.max(floor, previousLength - Math.max(0, longest - 1));
}
