/**
 * McNemar's test for paired binary outcomes (the same questions answered by two strategies).
 *
 * Only the discordant pairs matter: `b` = baseline right and candidate wrong, `c` = baseline
 * wrong and candidate right. With few discordant pairs the chi-square approximation is poor,
 * so below EXACT_BELOW we use the exact two-sided binomial test (b ~ Binomial(b + c, 1/2)),
 * and the continuity-corrected chi-square (Edwards 1948), max(0, |b − c| − 1)² / (b + c), otherwise.
 */

/** Discordant-pair count below which the exact binomial test is used (a common rule of thumb). */
export const EXACT_BELOW = 25;

export interface McNemarResult {
  /** Baseline correct, candidate wrong. */
  b: number;
  /** Baseline wrong, candidate correct. */
  c: number;
  method: 'exact-binomial' | 'chi-square-cc' | 'none';
  /** The chi-square statistic; null for the exact test and when there are no discordant pairs. */
  statistic: number | null;
  /** Two-sided p-value; 1 when there are no discordant pairs. */
  pValue: number;
}

export function mcnemar(b: number, c: number): McNemarResult {
  for (const [label, count] of [['b', b], ['c', c]] as const) {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`${label} must be a non-negative integer, got ${count}`);
  }
  const discordant = b + c;
  if (discordant === 0) return { b, c, method: 'none', statistic: null, pValue: 1 };
  if (discordant < EXACT_BELOW) {
    return { b, c, method: 'exact-binomial', statistic: null, pValue: exactBinomialTwoSided(Math.min(b, c), discordant) };
  }
  // Edwards' correction shrinks |b − c| by 1 but never below 0: with b = c (or |b − c| = 1) the
  // counts are as balanced as they can be, so the statistic is 0 and p = 1.
  const statistic = Math.max(0, Math.abs(b - c) - 1) ** 2 / discordant;
  return { b, c, method: 'chi-square-cc', statistic, pValue: chiSquare1Survival(statistic) };
}

/** McNemar on paired outcomes: `pairs[i]` = [baseline correct, candidate correct] for question i. */
export function mcnemarPaired(pairs: readonly (readonly [boolean, boolean])[]): McNemarResult {
  let b = 0;
  let c = 0;
  for (const [baseline, candidate] of pairs) {
    if (baseline && !candidate) b++;
    else if (!baseline && candidate) c++;
  }
  return mcnemar(b, c);
}

/** P(X <= k) doubled for X ~ Binomial(n, 1/2), capped at 1; k is the smaller discordant count. */
function exactBinomialTwoSided(k: number, n: number): number {
  // Sum in log space so large n cannot overflow; n < EXACT_BELOW here, but stay safe for reuse.
  let logCoefficient = 0; // log C(n, 0)
  let tail = 0;
  const logHalfPowN = n * Math.log(0.5);
  for (let i = 0; i <= k; i++) {
    if (i > 0) logCoefficient += Math.log((n - i + 1) / i);
    tail += Math.exp(logCoefficient + logHalfPowN);
  }
  return Math.min(1, 2 * tail);
}

/** P(X > x) for X ~ chi-square with 1 degree of freedom = erfc(sqrt(x / 2)). */
export function chiSquare1Survival(x: number): number {
  if (x <= 0) return 1;
  return erfc(Math.sqrt(x / 2));
}

/**
 * Complementary error function, Chebyshev fit from Numerical Recipes (erfcc), fractional error
 * below 1.2e-7 everywhere — ample for p-values.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
