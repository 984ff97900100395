/**
 * Numbers as people and models write them: `1,000`, `1 000`, `$18`, `-2.5`, `.5`, `50%`, `3/4`,
 * `56.`. Parsed to a value and printed back in one canonical form, so that answers compare by value.
 */

/**
 * Thousands grouped by a space (or a no-break / narrow no-break space, as many locales write
 * them): `1 000 000`. Groups are exactly three digits; a group glued to a hyphen and a word
 * (`2 100-page books`) is a count and a compound word, not one number.
 */
const SPACE_GROUPED = String.raw`\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d|-[A-Za-z0-9])`;

/** A number as written; groups: sign, integer part, decimals, fraction denominator. */
const NUMBER_SOURCE =
  String.raw`(?<![\w.,])([-−]\s?)?\$?\s?((?:\d{1,3}(?:,\d{3})+|${SPACE_GROUPED}|\d+)(?:\.\d+)?|\.\d+)(?:\s?\/\s?(\d+)(?![\d.]))?(?:\s?%)?(?![\w])`;

/** Separators inside the integer part, dropped before parsing. */
const GROUP_SEPARATORS = /[, \u00a0\u202f]/g;

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

/** A number found at a given place, with where its text ends. */
export interface NumberMatch {
  number: FoundNumber;
  end: number;
}

/** The number that starts exactly at `index` of `text` (sign and `$` included), with where it ends. */
export function numberAt(text: string, index: number): NumberMatch | null {
  const pattern = new RegExp(NUMBER_SOURCE, 'y');
  pattern.lastIndex = index;
  const match = pattern.exec(text);
  const value = match ? valueOf(match) : null;
  if (!match || value === null) return null;
  return { number: { raw: match[0].trim(), value, canonical: canonicalOf(match, value), index }, end: pattern.lastIndex };
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
  const digits = match[2].replace(GROUP_SEPARATORS, '');
  if (match[3] !== undefined || !/^\d+$/.test(digits)) return canonicalNumber(value);
  const magnitude = digits.replace(/^0+(?=\d)/, '');
  return match[1] && magnitude !== '0' ? `-${magnitude}` : magnitude;
}

function valueOf(match: RegExpMatchArray): number | null {
  const negative = Boolean(match[1]);
  const magnitude = Number(match[2].replace(GROUP_SEPARATORS, ''));
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
