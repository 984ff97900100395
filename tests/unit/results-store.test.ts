/** The Results page's store over fake-indexeddb: the strict toggle and what the export carries. */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { DatasetsRepo } from '../../src/lib/db/datasets-repo';
import { ExperimentsRepo } from '../../src/lib/db/experiments-repo';
import { openThinkbenchDb, type ThinkbenchDb } from '../../src/lib/db/open';
import type { UnitResult } from '../../src/lib/experiments/types';
import { DatabaseStore } from '../../src/stores/database.svelte';
import { ResultsStore } from '../../src/stores/results.svelte';
import { dataset, experiment, freshDbName, unit } from './db-fixtures';

class TestDatabase extends DatabaseStore {
  readonly #db: Promise<ThinkbenchDb> = openThinkbenchDb({ name: freshDbName() });
  override open(): Promise<ThinkbenchDb> {
    return this.#db;
  }
}

/** A right answer that only the last-number fallback read. */
function byFallback(strategy: string, problemId: string): UnitResult {
  const base = unit(strategy, problemId);
  const samples = base.result.samples.map((s) => ({ ...s, answer: s.answer && { ...s.answer, rule: 'last-number' as const, fallback: true } }));
  return { ...base, result: { ...base.result, samples } };
}

async function storeWithRun(): Promise<ResultsStore> {
  const database = new TestDatabase();
  const db = await database.open();
  await new DatasetsRepo(db).save(dataset());
  await new ExperimentsRepo(db).importRun({ ...experiment(), status: 'completed', unitsDone: 4 }, [
    unit('direct', 'p1'),
    unit('direct', 'p2'),
    unit('cot', 'p1'),
    byFallback('cot', 'p2'),
  ]);
  const store = new ResultsStore(database);
  await store.refresh();
  return store;
}

describe('ResultsStore strict mode', () => {
  it('shows the fallback share, and counts fallback answers wrong when strict is on', async () => {
    const store = await storeWithRun();
    expect(store.strict).toBe(false);
    expect(store.summary.map((row) => [row.strategy, row.correct, row.fallbackShare])).toEqual([
      ['direct', 2, 0],
      ['cot', 2, 0.5],
    ]);
    store.setStrict(true);
    expect(store.summary.map((row) => [row.strategy, row.correct, row.strict])).toEqual([
      ['direct', 2, true],
      ['cot', 1, true],
    ]);
  });

  it('exports the table as shown: the JSON carries the summary and whether it was strict', async () => {
    const store = await storeWithRun();
    store.setStrict(true);
    const file = store.exportSelected('json');
    const json = JSON.parse(file?.text ?? '{}') as { summary?: { strict: boolean; strategies: { strategy: string; correct: number; fallbackShare: number }[] } };
    expect(json.summary?.strict).toBe(true);
    expect(json.summary?.strategies.map((row) => [row.strategy, row.correct, row.fallbackShare])).toEqual([
      ['direct', 2, 0],
      ['cot', 1, 0.5],
    ]);
  });
});
