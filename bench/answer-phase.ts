/**
 * Benchmark 3's one clock for both sides: the answer phase read off a request's token events
 * (`atMs`: ms since the engine started the request). It starts at the forced-text event when the
 * request was cut (the answer continues from the cache), or at the request's start when there is
 * none (a request that regenerates the answer from scratch); it ends at the last token event.
 */
import type { TokenEvent } from '../src/lib/generate';

export function answerPhaseMs(events: readonly TokenEvent[]): number | null {
  const last = events.at(-1);
  if (!last) return null;
  const forced = events.find((event) => event.phase === 'forced');
  return last.atMs - (forced?.atMs ?? 0);
}
