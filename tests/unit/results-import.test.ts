import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { arithmeticDataset } from '../../src/lib/datasets/arithmetic';
import type { Dataset } from '../../src/lib/datasets/types';
import { DatasetsRepo } from '../../src/lib/db/datasets-repo';
import { buildExport, exportToJson } from '../../src/lib/experiments/export-format';
import { sliceProblems } from '../../src/lib/experiments/matrix';
import { DatabaseStore } from '../../src/stores/database.svelte';
import { ResultsStore } from '../../src/stores/results.svelte';
import { freshDbName } from './db-fixtures';

/**
 * Importing a results JSON never replaces a stored dataset (fake-indexeddb; the Results page
 * goes through this store). An export holds only the run's slice of questions under the source
 * dataset's id, which is how re-importing one's own n < N export used to truncate the source.
 */
const SOURCE = arithmeticDataset({ n: 6, seed: 2 });

function exportOf(dataset: Dataset, slice: { n: number; seed: number }, experimentId = 'exp-1'): string {
  const spec = { model: { id: 'thinkbench/tinythink', dtype: 'q8', device: 'wasm' }, dataset: { id: dataset.id, ...slice }, strategies: ['direct'], maxNewTokens: 64 };
  const sliced = { ...dataset, problems: sliceProblems(dataset.problems, slice) };
  return exportToJson(buildExport({ id: experimentId, name: 'partial run', createdAt: 1, status: 'completed', spec, manifest: null }, sliced, []));
}

async function setUp(): Promise<{ results: ResultsStore; datasets: DatasetsRepo }> {
  const database = new DatabaseStore({ name: freshDbName() });
  const datasets = new DatasetsRepo(await database.open());
  await datasets.save(SOURCE);
  return { results: new ResultsStore(database), datasets };
}

describe('importing a results JSON', () => {
  it('re-importing an export of an n < N run keeps the source dataset whole and points the run at it', async () => {
    const { results, datasets } = await setUp();
    const id = await results.importJson(exportOf(SOURCE, { n: 3, seed: 5 }));
    expect(results.error).toBeNull();
    expect(id).not.toBeNull();
    expect((await datasets.get(SOURCE.id))?.problems).toEqual(SOURCE.problems);
    expect((await datasets.list()).map((d) => d.id)).toEqual([SOURCE.id]); // identical questions: reused
    expect(results.selected?.spec.dataset).toEqual({ id: SOURCE.id, n: 3, seed: 5 });
    expect(results.questions.map((q) => q.question)).toEqual(sliceProblems(SOURCE.problems, { n: 3, seed: 5 }).map((p) => p.question));
  });

  it('keeps both when the file holds other questions under a stored dataset id, and reuses that copy on a second import', async () => {
    const { results, datasets } = await setUp();
    const other: Dataset = { ...SOURCE, problems: SOURCE.problems.map((p) => ({ ...p, question: `${p.question} (edited)` })) };
    await results.importJson(exportOf(other, { n: 6, seed: 1 }));
    expect(results.error).toBeNull();
    expect((await datasets.get(SOURCE.id))?.problems).toEqual(SOURCE.problems);
    const stored = await datasets.list();
    expect(stored).toHaveLength(2);
    const copy = stored.find((d) => d.id !== SOURCE.id);
    expect(copy?.problems).toEqual(other.problems);
    expect(copy?.name).toBe(`${SOURCE.name} (imported)`);
    expect(results.selected?.spec.dataset.id).toBe(copy?.id);
    expect(results.questions.map((q) => q.question)).toEqual(other.problems.map((p) => p.question));

    await results.importJson(exportOf(other, { n: 6, seed: 1 }, 'exp-2'));
    expect(await datasets.list()).toHaveLength(2);
    expect(results.selected?.spec.dataset.id).toBe(copy?.id);
  });
});
