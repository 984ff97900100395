/**
 * The data behind the Results page's charts, derived from the summary rows and units: the
 * Pareto frontier of accuracy against cost, accuracy against k (self-consistency), against mean
 * tokens (the sampling methods, replayed over their first j chains), against the thinking budget
 * (budgeted-cot), the calibration of trace confidence, and the early-answering curve. Pure functions.
 */
import { isAdaptive, replayChains } from '../lib/experiments/chain-replay';
import { isCorrect } from '../lib/experiments/grade-unit';
import { traceConfidences } from '../lib/experiments/trace-confidence';
import type { StrategySummary } from '../lib/experiments/summary';
import type { UnitResult } from '../lib/experiments/types';
import { auroc } from '../lib/stats/auroc';
import { wilsonInterval } from '../lib/stats/wilson';
import { parseStrategySetting } from '../lib/strategies/settings';
import type { Problem } from '../lib/strategies/types';

export interface CostPoint {
  strategy: string;
  cost: number;
  accuracy: number;
  ciLow: number;
  ciHigh: number;
  /** On the Pareto frontier: no other strategy is at least as accurate for less cost. */
  frontier: boolean;
}

/** Points of accuracy against a cost (mean tokens or latency), frontier marked, sorted by cost. */
export function paretoPoints(rows: readonly StrategySummary[], cost: (row: StrategySummary) => number): CostPoint[] {
  const points = rows
    .filter((row) => row.n > 0 && Number.isFinite(cost(row)))
    .map((row) => ({ strategy: row.strategy, cost: cost(row), accuracy: row.accuracy, ciLow: row.ciLow, ciHigh: row.ciHigh, frontier: false }))
    .sort((a, b) => a.cost - b.cost || b.accuracy - a.accuracy);
  let best = Number.NEGATIVE_INFINITY;
  for (const point of points) {
    if (point.accuracy > best) {
      point.frontier = true;
      best = point.accuracy;
    }
  }
  return points;
}

export interface SweepPoint {
  strategy: string;
  x: number;
  accuracy: number;
  ciLow: number;
  ciHigh: number;
  /** Rows with the same other settings share a series (e.g. SC at temperature 0.8 vs 1.0). */
  series: string;
}

/** Rows of one strategy, placed by one numeric setting (`k` of self-consistency, `budget` of budgeted-cot). */
export function sweepPoints(rows: readonly StrategySummary[], strategyId: string, key: string): SweepPoint[] {
  const points: SweepPoint[] = [];
  for (const row of rows) {
    if (row.n === 0) continue;
    let setting;
    try {
      setting = parseStrategySetting(row.strategy);
    } catch {
      continue; // an imported run may name strategies this version does not know
    }
    if (setting.id !== strategyId) continue;
    const config: Record<string, unknown> = { ...setting.config };
    const x = config[key];
    if (typeof x !== 'number') continue;
    const others = Object.entries(config)
      .filter(([name]) => name !== key && name !== 'seed')
      .map(([name, value]) => `${name}=${String(value)}`)
      .join(',');
    points.push({ strategy: row.strategy, x, accuracy: row.accuracy, ciLow: row.ciLow, ciHigh: row.ciHigh, series: others });
  }
  return points.sort((a, b) => a.x - b.x);
}

/**
 * Self-consistency against k from ONE run at k: for each question, the vote over its first j
 * chains, for j = 1…k — the answer the strategy gives with j chains, read off the samples
 * already drawn, with no extra generation (lib/experiments/chain-replay.ts). Only rows
 * without early stopping: with ESC or the Beta rule the number of chains differs per question.
 * Weights (confidence-weighted voting) are the unit's `details.weights`, as the strategy voted.
 * At j = k the point is the row's accuracy.
 */
export function selfConsistencyCurve(units: readonly UnitResult[], problems: ReadonlyMap<string, Problem> = new Map()): SweepPoint[] {
  const selfConsistency = units.filter((unit) => unit.strategy.split(':')[0].trim() === 'self-consistency');
  return prefixTallies(selfConsistency, problems).flatMap(({ strategy, correct, n }) =>
    correct.map((right, i) => ({ strategy, x: i + 1, ...accuracyOf(right, n), series: `${strategy} (first j chains)` })),
  );
}

