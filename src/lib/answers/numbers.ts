/**
 * Numbers as people and models write them: `1,000`, `$18`, `-2.5`, `.5`, `50%`, `3/4`, `56.`.
 * Parsed to a value and printed back in one canonical form, so that answers compare by value.
 */

/** A number as written; groups: sign, integer part, decimals, fraction denominator. */
const NUMBER_SOURCE =
  String.raw`(?<![\w.,])([-−]\s?)?\$?\s?((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?:\s?\/\s?(\d+)(?![\d.]))?(?:\s?%)?(?![\w])`;

export interface FoundNumber {
  /** As written (trimmed). */
  raw: string;
  value: number;
  /** Canonical text; exact for integers of any length (`12345678901234567890123`). */
  canonical: string;
  index: number;
}

/** Every number in a text, in order. Digits glued to letters (`x2`, `2nd`, `5km`) are not numbers. */
export function findNumbers(text: string): FoundNumber[] {
  const out: FoundNumber[] = [];
  for (const match of text.matchAll(new RegExp(NUMBER_SOURCE, 'g'))) {
    const value = valueOf(match);
    if (value !== null) out.push({ raw: match[0].trim(), value, canonical: canonicalOf(match, value), index: match.index ?? 0 });
  }
  return out;
}

/** The first number in a text, or null. */
export function firstNumber(text: string): FoundNumber | null {
  return findNumbers(text)[0] ?? null;
}

/**
 * Parses text that should be exactly one number (surrounding spaces, `$`, `%` and a trailing
 * period allowed). Returns null for anything else, so `12 apples` is not a number here.
 */
export function parseNumber(text: string): number | null {
  return wholeNumber(text)?.value ?? null;
}

/** Canonical text of text that is exactly one number (see `parseNumber`), or null. */
export function canonicalNumberText(text: string): string | null {
  return wholeNumber(text)?.canonical ?? null;
}

function wholeNumber(text: string): { value: number; canonical: string } | null {
  const trimmed = text.trim().replace(/\.$/, '');
  const match = new RegExp(`^${NUMBER_SOURCE}$`).exec(trimmed);
  const value = match ? valueOf(match) : null;
  return match && value !== null ? { value, canonical: canonicalOf(match, value) } : null;
}

/** Integers are canonicalised from their digits, exactly; anything else from its value. */
function canonicalOf(match: RegExpMatchArray, value: number): string {
  const digits = match[2].replaceAll(',', '');
  if (match[3] !== undefined || !/^\d+$/.test(digits)) return canonicalNumber(value);
  const magnitude = digits.replace(/^0+(?=\d)/, '');
  return match[1] && magnitude !== '0' ? `-${magnitude}` : magnitude;
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
 * Canonical decimal text of a value: `1000`, `-2.5`, `0.75`, `0.333333333333` (12 significant
 * digits, so a fraction and its rounded decimal print alike). Never exponent notation, however
 * large; tiny non-zero values (below 1e-7) keep JavaScript's exponent form.
 */
export function canonicalNumber(value: number): string {
  if (value === 0) return '0';
  const rounded = Number(value.toPrecision(12));
  if (Math.abs(rounded) < 1e21) return rounded.toString();
  // JavaScript prints these in exponent form: expand the 12 significant digits instead.
  const [mantissa, exponent] = rounded.toPrecision(12).split('e');
  const negative = mantissa.startsWith('-');
  const [whole, fraction = ''] = mantissa.replace('-', '').split('.');
  const digits = `${whole}${fraction}${'0'.repeat(Number(exponent) - fraction.length)}`;
  return negative ? `-${digits}` : digits;
}

/** Equal as numbers, up to floating-point noise (relative 1e-9). */
export function sameNumber(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}
