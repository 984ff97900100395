/** Number and duration formatting shared by the experiment components. */

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  const totalS = Math.round(ms / 1000);
  if (totalS < 60) return `${totalS}s`;
  const minutes = Math.floor(totalS / 60);
  if (minutes < 60) return `${minutes}m ${String(totalS % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

export function formatNumber(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

export function formatPercent(value: number): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : '–';
}

export function formatPValue(p: number): string {
  if (!Number.isFinite(p)) return '–';
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

/** What a thinking extension (s1 budget forcing) did to a sample, as a suffix: `, 2× extended, +31`; empty when none happened. */
export function extensionNote(sample: { thinkingExtension?: { times: number; addedTokens: number } }): string {
  const extension = sample.thinkingExtension;
  if (!extension || extension.times === 0) return '';
  return `, ${extension.times}× extended, +${extension.addedTokens}`;
}