export interface TokenCurvePoint extends SweepPoint {
  /** Chains per question the point replays (j); null for an adaptive row's single point. */
  chains: number | null;
}

/**
 * Accuracy against mean generated tokens per question for the sampling methods: each replayable
 * row (self-consistency without early stopping, offline DeepConf, self-certainty, min-entropy)
 * as a curve over its first j chains, j = 1…k, selected or weighted by the row's own rule from
 * the stored samples; each adaptive row (ESC, the Beta rule, online DeepConf) as one point at
 * its mean tokens, as it ran. At j = k a curve ends at its row's accuracy and mean tokens.
 */
export function tokenCurves(rows: readonly StrategySummary[], units: readonly UnitResult[], problems: ReadonlyMap<string, Problem> = new Map()): TokenCurvePoint[] {
  const curves = prefixTallies(units, problems).flatMap(({ strategy, correct, tokens, n }) =>
    correct.map((right, i) => ({ strategy, x: tokens[i] / n, ...accuracyOf(right, n), series: strategy, chains: i + 1 })),
  );
  const adaptive = rows
    .filter((row) => row.n > 0 && isAdaptive(row.strategy))
    .map((row) => ({ strategy: row.strategy, x: row.meanTokens, accuracy: row.accuracy, ciLow: row.ciLow, ciHigh: row.ciHigh, series: row.strategy, chains: null }));
  return [...curves, ...adaptive];
}

interface PrefixTally {
  strategy: string;
  /** Questions answered right with the first j chains, at index j − 1. */
  correct: number[];
  /** Tokens those chains took, summed over the questions, at index j − 1. */
  tokens: number[];
  /** Questions. */
  n: number;
}

/**
 * Per replayable strategy row, correct answers and tokens with the first j chains. A replayed
 * answer is graded like the strategy's own (the unit's verdict when it is that answer, else
 * against the question). Every j counts the same questions: a row's curve ends at the fewest
 * chains any of its questions has.
 */
function prefixTallies(units: readonly UnitResult[], problems: ReadonlyMap<string, Problem>): PrefixTally[] {
  const tallies = new Map<string, PrefixTally>();
  for (const unit of units) {
    const replay = replayChains(unit);
    if (!replay) continue;
    const tally = tallies.get(unit.strategy) ?? { strategy: unit.strategy, correct: replay.answers.map(() => 0), tokens: replay.tokens.map(() => 0), n: 0 };
    const depth = Math.min(tally.correct.length, replay.answers.length);
    tally.correct.length = depth;
    tally.tokens.length = depth;
    tally.n++;
    for (let i = 0; i < depth; i++) {
      const answer = replay.answers[i];
      if (answer === unit.answer ? unit.correct : isCorrect(answer, problemOf(unit, problems))) tally.correct[i]++;
      tally.tokens[i] += replay.tokens[i];
    }
    tallies.set(unit.strategy, tally);
  }
  return [...tallies.values()];
}

/** The unit's question, for grading (`problems` gives its choices when the dataset is still here). */
function problemOf(unit: UnitResult, problems: ReadonlyMap<string, Problem>): Problem {
  return problems.get(unit.problemId) ?? { id: unit.problemId, question: '', reference: unit.reference };
}

function accuracyOf(correct: number, n: number): { accuracy: number; ciLow: number; ciHigh: number } {
  const interval = wilsonInterval(correct, n);
  return { accuracy: correct / n, ciLow: interval.low, ciHigh: interval.high };
}

export interface CalibrationBin {
  strategy: string;
  signal: string;
  /** 1 … bins: the confidence bin (by rank within the strategy's chains), lowest first. */
  bin: number;
  chains: number;
  /** Share of the bin's chains whose own answer is right, with its 95% Wilson interval. */
  accuracy: number;
  ciLow: number;
  ciHigh: number;
  minConfidence: number;
  maxConfidence: number;
}

