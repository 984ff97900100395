/**
 * From per-problem outcomes to the model card's measurements: accuracies with Wilson 95%
 * intervals, paired differences with bootstrap 95% intervals, and the issue's bars.
 */
import { wilsonInterval } from '../../src/lib/stats/wilson';
import { EVAL_SAMPLING, samplerText, type EvalSampling } from './eval-sampling';

/** What one problem gave under one dtype. */
export interface ProblemOutcome {
  id: string;
  split: 'test' | 'ood';
  steps: number;
  /** Greedy chain (thinking on) answered correctly. */
  cot: boolean;
  chainTokens: number;
  /** Forced answer after the first x% of the greedy chain's thinking tokens, by x (0, 25, 50, 75). */
  probes?: Record<string, boolean>;
  /** Greedy, thinking off. */
  direct?: boolean;
  /** The first of the sampled chains (a single sample at the SC temperature). */
  scSingle?: boolean;
  /** Share of the sampled chains that were correct. */
  scSampleShare?: number;
  /** Majority vote of the sampled chains. */
  scVote?: boolean;
}

export interface Proportion {
  correct: number;
  n: number;
  rate: number;
  low: number;
  high: number;
}

export interface Difference {
  /** Points (percentage points), a - b. */
  points: number;
  low: number;
  high: number;
  n: number;
}

export function proportion(outcomes: readonly boolean[]): Proportion {
  const correct = outcomes.filter(Boolean).length;
  const { low, high } = wilsonInterval(correct, outcomes.length);
  return { correct, n: outcomes.length, rate: outcomes.length ? correct / outcomes.length : 0, low, high };
}

/** mulberry32: a small seeded PRNG, so the bootstrap intervals are the same run to run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Paired difference a - b over the same problems, percentile bootstrap (2,000 resamples). */
export function pairedDifference(pairs: readonly (readonly [boolean, boolean])[], resamples = 2000): Difference {
  const n = pairs.length;
  const diff = (rows: readonly (readonly [boolean, boolean])[]) =>
    (100 * rows.reduce((sum, [a, b]) => sum + Number(a) - Number(b), 0)) / Math.max(1, rows.length);
  const random = prng(12345);
  const stats: number[] = [];
  for (let r = 0; r < resamples && n > 0; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const [a, b] = pairs[Math.floor(random() * n)];
      sum += Number(a) - Number(b);
    }
    stats.push((100 * sum) / n);
  }
  stats.sort((x, y) => x - y);
  const at = (q: number) => (stats.length ? stats[Math.min(stats.length - 1, Math.floor(q * stats.length))] : 0);
  return { points: diff(pairs), low: at(0.025), high: at(0.975), n };
}

export const PROBE_PERCENTS = ['0', '25', '50', '75'] as const;
export const LONG_STEPS = 4;

export interface DtypeSummary {
  thinkingOn: Proportion;
  thinkingOnLong: Proportion;
  thinkingOffLong: Proportion;
  thinkingOff: Proportion;
  thinkingGapLong: Difference;
  scSingle: Proportion;
  scSampleShare: number;
  scVote: Proportion;
  scGain: Difference;
  budget: { percent: number; accuracy: Proportion }[];
  ood: Proportion;
  /** "2–7": the numbers per problem (steps + 1) in each split, for labels. */
  testNumbers: string;
  oodNumbers: string;
  byStepsOn: Record<string, Proportion>;
  byStepsOff: Record<string, Proportion>;
  medianChainTokens: number;
}

function numbersRange(outcomes: readonly ProblemOutcome[]): string {
  if (outcomes.length === 0) return '–';
  const numbers = outcomes.map((o) => o.steps + 1);
  const [min, max] = [Math.min(...numbers), Math.max(...numbers)];
  return min === max ? String(min) : `${min}–${max}`;
}

