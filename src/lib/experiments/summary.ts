/**
 * The results table: one row per strategy, computed from finished units only. Accuracy has a
 * 95% Wilson interval; tokens and latency are per question (all of a question's samples
 * together); time to first token and decode rate are per sample; the paired comparison with a
 * baseline is McNemar's test over the questions both strategies finished. The fallback share
 * is the fraction of questions whose final answer was found only by the last-number fallback
 * (no answer cue); strict mode counts those answers wrong, in the accuracy and in McNemar.
 */
import { mean, median } from '../stats/descriptive';
import { mcnemar, type McNemarResult } from '../stats/mcnemar';
import { wilsonInterval } from '../stats/wilson';
import { isCachedSample } from './cache';
import { answeredByFallback } from './grade-unit';
import type { UnitResult } from './types';

export interface BaselineComparison extends McNemarResult {
  baseline: string;
  /** Questions finished by both strategies. */
  pairs: number;
}

export interface StrategySummary {
  strategy: string;
  /** Questions finished. */
  n: number;
  /** Questions answered right (in strict mode, only those whose answer was not a fallback). */
  correct: number;
  accuracy: number;
  /** Questions whose final answer was found only by the last-number fallback. */
  fallbacks: number;
  /** `fallbacks / n`; NaN without finished questions. */
  fallbackShare: number;
  /** Whether fallback answers were counted wrong. */
  strict: boolean;
  ciLow: number;
  ciHigh: number;
  meanTokens: number;
  medianTokens: number;
  meanThinkingTokens: number;
  medianThinkingTokens: number;
  meanAnswerTokens: number;
  medianAnswerTokens: number;
  samplesPerQuestion: number;
  meanLatencyMs: number;
  medianLatencyMs: number;
  /** Mean over samples. */
  meanTtftMs: number;
  /** Mean over samples with at least two tokens. */
  decodeTokensPerS: number;
  cachedSamples: number;
  /** Null for the baseline itself and when no baseline was chosen. */
  vsBaseline: BaselineComparison | null;
}

export interface SummaryOptions {
  /** Count a final answer found only by the last-number fallback as wrong. */
  strict?: boolean;
}

/**
 * Rows in `strategies` order (strategies without finished units still get a row with n = 0).
 * `baseline` names one of them; the others are compared with it question by question.
 */
export function summarize(
  units: readonly UnitResult[],
  strategies: readonly string[],
  baseline?: string,
  options: SummaryOptions = {},
): StrategySummary[] {
  const strict = options.strict ?? false;
  const isRight = (unit: UnitResult) => unit.correct && !(strict && answeredByFallback(unit.result));
  const byStrategy = new Map<string, UnitResult[]>(strategies.map((strategy) => [strategy, []]));
  for (const unit of units) byStrategy.get(unit.strategy)?.push(unit);
  const baselineCorrect = baseline === undefined ? undefined : new Map((byStrategy.get(baseline) ?? []).map((u) => [u.problemId, isRight(u)]));
  return strategies.map((strategy) => {
    const rows = byStrategy.get(strategy) ?? [];
    const samples = rows.flatMap((unit) => unit.result.samples);
    const correct = rows.filter(isRight).length;
    const fallbacks = rows.filter((unit) => answeredByFallback(unit.result)).length;
    const interval = wilsonInterval(correct, rows.length);
    const tokens = rows.map((unit) => unit.result.totals.tokens);
    const thinking = rows.map((unit) => unit.result.totals.thinkingTokens);
    const answer = rows.map((unit) => unit.result.totals.answerTokens);
    const latency = rows.map((unit) => unit.latencyMs);
    return {
      strategy,
      n: rows.length,
      correct,
      accuracy: rows.length > 0 ? correct / rows.length : Number.NaN,
      fallbacks,
      fallbackShare: rows.length > 0 ? fallbacks / rows.length : Number.NaN,
      strict,
      ciLow: interval.low,
      ciHigh: interval.high,
      meanTokens: mean(tokens),
      medianTokens: median(tokens),
      meanThinkingTokens: mean(thinking),
      medianThinkingTokens: median(thinking),
      meanAnswerTokens: mean(answer),
      medianAnswerTokens: median(answer),
      samplesPerQuestion: rows.length > 0 ? samples.length / rows.length : Number.NaN,
      meanLatencyMs: mean(latency),
      medianLatencyMs: median(latency),
      meanTtftMs: mean(samples.map((sample) => sample.timings.ttftMs)),
      decodeTokensPerS: mean(samples.filter((sample) => sample.tokens >= 2).map((sample) => sample.timings.decodeTokensPerS)),
      cachedSamples: samples.filter(isCachedSample).length,
      vsBaseline: baselineCorrect === undefined || strategy === baseline ? null : compare(baseline as string, baselineCorrect, rows, isRight),
    };
  });
}

function compare(
  baseline: string,
  baselineCorrect: ReadonlyMap<string, boolean>,
  rows: readonly UnitResult[],
  isRight: (unit: UnitResult) => boolean,
): BaselineComparison {
  let b = 0;
  let c = 0;
  let pairs = 0;
  for (const unit of rows) {
    const base = baselineCorrect.get(unit.problemId);
    if (base === undefined) continue;
    pairs++;
    if (base && !isRight(unit)) b++;
    else if (!base && isRight(unit)) c++;
  }
  return { baseline, pairs, ...mcnemar(b, c) };
}