export interface CalibrationSummary {
  strategy: string;
  signal: string;
  chains: number;
  correct: number;
  /** P(a right chain is more confident than a wrong one); null without both kinds. */
  auroc: number | null;
}

/**
 * Trace confidence against correctness per strategy row: each chain with the confidence its
 * strategy read from it (lib/experiments/trace-confidence.ts) and whether its own answer is
 * right; binned by rank into `bins` equal shares (deciles by default; tied confidences share a
 * bin, so bins can be uneven or empty, and empty ones are left out), plus the AUROC.
 */
export function calibration(
  units: readonly UnitResult[],
  problems: ReadonlyMap<string, Problem> = new Map(),
  bins = 10,
): { bins: CalibrationBin[]; summaries: CalibrationSummary[] } {
  const byStrategy = new Map<string, { signal: string; confidences: number[]; correct: boolean[] }>();
  for (const unit of units) {
    const traces = traceConfidences(unit);
    if (!traces) continue;
    const entry = byStrategy.get(unit.strategy) ?? { signal: traces.signal, confidences: [], correct: [] };
    for (const { chain, confidence } of traces.chains) {
      entry.confidences.push(confidence);
      entry.correct.push(isCorrect(chain.answer?.value ?? null, problemOf(unit, problems)));
    }
    byStrategy.set(unit.strategy, entry);
  }
  const out: { bins: CalibrationBin[]; summaries: CalibrationSummary[] } = { bins: [], summaries: [] };
  for (const [strategy, { signal, confidences, correct }] of byStrategy) {
    const n = confidences.length;
    out.summaries.push({ strategy, signal, chains: n, correct: correct.filter(Boolean).length, auroc: auroc(confidences, correct) });
    const sorted = [...confidences].sort((a, b) => a - b);
    const members = Array.from({ length: bins }, () => [] as number[]);
    confidences.forEach((confidence, i) => {
      const below = lowerBound(sorted, confidence);
      members[Math.min(bins - 1, Math.floor((bins * below) / n))].push(i);
    });
    members.forEach((indices, bin) => {
      if (indices.length === 0) return;
      const values = indices.map((i) => confidences[i]);
      out.bins.push({
        strategy,
        signal,
        bin: bin + 1,
        chains: indices.length,
        ...accuracyOf(indices.filter((i) => correct[i]).length, indices.length),
        minConfidence: Math.min(...values),
        maxConfidence: Math.max(...values),
      });
    });
  }
  return out;
}

/** How many of the ascending `sorted` values are below `value`. */
function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

export interface EarlyAnswerPoint {
  strategy: string;
  /** Share of the chain kept before the answer was forced (0…1). */
  fraction: number;
  /** Share of questions whose forced answer matched the full chain's. */
  matchRate: number;
  questions: number;
}

/** The early-answering curve per probe strategy, from each unit's `details.points`. */
export function earlyAnsweringCurve(units: readonly UnitResult[]): EarlyAnswerPoint[] {
  const tally = new Map<string, { strategy: string; fraction: number; matches: number; questions: number }>();
  for (const unit of units) {
    const points = unit.result.details?.points;
    if (!unit.strategy.startsWith('early-answering') || !Array.isArray(points)) continue;
    for (const point of points) {
      if (typeof point !== 'object' || point === null) continue;
      const { fraction, matchesFinal } = point as { fraction?: unknown; matchesFinal?: unknown };
      if (typeof fraction !== 'number' || typeof matchesFinal !== 'boolean') continue;
      const key = `${unit.strategy}@${fraction}`;
      const entry = tally.get(key) ?? { strategy: unit.strategy, fraction, matches: 0, questions: 0 };
      entry.questions++;
      if (matchesFinal) entry.matches++;
      tally.set(key, entry);
    }
  }
  return [...tally.values()]
    .map((entry) => ({ strategy: entry.strategy, fraction: entry.fraction, matchRate: entry.matches / entry.questions, questions: entry.questions }))
    .sort((a, b) => a.strategy.localeCompare(b.strategy) || a.fraction - b.fraction);
}
