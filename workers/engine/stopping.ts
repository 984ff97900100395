import { StoppingCriteria } from '@huggingface/transformers';
import type { RowCutter } from './row-cutter';

/** Stops each row once its cutter has finished it (EOS, stop string, token limit). */
export class RowsFinishedCriteria extends StoppingCriteria {
  readonly #rows: readonly RowCutter[];
  constructor(rows: readonly RowCutter[]) {
    super();
    this.#rows = rows;
  }
  override _call(inputIds: number[][]): boolean[] {
    return inputIds.map((_, row) => this.#rows[row].done);
  }
}

/**
 * Stops every row once the signal aborts. Criteria are checked after each decode step, so an
 * abort takes effect within one step and everything generated so far is kept.
 */
export class AbortCriteria extends StoppingCriteria {
  readonly #signal: AbortSignal | undefined;
  constructor(signal: AbortSignal | undefined) {
    super();
    this.#signal = signal;
  }
  override _call(inputIds: number[][]): boolean[] {
    return inputIds.map(() => this.#signal?.aborted ?? false);
  }
}
