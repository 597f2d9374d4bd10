/**
 * Confidence intervals for a proportion (successes out of independent trials). Monte Carlo
 * estimates of an accuracy are proportions, and near 0 or 1 or with few trials the textbook
 * "p ± z·sqrt(p(1-p)/n)" interval is too narrow and can leave [0, 1]; Wilson's score interval
 * keeps its coverage close to the nominal level there and always stays inside [0, 1].
 */
import { checkInt, checkNumber } from './checks';
import { normalQuantile } from './distributions';

/** A point estimate with a two-sided confidence interval. */
export interface ProportionInterval {
  /** successes / trials. */
  estimate: number;
  lower: number;
  upper: number;
  /** The confidence level, e.g. 0.95. */
  level: number;
  successes: number;
  trials: number;
}

/**
 * Wilson's score interval for a binomial proportion: the set of p whose two-sided score test at
 * `level` does not reject `successes` out of `trials`.
 * @param successes an integer in [0, trials]
 * @param trials the number of independent trials, an integer >= 1
 * @param level the confidence level in (0, 1), default 0.95
 * @throws TypeError/RangeError naming the argument if a count is not an integer in range or the level is outside (0, 1)
 * @example wilsonInterval(8, 10) // { estimate: 0.8, lower: 0.4902, upper: 0.9433 (rounded), level: 0.95, ... }
 */
export function wilsonInterval(successes: number, trials: number, level = 0.95): ProportionInterval {
  checkInt('trials', trials, { min: 1 }, 'wilsonInterval');
  checkInt('successes', successes, { min: 0, max: trials }, 'wilsonInterval');
  checkNumber('level', level, { min: 0, max: 1, exclusiveMin: true, exclusiveMax: true }, 'wilsonInterval');
  const z = normalQuantile(0.5 + level / 2);
  const n = trials;
  const p = successes / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  // At 0 or n successes the matching bound is exactly 0 or 1; clamp the rounding noise there.
  const lower = successes === 0 ? 0 : Math.max(0, centre - half);
  const upper = successes === n ? 1 : Math.min(1, centre + half);
  return { estimate: p, lower, upper, level, successes, trials };
}
