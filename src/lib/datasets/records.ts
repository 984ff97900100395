import { DatasetParseError } from './errors';

/** A record read from a file with the 1-based line it starts on, before any field is interpreted. */
export interface LocatedRecord {
  line: number;
  record: Record<string, unknown>;
}

/** One JSON object per non-blank line. Every line is checked before anything is returned. */
export function readJsonLines(text: string): LocatedRecord[] {
  const records: LocatedRecord[] = [];
  const lines = stripBom(text).split(/\r?\n/);
  lines.forEach((lineText, index) => {
    if (lineText.trim() === '') return;
    const line = index + 1;
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch (error) {
      throw new DatasetParseError(`not valid JSON (${(error as Error).message})`, { line });
    }
    if (!isPlainObject(value)) throw new DatasetParseError('expected a JSON object', { line });
    records.push({ line, record: value });
  });
  if (records.length === 0) throw new DatasetParseError('the file has no records');
  return records;
}

/**
 * RFC 4180 CSV with a header row: comma separated, fields in double quotes may hold commas,
 * newlines and doubled quotes. Each record keeps the line it starts on.
 */
export function readCsv(text: string): LocatedRecord[] {
  const rows = tokenizeCsv(stripBom(text));
  const nonBlank = rows.filter((row) => !(row.fields.length === 1 && row.fields[0] === ''));
  if (nonBlank.length === 0) throw new DatasetParseError('the file is empty');
  const [header, ...body] = nonBlank;
  const names = header.fields.map((name) => name.trim());
  names.forEach((name, column) => {
    if (name === '') throw new DatasetParseError(`column ${column + 1} of the header has no name`, { line: header.line });
    if (names.indexOf(name) !== column) throw new DatasetParseError(`column "${name}" appears twice in the header`, { line: header.line });
  });
  if (body.length === 0) throw new DatasetParseError('the file has a header but no records');
  return body.map(({ line, fields }) => {
    if (fields.length !== names.length) {
      throw new DatasetParseError(`expected ${names.length} fields as in the header, found ${fields.length}`, { line });
    }
    const record: Record<string, unknown> = {};
    names.forEach((name, column) => (record[name] = fields[column]));
    return { line, record };
  });
}

interface CsvRow {
  line: number;
  fields: string[];
}

function tokenizeCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let rowLine = 1;
  let quoted = false;
  let quoteOpenedOnLine = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (char === '\n') line++;
        field += char;
      }
      continue;
    }
    if (char === '"') {
      if (field !== '') throw new DatasetParseError('a quote inside an unquoted field (quote the whole field)', { line });
      quoted = true;
      quoteOpenedOnLine = line;
    } else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      rows.push({ line: rowLine, fields });
      fields = [];
      field = '';
      line++;
      rowLine = line;
    } else {
      field += char;
    }
  }
  if (quoted) throw new DatasetParseError('a quoted field is never closed', { line: quoteOpenedOnLine });
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    rows.push({ line: rowLine, fields });
  }
  return rows;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