export function summarize(outcomes: readonly ProblemOutcome[]): DtypeSummary {
  const test = outcomes.filter((o) => o.split === 'test');
  const long = test.filter((o) => o.steps >= LONG_STEPS);
  const withDirect = test.filter((o) => o.direct !== undefined);
  const withSc = test.filter((o) => o.scVote !== undefined && o.scSingle !== undefined);
  const withProbes = test.filter((o) => o.probes !== undefined);
  const stepsSeen = [...new Set(test.map((o) => o.steps))].sort((a, b) => a - b);
  const chainTokens = test.map((o) => o.chainTokens).sort((a, b) => a - b);
  return {
    thinkingOn: proportion(test.map((o) => o.cot)),
    thinkingOnLong: proportion(long.map((o) => o.cot)),
    thinkingOffLong: proportion(long.filter((o) => o.direct !== undefined).map((o) => o.direct === true)),
    thinkingOff: proportion(withDirect.map((o) => o.direct === true)),
    thinkingGapLong: pairedDifference(long.filter((o) => o.direct !== undefined).map((o) => [o.cot, o.direct === true])),
    scSingle: proportion(withSc.map((o) => o.scSingle === true)),
    scSampleShare: withSc.reduce((sum, o) => sum + (o.scSampleShare ?? 0), 0) / Math.max(1, withSc.length),
    scVote: proportion(withSc.map((o) => o.scVote === true)),
    scGain: pairedDifference(withSc.map((o) => [o.scVote === true, o.scSingle === true])),
    budget: [
      ...PROBE_PERCENTS.map((p) => ({ percent: Number(p), accuracy: proportion(withProbes.map((o) => o.probes?.[p] === true)) })),
      { percent: 100, accuracy: proportion(withProbes.map((o) => o.cot)) },
    ],
    ood: proportion(outcomes.filter((o) => o.split === 'ood').map((o) => o.cot)),
    testNumbers: numbersRange(test),
    oodNumbers: numbersRange(outcomes.filter((o) => o.split === 'ood')),
    byStepsOn: Object.fromEntries(stepsSeen.map((s) => [String(s), proportion(test.filter((o) => o.steps === s).map((o) => o.cot))])),
    byStepsOff: Object.fromEntries(
      stepsSeen.map((s) => [String(s), proportion(withDirect.filter((o) => o.steps === s).map((o) => o.direct === true))]),
    ),
    medianChainTokens: chainTokens.length ? chainTokens[Math.floor(chainTokens.length / 2)] : 0,
  };
}

export interface Bar {
  label: string;
  value: string;
  pass: boolean;
}

/**
 * The budget bar: accuracy cut at 25, 50 and 75% of the chain and with the full (uncut) chain,
 * each strictly above the one before. (0% is the probe's own baseline, not one of the bar's budgets.)
 */
export function risesWithBudget(budget: readonly { percent: number; accuracy: Proportion }[]): boolean {
  const rates = budget.filter((b) => b.percent >= 25).map((b) => b.accuracy.rate);
  return rates.length >= 2 && rates.slice(1).every((rate, i) => rate > rates[i]);
}

export function bars(s: DtypeSummary, sampling: EvalSampling = EVAL_SAMPLING): Bar[] {
  const rising = risesWithBudget(s.budget);
  return [
    { label: 'thinking on, greedy ≥ 85%', value: pct(s.thinkingOn.rate), pass: s.thinkingOn.rate >= 0.85 },
    {
      label: `thinking off ≥ 20 points below thinking on (≥ ${LONG_STEPS} steps)`,
      value: `${s.thinkingGapLong.points.toFixed(1)} points`,
      pass: s.thinkingGapLong.points >= 20,
    },
    {
      label: `self-consistency@${sampling.scSamples} ≥ single sample + 5 points (${samplerText(sampling)})`,
      value: `${s.scGain.points.toFixed(1)} points`,
      pass: s.scGain.points >= 5,
    },
    {
      label: 'accuracy rises with the budget (cut at 25 → 50 → 75% → full chain, uncut)',
      value: s.budget.filter((b) => b.percent >= 25).map((b) => pct(b.accuracy.rate)).join(' → '),
      pass: rising,
    },
  ];
}

