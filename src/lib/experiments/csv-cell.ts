/**
 * One CSV cell, safe to open in a spreadsheet. Model output and imported questions are
 * untrusted: a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read as
 * a formula by Excel, LibreOffice and Google Sheets (CSV/formula injection). Following OWASP,
 * such text cells get a leading single quote, which spreadsheets show as text. Numbers written
 * as numbers, and text that is exactly a plain number (an answer `-5`), are not formulas and
 * stay as they are, so negative answers still read back as numbers.
 */

export type CsvValue = string | number | boolean | null;

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** RFC 4180 quoting after neutralising formula starts; null is the empty cell. */
export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  const text = typeof value === 'string' ? neutralise(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Text a spreadsheet would evaluate, prefixed with `'` so it is shown as written. */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

export function csvLine(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(',');
}
