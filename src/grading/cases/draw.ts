/**
 * Helpers for drawing hidden case inputs.
 */

/**
 * `x` rounded to `digits` decimals: drawn inputs stay short enough to read in a report.
 * @example roundTo(0.123456, 3) // 0.123
 */
export function roundTo(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
