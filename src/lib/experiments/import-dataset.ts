/**
 * Where an imported run's questions go. An export carries only the questions the run used (its
 * slice), under the source dataset's id, so writing it back under that id would replace a larger
 * stored dataset with the slice. Imports therefore never overwrite: the stored dataset is reused
 * when it already holds exactly these questions (for the run's n and seed), and otherwise the
 * exported questions are added under an id of their own, which the imported run then points at.
 */
import { contentId } from '../datasets/content-id';
import type { Dataset, DatasetProblem } from '../datasets/types';
import { sliceProblems } from './matrix';
import type { ExperimentSpec } from './types';

type DatasetRef = ExperimentSpec['dataset'];

export type DatasetPlacement =
  /** A stored dataset already holds the questions: point the run at it, write nothing. */
  | { kind: 'reuse'; ref: DatasetRef }
  /** Store `dataset` (its id is free) and point the run at it. */
  | { kind: 'add'; dataset: Dataset; ref: DatasetRef };

function problemKey(problem: DatasetProblem): string {
  return JSON.stringify([problem.id, problem.question, problem.reference, problem.choices ?? null, problem.split ?? null]);
}

function sameProblems(a: readonly DatasetProblem[], b: readonly DatasetProblem[]): boolean {
  return a.length === b.length && a.every((problem, index) => problemKey(problem) === problemKey(b[index]));
}

/** True when slicing `stored` as the run did gives exactly the exported questions. */
function holds(stored: Dataset, exported: Dataset, slice: DatasetRef): boolean {
  return sameProblems(sliceProblems(stored.problems, slice), exported.problems);
}

export async function placeImportedDataset(
  exported: Dataset,
  slice: DatasetRef,
  lookup: (id: string) => Promise<Dataset | undefined>,
): Promise<DatasetPlacement> {
  const stored = await lookup(exported.id);
  if (!stored) return { kind: 'add', dataset: exported, ref: { ...slice, id: exported.id } };
  if (holds(stored, exported, slice)) return { kind: 'reuse', ref: { ...slice, id: exported.id } };
  // Same id, other questions: keep both. The id follows the content, so importing the same
  // file twice reuses the first copy instead of piling up duplicates.
  const ownId = contentId(`${exported.id}-imported`, exported.problems.map(problemKey).join('\n'));
  const previous = await lookup(ownId);
  if (previous && sameProblems(previous.problems, exported.problems)) return { kind: 'reuse', ref: { ...slice, id: ownId } };
  const id = previous ? `${ownId}-${crypto.randomUUID()}` : ownId; // a hash collision: still never overwrite
  const dataset = { ...exported, id, name: `${exported.name} (imported)` };
  return { kind: 'add', dataset, ref: { ...slice, id } };
}
