/**
 * Numbers as people and models write them: `1,000`, `$18`, `-2.5`, `.5`, `50%`, `3/4`, `56.`.
 * Parsed to a value and printed back in one canonical form, so that answers compare by value.
 */

/** A number as written; groups: sign, integer part, decimals, fraction denominator. */
const NUMBER_SOURCE =
  String.raw`(?<![\w.,])([-−]\s?)?\$?\s?((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?:\s?\/\s?(\d+)(?![\d.]))?(?:\s?%)?(?![\w])`;

/** Every number in a text, in order. Digits glued to letters (`x2`, `2nd`, `5km`) are not numbers. */
export function findNumbers(text: string): { raw: string; value: number; index: number }[] {
  const out: { raw: string; value: number; index: number }[] = [];
  for (const match of text.matchAll(new RegExp(NUMBER_SOURCE, 'g'))) {
    const value = valueOf(match);
    if (value !== null) out.push({ raw: match[0].trim(), value, index: match.index ?? 0 });
  }
  return out;
}

/** The first number in a text, or null. */
export function firstNumber(text: string): { raw: string; value: number } | null {
  return findNumbers(text)[0] ?? null;
}

/**
 * Parses text that should be exactly one number (surrounding spaces, `$`, `%` and a trailing
 * period allowed). Returns null for anything else, so `12 apples` is not a number here.
 */
export function parseNumber(text: string): number | null {
  const trimmed = text.trim().replace(/\.$/, '');
  const match = new RegExp(`^${NUMBER_SOURCE}$`).exec(trimmed);
  return match ? valueOf(match) : null;
}

function valueOf(match: RegExpMatchArray): number | null {
  const negative = Boolean(match[1]);
  const magnitude = Number(match[2].replaceAll(',', ''));
  const denominator = match[3] === undefined ? 1 : Number(match[3]);
  if (!Number.isFinite(magnitude) || denominator === 0) return null;
  const value = (negative ? -magnitude : magnitude) / denominator;
  return Number.isFinite(value) ? value : null;
}

/**
 * Canonical decimal text: `1000`, `-2.5`, `0.75`, `0.333333333333` (12 significant digits, so
 * a fraction and its rounded decimal print alike). Never exponent notation for |x| < 1e21.
 */
export function canonicalNumber(value: number): string {
  if (Object.is(value, -0) || value === 0) return '0';
  const rounded = Number(value.toPrecision(12));
  if (Number.isInteger(rounded) && Math.abs(rounded) < 1e21) return BigInt(rounded).toString();
  return rounded.toString();
}

/** Equal as numbers, up to floating-point noise (relative 1e-9). */
export function sameNumber(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}
