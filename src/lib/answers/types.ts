/** Which extraction rule found the answer; `last-number` is a fallback and flagged as such. */
export type ExtractionRule =
  | 'gsm8k-hash'
  | 'boxed'
  | 'answer-cue'
  | 'the-answer-is'
  | 'choice-letter'
  | 'yes-no'
  | 'last-number';

export interface ExtractedAnswer {
  /** Normalised value: numbers as canonical decimal text (`1000`, `-2.5`, `0.75`), letters upper case, `yes`/`no`. */
  value: string;
  /** The text the rule matched, as written. */
  raw: string;
  rule: ExtractionRule;
  /** True when only the last-number fallback matched. */
  fallback: boolean;
}