export function pct(rate: number): string {
  return `${(100 * rate).toFixed(1)}%`;
}

export function withInterval(p: Proportion): string {
  return `${pct(p.rate)} [${pct(p.low)}, ${pct(p.high)}] (${p.correct}/${p.n})`;
}

export function differenceText(d: Difference): string {
  const sign = (x: number) => (x >= 0 ? '+' : '') + x.toFixed(1);
  return `${sign(d.points)} [${sign(d.low)}, ${sign(d.high)}] (n=${d.n})`;
}

/**
 * A budget row's label. Below 100% the greedy chain was cut and an answer forced; the 100%
 * point is that same chain left whole (no cut, nothing forced), so it says so.
 */
export function budgetLabel(percent: number): string {
  return percent >= 100 ? 'Full chain (uncut), greedy' : `Chain cut at ${percent}%, answer forced`;
}

/** The markdown table for the model card, one column per dtype. */
export function renderTable(
  summaries: readonly { dtype: string; summary: DtypeSummary }[],
  sampling: EvalSampling = EVAL_SAMPLING,
): string {
  const header = `| Measurement | ${summaries.map((s) => s.dtype).join(' | ')} |`;
  const rule = `| --- | ${summaries.map(() => '---').join(' | ')} |`;
  const row = (label: string, cell: (s: DtypeSummary) => string) =>
    `| ${label} | ${summaries.map(({ summary }) => cell(summary)).join(' | ')} |`;
  const rows = [
    row('Thinking on, greedy (all held-out)', (s) => withInterval(s.thinkingOn)),
    row(`Thinking on, greedy (≥ ${LONG_STEPS} steps)`, (s) => withInterval(s.thinkingOnLong)),
    row(`Thinking off, greedy (≥ ${LONG_STEPS} steps)`, (s) => withInterval(s.thinkingOffLong)),
    row(`On − off, ≥ ${LONG_STEPS} steps (points)`, (s) => differenceText(s.thinkingGapLong)),
    row('Thinking off, greedy (all held-out)', (s) => withInterval(s.thinkingOff)),
    row(`One chain sampled at T ${sampling.temperature}`, (s) => withInterval(s.scSingle)),
    row(`Mean over the ${sampling.scSamples} sampled chains`, (s) => pct(s.scSampleShare)),
    row(`Self-consistency, ${sampling.scSamples} chains at T ${sampling.temperature}`, (s) => withInterval(s.scVote)),
    row('Self-consistency − one chain (points)', (s) => differenceText(s.scGain)),
    ...(summaries[0]?.summary.budget ?? []).map((point, i) =>
      row(budgetLabel(point.percent), (s) => withInterval(s.budget[i].accuracy)),
    ),
    row(`OOD (${summaries[0]?.summary.oodNumbers ?? '?'} numbers), thinking on, greedy`, (s) => withInterval(s.ood)),
    row('Median chain (thinking tokens)', (s) => String(s.medianChainTokens)),
  ];
  return [header, rule, ...rows].join('\n');
}

export function renderStepsTable(summaries: readonly { dtype: string; summary: DtypeSummary }[]): string {
  const steps = Object.keys(summaries[0]?.summary.byStepsOn ?? {});
  const header = `| Steps (numbers − 1) | ${summaries.flatMap((s) => [`${s.dtype} on`, `${s.dtype} off`]).join(' | ')} |`;
  const rule = `| --- | ${summaries.flatMap(() => ['---', '---']).join(' | ')} |`;
  const rows = steps.map(
    (step) =>
      `| ${step} | ${summaries
        .flatMap(({ summary }) => [withInterval(summary.byStepsOn[step]), withInterval(summary.byStepsOff[step])])
        .join(' | ')} |`,
  );
  return [header, rule, ...rows].join('\n');
}
