/**
 * Counting: binomial coefficients, exact. The NFL task families count their members with them,
 * and chapter 03 uses them for the probability that a tournament picks the member of a given rank.
 */
import { checkInt } from './checks';

/**
 * C(n, k) as a bigint, exact for any size.
 * @param n a non-negative integer
 * @param k an integer; C(n, k) = 0 outside 0..n
 * @throws TypeError/RangeError for a negative or non-integer n, or a non-integer k
 * @example binomialBig(60, 30) // 118264581564861424n
 */
export function binomialBig(n: number, k: number): bigint {
  checkInt('n', n, { min: 0 }, 'binomialBig');
  checkInt('k', k, {}, 'binomialBig');
  if (k < 0 || k > n) return 0n;
  const j = Math.min(k, n - k);
  let c = 1n;
  // Each partial product C(n, i) is an integer, so the division is exact at every step.
  for (let i = 1; i <= j; i++) c = (c * BigInt(n - j + i)) / BigInt(i);
  return c;
}

/**
 * C(n, k) as a number, exact while the result is at most 2^53 (every integer up to it is representable).
 * @param n a non-negative integer
 * @param k an integer; C(n, k) = 0 outside 0..n
 * @throws RangeError when the coefficient exceeds 2^53 (use {@link binomialBig}), or for bad arguments
 * @example binomial(5, 2) // 10
 * @example binomial(8, -1) // 0
 */
export function binomial(n: number, k: number): number {
  const c = binomialBig(n, k);
  if (c > 2n ** 53n) throw new RangeError(`binomial: C(${n}, ${k}) exceeds 2^53 and cannot be exact as a number; use binomialBig`);
  return Number(c);
}
