/**
 * The results table: one row per strategy, computed from finished units only. Accuracy has a
 * 95% Wilson interval; tokens and latency are per question (all of a question's samples
 * together); time to first token and decode rate are per sample; the paired comparison with a
 * baseline is McNemar's test over the questions both strategies finished.
 */
import { mean, median } from '../stats/descriptive';
import { mcnemar, type McNemarResult } from '../stats/mcnemar';
import { wilsonInterval } from '../stats/wilson';
import { isCachedSample } from './cache';
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
  correct: number;
  accuracy: number;
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

/**
 * Rows in `strategies` order (strategies without finished units still get a row with n = 0).
 * `baseline` names one of them; the others are compared with it question by question.
 */
export function summarize(units: readonly UnitResult[], strategies: readonly string[], baseline?: string): StrategySummary[] {
  const byStrategy = new Map<string, UnitResult[]>(strategies.map((strategy) => [strategy, []]));
  for (const unit of units) byStrategy.get(unit.strategy)?.push(unit);
  const baselineCorrect = baseline === undefined ? undefined : new Map((byStrategy.get(baseline) ?? []).map((u) => [u.problemId, u.correct]));
  return strategies.map((strategy) => {
    const rows = byStrategy.get(strategy) ?? [];
    const samples = rows.flatMap((unit) => unit.result.samples);
    const correct = rows.filter((unit) => unit.correct).length;
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
      vsBaseline: baselineCorrect === undefined || strategy === baseline ? null : compare(baseline as string, baselineCorrect, rows),
    };
  });
}

function compare(baseline: string, baselineCorrect: ReadonlyMap<string, boolean>, rows: readonly UnitResult[]): BaselineComparison {
  let b = 0;
  let c = 0;
  let pairs = 0;
  for (const unit of rows) {
    const base = baselineCorrect.get(unit.problemId);
    if (base === undefined) continue;
    pairs++;
    if (base && !unit.correct) b++;
    else if (!base && unit.correct) c++;
  }
  return { baseline, pairs, ...mcnemar(b, c) };
}
