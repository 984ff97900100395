/**
 * The CSV export: one row per sample, for spreadsheets and pandas; RFC 4180 quoting.
 * `unit_fallback` says whether the unit's final answer was found only by the last-number
 * fallback: its mean over a strategy's units is the results table's fallback share, and a unit
 * is right in strict mode when `unit_correct` and not `unit_fallback`.
 */
import { isCachedSample } from './cache';
import type { ExperimentExport } from './export-format';
import { answeredByFallback } from './grade-unit';

const HEADER = [
  'experiment',
  'strategy',
  'problem_id',
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
  for (const unit of data.units) {
    const unitFallback = answeredByFallback(unit.result);
    unit.result.samples.forEach((sample, index) => {
      const row: (string | number | boolean | null)[] = [
        data.experiment.id,
        unit.strategy,
        unit.problemId,
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
        sample.timings.ttftMs,
        sample.timings.prefillMs,
        sample.timings.decodeMs,
        sample.timings.decodeTokensPerS,
        sample.timings.totalMs,
        sample.text,
      ];
      lines.push(row.map(csvCell).join(','));
    });
  }
  return lines.join('\r\n') + '\r\n';
}

function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
