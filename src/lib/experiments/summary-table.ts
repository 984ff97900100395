/**
 * The results table as plain text (the CLI's output; the same columns as the Results page).
 * `fallback` is the share of questions answered only by the last-number fallback.
 */
import type { StrategySummary } from './summary';

const COLUMNS: { title: string; cell: (row: StrategySummary) => string; left?: boolean }[] = [
  { title: 'strategy', cell: (row) => row.strategy, left: true },
  { title: 'n', cell: (row) => String(row.n) },
  { title: 'accuracy [95% CI]', cell: (row) => `${pct(row.accuracy)} [${pct(row.ciLow)}, ${pct(row.ciHigh)}]` },
  { title: 'fallback', cell: (row) => pct(row.fallbackShare) },
  { title: 'tokens mean/med', cell: (row) => `${num(row.meanTokens)}/${num(row.medianTokens)}` },
  { title: 'think/answer', cell: (row) => `${num(row.meanThinkingTokens)}/${num(row.meanAnswerTokens)}` },
  { title: 'samples/q', cell: (row) => num(row.samplesPerQuestion, 2) },
  { title: 'latency ms', cell: (row) => num(row.meanLatencyMs) },
  { title: 'TTFT ms', cell: (row) => num(row.meanTtftMs) },
  { title: 'decode tok/s', cell: (row) => num(row.decodeTokensPerS) },
  { title: 'vs baseline', cell: (row) => vs(row) },
];

/** Printed under a strict table, whose accuracy is not comparable with a lenient one's. */
export const STRICT_NOTE = 'strict: answers found only by the last-number fallback count as wrong';

export function formatSummaryTable(rows: readonly StrategySummary[]): string {
  const cells = [COLUMNS.map((column) => column.title), ...rows.map((row) => COLUMNS.map((column) => column.cell(row)))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((line) => line[i].length)));
  const render = (line: string[]) =>
    line.map((cell, i) => (COLUMNS[i].left ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd();
  const lines = [render(cells[0]), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.slice(1).map(render)];
  if (rows.some((row) => row.strict)) lines.push(STRICT_NOTE);
  return lines.join('\n');
}

function pct(value: number): string {
  return Number.isNaN(value) ? '–' : `${(value * 100).toFixed(1)}%`;
}

function num(value: number, digits = 1): string {
  return Number.isNaN(value) ? '–' : value.toFixed(digits);
}

function vs(row: StrategySummary): string {
  const comparison = row.vsBaseline;
  if (comparison === null) return '';
  const p = comparison.pValue < 0.001 ? comparison.pValue.toExponential(1) : comparison.pValue.toFixed(3);
  return `+${comparison.c}/-${comparison.b} p=${p}`;
}
