/**
 * How long a run will take, learnt from the runs this browser finished on the same model,
 * weights and device. A fixed guess of tokens/s was 7–9× too high on the embedded model
 * (issue 12): speed differs by an order of magnitude between devices, and batched sampling
 * makes "samples × tokens ÷ rate" wrong for self-consistency. A finished unit's measured
 * generation time already holds all of that, so the estimate reuses it:
 *
 * 1. the same strategy setting measured here: its mean time per question;
 * 2. else this model on this device: its measured milliseconds per generated token, times the
 *    tokens the setting may generate (its samples × the mean tokens per sample seen here);
 * 3. else a guess, labelled as one, deliberately on the slow side.
 */
import type { ResolvedStrategy } from './spec';
import type { ModelRef } from './types';
import { maxSamplesPerUnit } from './matrix';

/** What one finished unit tells about the pace (from IndexedDB: its run's model and its result). */
export interface PaceObservation {
  model: ModelRef;
  /** The strategy as written in the run (`self-consistency:k=5`). */
  strategy: string;
  latencyMs: number;
  /** Samples the unit produced and the tokens they generated. */
  samples: number;
  tokens: number;
}

interface Totals {
  units: number;
  latencyMs: number;
  samples: number;
  tokens: number;
}

/** Sums per model+weights+device and per model+weights+device+strategy. */
export interface PaceBook {
  byModel: ReadonlyMap<string, Totals>;
  byStrategy: ReadonlyMap<string, Totals>;
}

/**
 * The guess when nothing was measured: every sample runs to `maxNewTokens` at 10 tokens/s, a
 * rate below what WASM gave the embedded model on a loaded 2-core machine (12–15 tokens/s),
 * so a first estimate is too long rather than too short.
 */
export const GUESSED_TOKENS_PER_S = 10;

/**
 * `measured`: every strategy ran here before on this model and device; `partly measured`: some
 * did not, and their time comes from this model's measured time per token; `guess`: nothing ran
 * on this model and device yet.
 */
export type PaceBasis = 'measured' | 'partly measured' | 'guess';

export interface RunEstimate {
  timeMs: number;
  tokens: number;
  basis: PaceBasis;
  /** Finished units on this model and device the estimate learnt from. */
  measuredUnits: number;
}

function modelKey(model: ModelRef): string {
  return `${model.id}|${model.dtype}|${model.device}`;
}

function strategyKey(model: ModelRef, strategy: string): string {
  return `${modelKey(model)}|${strategy.trim()}`;
}

function add(map: Map<string, Totals>, key: string, observation: PaceObservation): void {
  const totals = map.get(key) ?? { units: 0, latencyMs: 0, samples: 0, tokens: 0 };
  map.set(key, {
    units: totals.units + 1,
    latencyMs: totals.latencyMs + observation.latencyMs,
    samples: totals.samples + observation.samples,
    tokens: totals.tokens + observation.tokens,
  });
}

export function buildPaceBook(observations: Iterable<PaceObservation>): PaceBook {
  const byModel = new Map<string, Totals>();
  const byStrategy = new Map<string, Totals>();
  for (const observation of observations) {
    // A unit with no time or no tokens (all from a cache written elsewhere, a failed parse) says nothing about pace.
    if (!(observation.latencyMs > 0) || !(observation.tokens > 0)) continue;
    add(byModel, modelKey(observation.model), observation);
    add(byStrategy, strategyKey(observation.model, observation.strategy), observation);
  }
  return { byModel, byStrategy };
}

/** One strategy on `questions` questions of the form's run. */
export interface EstimateRow {
  strategy: ResolvedStrategy;
  questions: number;
}

export function estimateRun(book: PaceBook, model: ModelRef, rows: readonly EstimateRow[], maxNewTokens: number): RunEstimate {
  const modelTotals = book.byModel.get(modelKey(model));
  const msPerToken = modelTotals ? modelTotals.latencyMs / modelTotals.tokens : 1000 / GUESSED_TOKENS_PER_S;
  const tokensPerSample = modelTotals ? Math.min(maxNewTokens, modelTotals.tokens / modelTotals.samples) : maxNewTokens;
  let timeMs = 0;
  let tokens = 0;
  let measuredRows = 0;
  for (const row of rows) {
    const measured = book.byStrategy.get(strategyKey(model, row.strategy.text));
    if (measured) {
      timeMs += (measured.latencyMs / measured.units) * row.questions;
      tokens += (measured.tokens / measured.units) * row.questions;
      measuredRows++;
      continue;
    }
    const rowTokens = maxSamplesPerUnit(row.strategy) * tokensPerSample * row.questions;
    tokens += rowTokens;
    timeMs += rowTokens * msPerToken;
  }
  const basis: PaceBasis = !modelTotals ? 'guess' : measuredRows === rows.length ? 'measured' : 'partly measured';
  return { timeMs, tokens, basis, measuredUnits: modelTotals?.units ?? 0 };
}

/** The parts of a stored run and its units that tell the pace (structural, so db records fit). */
export interface PacedRun {
  imported: boolean;
  spec: { model: ModelRef };
}
export interface PacedUnit {
  strategy: string;
  latencyMs: number;
  result: { samples: readonly { tokens: number }[] };
}

/** Observations from a run of this browser; an imported run was measured on another machine and teaches nothing. */
export function paceObservations(run: PacedRun, units: readonly PacedUnit[]): PaceObservation[] {
  if (run.imported) return [];
  return units.map((unit) => ({
    model: run.spec.model,
    strategy: unit.strategy,
    latencyMs: unit.latencyMs,
    samples: unit.result.samples.length,
    tokens: unit.result.samples.reduce((sum, sample) => sum + sample.tokens, 0),
  }));
}
