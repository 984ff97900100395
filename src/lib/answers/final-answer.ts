/**
 * The answer of a whole model output, with its chain of thought split off: one function for the
 * strategies (through the reasoning format) and for `thinkbench grade`, so that a think-tag
 * output is graded the same everywhere. A cue inside the chain (`…the answer is 5… wait`) must
 * not outrank what the model answers after `</think>`.
 */
import { inspectAnswer, type AnswerReading, type ExtractOptions } from './extract';

export interface ThinkTags {
  open: string;
  close: string;
}

/** The tags of Qwen3, DeepSeek-R1 distills and the embedded model. */
export const THINK_TAG_PAIR: ThinkTags = { open: '<think>', close: '</think>' };

export interface ThinkSplit {
  /** The chain, without its tags. */
  thinking: string;
  /** What follows the first closing tag; empty while the chain is open. */
  answer: string;
  /** Whether the closing tag was written. */
  closed: boolean;
}

/** Splits an output at its first closing tag; text before an (optional) opening tag is chain too. */
export function splitThinking(text: string, tags: ThinkTags = THINK_TAG_PAIR): ThinkSplit {
  const end = text.indexOf(tags.close);
  if (end < 0) return { thinking: stripOpen(text, tags.open), answer: '', closed: false };
  return { thinking: stripOpen(text.slice(0, end), tags.open), answer: text.slice(end + tags.close.length).trim(), closed: true };
}

function stripOpen(text: string, open: string): string {
  const trimmed = text.trimStart();
  return (trimmed.startsWith(open) ? trimmed.slice(open.length) : trimmed).trim();
}

/**
 * The answer of an output: from the part after the chain when the chain was closed and that
 * part answers, states a cue without a value, or refuses — those are the model's last word.
 * When it holds no value of its own (empty, or only the question again), or the chain never
 * closed (a budget cut), from the whole text. Pass `tags: null` for outputs of a format
 * without think tags.
 */
export function inspectFinalAnswer(text: string, options: ExtractOptions = {}, tags: ThinkTags | null = THINK_TAG_PAIR): AnswerReading {
  const split = tags ? splitThinking(text, tags) : null;
  if (split?.closed && split.answer !== '') {
    const reading = inspectAnswer(split.answer, options);
    if (reading.noAnswer !== 'no-value' && reading.noAnswer !== 'question-echo') return reading;
  }
  return inspectAnswer(text, options);
}
