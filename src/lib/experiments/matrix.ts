/**
 * The run matrix: every strategy × every question of the slice, in a fixed order (strategy
 * major), with its size shown before a run starts.
 */
import { createRng } from '../datasets/prng';
import type { Problem } from '../strategies/types';
import { asRecord } from '../strategies/registry';
import type { ResolvedStrategy } from './spec';
import type { DatasetSlice, ExperimentUnit } from './types';

export interface MatrixUnit extends ExperimentUnit {
  resolved: ResolvedStrategy;
  problem: Problem;
}

export function unitId(strategy: string, problemId: string): string {
  return `${strategy}|${problemId}`;
}

/**
 * `n` questions chosen by `seed`, kept in dataset order (so a slice reads like the dataset);
 * the whole dataset in order when n reaches its size.
 */
export function sliceProblems<P extends Problem>(problems: readonly P[], slice: DatasetSlice): P[] {
  if (slice.n >= problems.length) return [...problems];
  const rng = createRng(slice.seed);
  const indices = problems.map((_, index) => index);
  // Partial Fisher–Yates: the first n positions become a uniform sample without replacement.
  for (let i = 0; i < slice.n; i++) {
    const j = i + Math.floor(rng.next() * (indices.length - i));
    [indices[i], indices[j]] = [indices[j], indices[i]];
  }
  return indices
    .slice(0, slice.n)
    .sort((a, b) => a - b)
    .map((index) => problems[index]);
}

export function buildMatrix(strategies: readonly ResolvedStrategy[], problems: readonly Problem[]): MatrixUnit[] {
  return strategies.flatMap((resolved) =>
    problems.map((problem) => ({ id: unitId(resolved.text, problem.id), strategy: resolved.text, problemId: problem.id, resolved, problem })),
  );
}

export interface MatrixEstimate {
  units: number;
  /** An upper bound: adaptive stopping usually needs fewer. */
  maxSamples: number;
}

/** Samples a setting asks for at most: `k` for sampling strategies, one otherwise (plus a probe's extra answers). */
export function maxSamplesPerUnit(strategy: ResolvedStrategy): number {
  const config = asRecord(strategy.setting.config);
  const k = typeof config.k === 'number' ? config.k : 1;
  const probes = Array.isArray(config.fractions) ? config.fractions.length : 0;
  return k + probes;
}

/** The matrix's size; its time is estimated from this device's measured pace (pace.ts). */
export function estimateMatrix(units: readonly MatrixUnit[]): MatrixEstimate {
  const maxSamples = units.reduce((sum, unit) => sum + maxSamplesPerUnit(unit.resolved), 0);
  return { units: units.length, maxSamples };
}
