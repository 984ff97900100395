import { contentId } from './content-id';
import { problemsFromRecords, type FieldMapping } from './fields';
import { readJsonLines } from './records';
import type { Dataset } from './types';

/** GSM8K's own fields: `question`, and `answer` whose last line is `#### <number>`. */
export const GSM8K_MAPPING: FieldMapping = { question: 'question', reference: 'answer' };

export interface Gsm8kFileOptions {
  fileName: string;
  name?: string;
}

/** Parses a GSM8K JSONL file; throws DatasetParseError at the first bad line, so nothing is half-imported. */
export function parseGsm8kJsonl(text: string, options: Gsm8kFileOptions): Dataset {
  const problems = problemsFromRecords(readJsonLines(text), GSM8K_MAPPING, 'gsm8k');
  return {
    id: contentId('gsm8k', text),
    name: options.name ?? options.fileName,
    source: { kind: 'file', format: 'gsm8k', fileName: options.fileName },
    problems,
  };
}
