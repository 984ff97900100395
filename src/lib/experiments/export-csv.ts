/**
 * The CSV exports, for spreadsheets and pandas: one row per sample (`exportToCsv`) and the
 * results table (`summaryToCsv`). RFC 4180 quoting, formula starts neutralised (csv-cell.ts),
 * times and rates rounded (export-round.ts); the JSON export keeps the exact values.
 * `unit_fallback` says whether the unit's final answer was found only by the last-number
 * fallback: its mean over a strategy's units is the results table's fallback share, and a unit
 * is right in strict mode when `unit_correct` and not `unit_fallback`.
 */
import { isCachedSample } from './cache';
import { csvLine, type CsvValue } from './csv-cell';
import type { ExperimentExport } from './export-format';
import { roundForExport } from './export-round';
import { exportSummary } from './export-summary';
import type { SummaryOptions } from './summary';
import { answeredByFallback } from './grade-unit';

const HEADER = [
  'experiment',
  'experiment_name',
  'strategy',
  'problem_id',
  'question',
  'reference',
  'unit_answer',
  'unit_correct',
  'unit_fallback',
  'sample_index',
  'role',
  'answer',
  'answer_rule',
  'answer_fallback',
  'tokens',
  'thinking_tokens',
  'answer_tokens',
  'finish_reason',
  'budget_cut',
  'cached',
  'prompt_tokens',
  'ttft_ms',
  'prefill_ms',
  'decode_ms',
  'decode_tokens_per_s',
  'total_ms',
  'text',
] as const;

export function exportToCsv(data: ExperimentExport): string {
  const lines = [HEADER.join(',')];
  const questions = new Map(data.dataset.problems.map((problem) => [problem.id, problem.question]));
  for (const unit of data.units) {
    const unitFallback = answeredByFallback(unit.result);
    unit.result.samples.forEach((sample, index) => {
      const row: CsvValue[] = [
        data.experiment.id,
        data.experiment.name,
        unit.strategy,
        unit.problemId,
        questions.get(unit.problemId) ?? null,
        unit.reference,
        unit.answer,
        unit.correct,
        unitFallback,
        index,
        sample.role,
        sample.answer?.value ?? null,
        sample.answer?.rule ?? null,
        sample.answer?.fallback ?? null,
        sample.tokens,
        sample.thinkingTokens,
        sample.answerTokens,
        sample.finishReason,
        sample.budgetCut,
        isCachedSample(sample),
        sample.timings.promptTokens,
        roundForExport('ttftMs', sample.timings.ttftMs),
        roundForExport('prefillMs', sample.timings.prefillMs),
        roundForExport('decodeMs', sample.timings.decodeMs),
        roundForExport('decodeTokensPerS', sample.timings.decodeTokensPerS),
        roundForExport('totalMs', sample.timings.totalMs),
        sample.text,
      ];
      lines.push(csvLine(row));
    });
  }
  return lines.join('\r\n') + '\r\n';
}

/**
 * The results table, one row per strategy: accuracy with its 95% Wilson interval, tokens,
 * latency, the McNemar comparison with the baseline — every field of the summary, in its
 * order, as snake_case columns after the experiment's id and name.
 */
export function summaryToCsv(data: ExperimentExport, options: SummaryOptions = {}): string {
  const rows = exportSummary(data, options);
  const keys = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const header = ['experiment', 'experiment_name', ...keys.map(snakeCase)];
  const lines = [header.join(',')];
  for (const row of rows) lines.push(csvLine([data.experiment.id, data.experiment.name, ...keys.map((key) => row[key] ?? null)]));
  return lines.join('\r\n') + '\r\n';
}

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
