import { describe, expect, it } from 'vitest';
import type { TokenEvent } from '../../src/lib/generate';
import { BatchStreamer } from '../../workers/engine/batch-streamer';
import { RowCutter } from '../../workers/engine/row-cutter';
import { AbortCriteria, RowsFinishedCriteria } from '../../workers/engine/stopping';

const decode = (ids: readonly number[]): string => ids.map((id) => String.fromCharCode(96 + id)).join('');
const rows = (): RowCutter[] =>
  [0, 1].map(() => new RowCutter({ decode, eosIds: new Set([0]), stops: [], maxNewTokens: 10, endMarker: null }));

describe('BatchStreamer', () => {
  it('treats the first put as the prompt, then streams one token per row per step', () => {
    const cutters = rows();
    const events: [number, TokenEvent][] = [];
    let clock = 0;
    const streamer = new BatchStreamer(cutters, () => clock, (row, event) => events.push([row, event]));
    clock = 3;
    streamer.put([[5n, 6n], [5n, 6n]]);
    expect(streamer.promptAtMs).toBe(3);
    expect(events).toEqual([]);
    clock = 10;
    streamer.put([[1n], [0n]]); // row 1 hits EOS
    clock = 20;
    streamer.put([[2n], [3n]]); // row 1's token is ignored
    expect(events).toEqual([
      [0, { text: 'a', phase: 'answer', atMs: 10 }],
      [1, { text: '', phase: 'answer', atMs: 10 }],
      [0, { text: 'b', phase: 'answer', atMs: 20 }],
    ]);
    expect(cutters[1].outcome()).toMatchObject({ text: '', finishReason: 'eos', answerTokens: 1 });
  });
});

describe('stopping criteria', () => {
  it('stop the rows their cutters finished, one boolean per row', () => {
    const cutters = rows();
    cutters[1].accept(0, 1);
    expect(new RowsFinishedCriteria(cutters)([[1], [1]], [])).toEqual([false, true]);
  });

  it('stop every row once the signal aborts', () => {
    const controller = new AbortController();
    const criteria = new AbortCriteria(controller.signal);
    expect(criteria([[1], [1]], [])).toEqual([false, false]);
    controller.abort();
    expect(criteria([[1], [1]], [])).toEqual([true, true]);
    expect(new AbortCriteria(undefined)([[1]], [])).toEqual([false]);
  });
});
