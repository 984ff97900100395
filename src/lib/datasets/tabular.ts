import { DatasetParseError } from './errors';
import { contentId } from './content-id';
import { problemsFromRecords, type FieldMapping, type ReferenceFormat } from './fields';
import { readCsv, readJsonLines } from './records';
import type { Dataset } from './types';

export interface TabularOptions {
  format: 'jsonl' | 'csv';
  fileName: string;
  mapping: FieldMapping;
  /** `gsm8k` when the reference field holds a GSM8K-style solution ending in `#### n`. */
  referenceFormat?: ReferenceFormat;
  /** Keep only problems of this split (needs `mapping.split`); every row is still validated. */
  split?: string;
  name?: string;
}

/** Parses a general JSONL or CSV file through a field mapping; validates every record before returning. */
export function parseTabular(text: string, options: TabularOptions): Dataset {
  if (options.split !== undefined && options.mapping.split === undefined) {
    throw new DatasetParseError(`a split ("${options.split}") was chosen but no split field is mapped`);
  }
  const records = options.format === 'csv' ? readCsv(text) : readJsonLines(text);
  const all = problemsFromRecords(records, options.mapping, options.referenceFormat ?? 'value');
  const problems = options.split === undefined ? all : all.filter((problem) => problem.split === options.split);
  if (problems.length === 0) {
    const found = [...new Set(all.map((problem) => problem.split))].join(', ');
    throw new DatasetParseError(`no records in split "${options.split}" (splits found: ${found})`, { field: options.mapping.split });
  }
  const idPart = options.split === undefined ? text : `${options.split}\n${text}`;
  return {
    id: contentId(options.format, `${JSON.stringify(options.mapping)}\n${idPart}`),
    name: options.name ?? (options.split === undefined ? options.fileName : `${options.fileName} (${options.split})`),
    source: { kind: 'file', format: options.format, fileName: options.fileName },
    problems,
  };
}
