/**
 * Reading the confidence a model states in words, as a probability in [0, 1]. Pure text → number,
 * so every way of stating it can be tested without a model.
 *
 * Where: the reply answers "how confident are you…", so the confidence is the first expression
 * of it — after a `Confidence:` cue when the reply writes one — never the last number of the
 * reply (replies restate the answer: "90. My answer, 56, is right" must read 0.9, not 0.56).
 * How: `85`, `85%`, `85 percent`, `8/10`, `8 out of 10`, `0.85` (a decimal at most 1 is read as a
 * probability), and a few words (`high`, `very low`, `certain`). Anything else, or a value outside
 * its scale, is null: unreadable, not zero.
 */

/**
 * A cue that introduces the stated value ("Confidence: 80", "my confidence level is 80"). Not
 * "confident": in "90% confident the answer is 56" the value comes before it.
 */
const CUE = /\bconfidence(?:\s+(?:level|score))?\s*(?::|=|\bis\b|\bof\b|(?=\d))\s*/gi;

/**
 * A number with its scale: `/ 10`, `out of 100`, `%`, `percent`. The value must stand alone — not
 * be part of a word or of a longer number.
 */
const STATED = /(?<![\w.])(\d{1,3}(?:\.\d+)?)(?!\d)\s*(?:(%|percent\b|per\s*cent\b)|(?:\/|out\s+of)\s*(\d{1,3})(?!\d))?/i;

/** Words a model may use instead of a number, most specific first, with the probability read for each. */
const WORDS: readonly (readonly [RegExp, number])[] = [
  [/\b(?:absolutely|completely|fully|100%)\s+(?:certain|sure|confident)\b|\bcertain\b/i, 1],
  [/\bvery\s+high(?:ly)?\b|\bvery\s+(?:sure|confident)\b/i, 0.9],
  [/\bvery\s+low\b|\bvery\s+(?:unsure|uncertain)\b|\bnot\s+(?:at\s+all\s+)?(?:sure|confident)\b/i, 0.1],
  [/\bhigh(?:ly)?\b|\bquite\s+(?:sure|confident)\b/i, 0.8],
  [/\blow\b|\bunsure\b|\buncertain\b/i, 0.2],
  [/\bmedium\b|\bmoderate(?:ly)?\b|\bsomewhat\b/i, 0.5],
];

export function parseStatedConfidence(reply: string): number | null {
  const region = afterLastCue(reply);
  return firstNumber(region) ?? wordAt(region) ?? firstNumber(reply) ?? wordAt(reply);
}

/** The text from the last confidence cue on, or the whole reply when it has none. */
function afterLastCue(reply: string): string {
  let from = 0;
  for (const match of reply.matchAll(CUE)) from = match.index + match[0].length;
  return reply.slice(from);
}

function firstNumber(text: string): number | null {
  const match = STATED.exec(text);
  if (!match) return null;
  const value = Number(match[1]);
  const [, raw, percent, denominator] = match;
  if (denominator !== undefined) {
    const scale = Number(denominator);
    return scale > 0 && value <= scale ? value / scale : null;
  }
  if (percent !== undefined) return value <= 100 ? value / 100 : null;
  // The prompt asks for 0–100; a decimal such as 0.85 is a probability already.
  if (raw.includes('.') && value <= 1) return value;
  return value <= 100 ? value / 100 : null;
}

function wordAt(text: string): number | null {
  for (const [pattern, value] of WORDS) if (pattern.test(text)) return value;
  return null;
}
