/**
 * Wilson score interval for a binomial proportion (Wilson 1927; "method 3" in Newcombe 1998).
 * Preferred over the normal (Wald) interval because it stays inside [0, 1] and keeps its
 * coverage at the small n and extreme accuracies our experiments produce.
 */

/** Two-sided 95% normal quantile. */
export const Z_95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

export function wilsonInterval(successes: number, n: number, z: number = Z_95): Interval {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`successes must be an integer in [0, ${n}], got ${successes}`);
  }
  // No observations: the interval carries no information.
  if (n === 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const halfWidth = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  // Clamp rounding noise at the ends (successes = 0 or n give exactly 0 or 1 in exact arithmetic).
  return {
    low: successes === 0 ? 0 : Math.max(0, center - halfWidth),
    high: successes === n ? 1 : Math.min(1, center + halfWidth),
  };
}
