/**
 * The CSV exports, for spreadsheets and pandas: one row per sample (`exportToCsv`) and the
 * results table (`summaryToCsv`). RFC 4180 quoting, formula starts neutralised (csv-cell.ts),
 * times and rates rounded (export-round.ts); the JSON export keeps the exact values.
 * `unit_fallback` says whether the unit's final answer was found only by the last-number
 * fallback: its mean over a strategy's units is the results table's fallback share, and a unit
 * is right in strict mode when `unit_correct` and not `unit_fallback`. `unit_probe` holds the
 * unit's faithfulness-probe measures as JSON (`{"answer changed":1}`), empty for other strategies;
 * the summary CSV carries their means with intervals, per strategy, as `probe_…` columns.
 */
import { isCachedSample } from './cache';
import { csvLine, type CsvValue } from './csv-cell';
import type { ExperimentExport } from './export-format';
import { roundForExport } from './export-round';
import { exportProbeSummary, exportSummary, type ExportedSummaryRow } from './export-summary';
import { probeMeasures } from './probe-summary';
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
  'unit_probe',
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
    const measures = probeMeasures(unit);
    const unitProbe = measures.length > 0 ? JSON.stringify(Object.fromEntries(measures.map((measure) => [measure.metric, measure.value]))) : null;
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
        unitProbe,
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
  const probes = probeColumns(data);
  const rows = exportSummary(data, options).map((row) => ({ ...row, ...probes.get(String(row.strategy)) }));
  const keys = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const header = ['experiment', 'experiment_name', ...keys.map(snakeCase)];
  const lines = [header.join(',')];
  for (const row of rows) lines.push(csvLine([data.experiment.id, data.experiment.name, ...keys.map((key) => row[key] ?? null)]));
  return lines.join('\r\n') + '\r\n';
}

/**
 * The probe table's rows as columns of their strategy's row: `probe_answer_changed`, with
 * `_n`, `_ci_low`, `_ci_high` — named by the metric, so a strategy without probes leaves them empty.
 */
function probeColumns(data: ExperimentExport): Map<string, ExportedSummaryRow> {
  const byStrategy = new Map<string, ExportedSummaryRow>();
  for (const row of exportProbeSummary(data)) {
    const name = `probe_${String(row.metric).toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '')}`;
    const columns = byStrategy.get(String(row.strategy)) ?? {};
    Object.assign(columns, { [name]: row.value, [`${name}_n`]: row.n, [`${name}_ci_low`]: row.ciLow, [`${name}_ci_high`]: row.ciHigh });
    byStrategy.set(String(row.strategy), columns);
  }
  return byStrategy;
}

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
