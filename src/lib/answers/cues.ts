/**
 * Answer cues: the places in a model's text that announce its answer (`#### n`, `\boxed{n}`,
 * `Answer: n`, `A: n` at a line start, "The answer is n"), in text order. The extractor reads
 * the value of the last one only, whichever rule found it: models restate and correct
 * themselves, and what they conclude comes last.
 */
import type { ExtractionRule } from './types';

export interface Cue {
  rule: ExtractionRule;
  /** Where the cue starts in the text; cues are ordered by it. */
  index: number;
  /** The text the value must start (the rest of the cue's line, or the box's contents). */
  body: string;
  /** The cue as written, through the value that ends at `bodyEnd` in `body`. */
  raw(bodyEnd: number): string;
}

interface CuePattern {
  rule: ExtractionRule;
  /** Global; a match ends where the cue's text begins. */
  pattern: RegExp;
}

const CUE_PATTERNS: readonly CuePattern[] = [
  { rule: 'gsm8k-hash', pattern: /####[ \t]*/g },
  // `Answer:` / `Final answer:` anywhere, in any case (markdown bold around it allowed). A value
  // the model calls wrong (`Wrong answer: 56`, `Incorrect final answer: 56`, as in
  // learn-from-mistakes exemplars) is never a cue.
  {
    rule: 'answer-cue',
    pattern: /(?<![\w-])(?<!\b(?:wrong|incorrect)[ \t]+(?:final[ \t]+)?)(?:final[ \t]+)?answer[ \t]*\**[ \t]*[:：][ \t]*\**/gi,
  },
  // `A:` only at the start of a line and in capitals: a lower-case `a:` (`Part a: 10 widgets`)
  // or an `A:` inside a sentence (`Q: … A: 18 …`, a quoted exchange) is not the model's answer.
  { rule: 'answer-cue', pattern: /(?<=^|\n)[ \t>]*\**A:\**/g },
  { rule: 'the-answer-is', pattern: /\bthe (?:final |correct )?answer (?:is|=)[ \t]*:?[ \t]*/gi },
];

/** `\boxed{…}` with one level of nested braces (`\boxed{\frac{3}{4}}`). */
const BOXED = /\\boxed\s*\{((?:[^{}]|\{[^{}]*\})*)\}/g;

/** Every cue in the text, in text order. */
export function findCues(text: string): Cue[] {
  const cues: Cue[] = [];
  for (const { rule, pattern } of CUE_PATTERNS) {
    for (const match of text.matchAll(new RegExp(pattern.source, pattern.flags))) {
      const index = match.index ?? 0;
      const { body, start } = cueBody(text, index + match[0].length);
      cues.push({ rule, index, body, raw: (bodyEnd) => text.slice(index, start + bodyEnd) });
    }
  }
  for (const match of text.matchAll(new RegExp(BOXED.source, BOXED.flags))) {
    // The contents are rewritten from LaTeX, so the raw text is the whole box.
    cues.push({ rule: 'boxed', index: match.index ?? 0, body: latexToPlain(match[1]), raw: () => match[0] });
  }
  return cues.sort((a, b) => a.index - b.index);
}

/**
 * The text after a cue that its value must start: the rest of the cue's line or, when that is
 * empty (`**Final Answer:**` as a heading), the next non-empty line.
 */
function cueBody(text: string, start: number): { body: string; start: number } {
  const own = text.slice(start).split('\n', 1)[0];
  if (own.replace(/[*_\s]/g, '') !== '') return { body: own, start };
  const next = /\n[ \t]*(\S[^\n]*)/.exec(text.slice(start + own.length));
  if (!next) return { body: '', start };
  return { body: next[1], start: start + own.length + next.index + next[0].length - next[1].length };
}

/** `\frac{3}{4}` → `3/4`; drops `\text{…}` units, `\!` and `\,` spacing, `\$`. */
function latexToPlain(latex: string): string {
  return latex
    .replace(/\\d?frac\{([^{}]*)\}\{([^{}]*)\}/g, '$1/$2')
    .replace(/\\text\{[^{}]*\}/g, '')
    .replace(/\\[!,;]/g, '')
    .replace(/\\\$/g, '$')
    .replace(/\\%/g, '%')
    .replace(/\\times/g, '×')
    .replace(/\\cdot/g, '·');
}
