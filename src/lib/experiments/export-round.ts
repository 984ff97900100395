/**
 * How many digits an exported number keeps. Derived values (the summary, the CSV) are rounded
 * so a spreadsheet shows what was measured rather than float noise; the digits follow the
 * field's unit, which the project puts in every name (`ttftMs`, `decodeTokensPerS`).
 * The JSON export's units and samples are NOT rounded: they are the raw record that an import
 * recomputes every number from, and must give the same table again.
 */

/** Decimal places by the field's name; `null` means significant digits (see `SIGNIFICANT`). */
const RULES: readonly { test: RegExp; decimals: number | null }[] = [
  // Shares in [0, 1]: 4 places is 0.01 percentage points, finer than any n this app runs.
  { test: /^(accuracy|ciLow|ciHigh|agreement)$|Share$/, decimals: 4 },
  // p-values span many orders of magnitude: keep significant digits, not places.
  { test: /^pValue$/, decimals: null },
  { test: /^statistic$/, decimals: 3 },
  // Browser timers resolve to 0.1 ms at best.
  { test: /Ms$/, decimals: 1 },
  { test: /PerS$/, decimals: 1 },
  // Means of token counts: 2 places separates strategies that differ by one token in 100 questions.
  { test: /Tokens$|PerQuestion$/, decimals: 2 },
];

/** Significant digits for p-values and for numbers no rule names. */
export const SIGNIFICANT = 4;

/** `value` rounded for the field `key`; integers and non-finite values pass through unchanged. */
export function roundForExport(key: string, value: number): number {
  if (!Number.isFinite(value) || Number.isInteger(value)) return value;
  const decimals = RULES.find((rule) => rule.test.test(key))?.decimals ?? null;
  return decimals === null ? Number(value.toPrecision(SIGNIFICANT)) : Number(value.toFixed(decimals));
}
