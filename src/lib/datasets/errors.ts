/**
 * The one error a dataset parser throws. `line` is 1-based (a file line, or a row number for
 * rows fetched from the hub); `field` names the offending field when there is one, so the UI
 * can say "line 12, field answer: …" and the user can fix the file.
 */
export class DatasetParseError extends Error {
  override readonly name = 'DatasetParseError';
  readonly line: number | null;
  readonly field: string | null;
  /** The problem itself, without the location prefix. */
  readonly reason: string;

  constructor(reason: string, location: { line?: number; field?: string; unit?: 'line' | 'row' } = {}) {
    const parts: string[] = [];
    if (location.line !== undefined) parts.push(`${location.unit ?? 'line'} ${location.line}`);
    if (location.field !== undefined) parts.push(`field "${location.field}"`);
    super(parts.length > 0 ? `${parts.join(', ')}: ${reason}` : reason);
    this.line = location.line ?? null;
    this.field = location.field ?? null;
    this.reason = reason;
  }
}
