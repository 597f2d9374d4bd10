/**
 * Descriptive statistics, correlations and confidence intervals on plain number arrays.
 *
 * Conventions, stated once:
 * - `variance` and `std` are the SAMPLE versions (divide by n - 1), as numpy with ddof=1 and R's
 *   var/sd; they need at least two values.
 * - `quantile` is Hyndman & Fan's type 7 (linear interpolation between order statistics), the
 *   default of numpy.quantile and R's quantile.
 * - Ranks start at 1 and ties get the average of the ranks they span (scipy.stats.rankdata's
 *   'average'), which makes `spearman` correct with ties.
 * - Correlations of a constant array are undefined: they throw instead of returning NaN.
 * Every function validates its input and throws an Error naming the function and the argument.
 */
import { checkFunction, checkInt, checkNumber, checkNumbers, checkSameLength, describe } from './checks';
import { studentTQuantile } from './distributions';
import { checkRng, type Rng } from './rng';

/**
 * The arithmetic mean.
 * @param values at least one finite number
 * @throws RangeError if `values` is empty; TypeError if it holds a non-finite value
 * @example mean([1, 2, 3, 6]) // 3
 */
export function mean(values: readonly number[]): number {
  const xs = checkNumbers('values', values, { minLength: 1 }, 'mean');
  return sumOf(xs) / xs.length;
}

function sumOf(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

function sumSquaredDeviations(xs: readonly number[]): number {
  // Two passes (mean first) avoid the cancellation of the one-pass sum-of-squares formula.
  const m = sumOf(xs) / xs.length;
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return s;
}

/**
 * The sample variance, Σ(x - mean)² / (n - 1).
 * @param values at least two finite numbers
 * @throws RangeError if fewer than two values; TypeError if one is not finite
 * @example variance([2, 4, 4, 4, 5, 5, 7, 9]) // 32 / 7 = 4.571428571428571
 */
export function variance(values: readonly number[]): number {
  const xs = checkNumbers('values', values, { minLength: 2 }, 'variance');
  return sumSquaredDeviations(xs) / (xs.length - 1);
}

/**
 * The sample standard deviation, the square root of the sample variance (n - 1 denominator).
 * @param values at least two finite numbers
 * @throws RangeError if fewer than two values; TypeError if one is not finite
 * @example std([1, 3]) // √2 = 1.4142135623730951
 */
export function std(values: readonly number[]): number {
  const xs = checkNumbers('values', values, { minLength: 2 }, 'std');
  return Math.sqrt(sumSquaredDeviations(xs) / (xs.length - 1));
}

function sortedCopy(xs: readonly number[]): number[] {
  return xs.slice().sort((a, b) => a - b);
}

function quantileOfSorted(sorted: readonly number[], p: number): number {
  // Type 7: position h = (n - 1)p on 0-based order statistics, then interpolate linearly.
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * The p-quantile by linear interpolation between order statistics (Hyndman & Fan type 7, the
 * default of numpy.quantile): with sorted x₀..x_{n-1} and h = (n - 1)p, it is
 * x_⌊h⌋ + (h - ⌊h⌋)(x_⌊h⌋+1 - x_⌊h⌋).
 * @param values at least one finite number (any order; the input is not modified)
 * @param p a probability in [0, 1]
 * @throws RangeError if `values` is empty or p is outside [0, 1]
 * @example quantile([1, 2, 3, 4], 0.25) // 1.75, as numpy.quantile
 */
export function quantile(values: readonly number[], p: number): number {
  const xs = checkNumbers('values', values, { minLength: 1 }, 'quantile');
  checkNumber('p', p, { min: 0, max: 1 }, 'quantile');
  return quantileOfSorted(sortedCopy(xs), p);
}

/**
 * The median: the middle value, or the mean of the two middle values for an even count.
 * @param values at least one finite number
 * @throws RangeError if `values` is empty; TypeError if one is not finite
 * @example median([5, 1, 4, 2]) // 3
 */
export function median(values: readonly number[]): number {
  const xs = checkNumbers('values', values, { minLength: 1 }, 'median');
  return quantileOfSorted(sortedCopy(xs), 0.5);
}

function ranksOf(xs: readonly number[]): number[] {
  const order = xs.map((_, i) => i).sort((i, j) => xs[i] - xs[j]);
  const ranks = new Array<number>(xs.length);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && xs[order[end + 1]] === xs[order[start]]) end++;
    // Positions start..end (0-based) share the average of the 1-based ranks start+1..end+1.
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]] = rank;
    start = end + 1;
  }
  return ranks;
}

/**
 * Ranks from 1 to n, ties sharing the average of the ranks they span (scipy's rankdata 'average').
 * @param values finite numbers (may be empty)
 * @throws TypeError if `values` is not an array of finite numbers
 * @example rankAverage([10, 20, 20, 5]) // [2, 3.5, 3.5, 1]
 */
export function rankAverage(values: readonly number[]): number[] {
  return ranksOf(checkNumbers('values', values, {}, 'rankAverage'));
}

/** Validates a pair of samples for a correlation: finite, same length, n >= 2, neither constant. */
function checkPair(x: readonly number[], y: readonly number[], caller: string): void {
  checkNumbers('x', x, { minLength: 2 }, caller);
  checkNumbers('y', y, { minLength: 2 }, caller);
  checkSameLength('x', x, 'y', y, caller);
  checkNotConstant('x', x, caller);
  checkNotConstant('y', y, caller);
}

function checkNotConstant(name: string, xs: readonly number[], caller: string): void {
  // Exact equality on purpose: a floating mean of equal values can differ from them by an ulp,
  // which would make the variance a tiny positive number and the correlation noise.
  if (xs.every((v) => v === xs[0])) {
    throw new RangeError(
      `${caller}: '${name}' must not be constant (all ${xs.length} values are ${describe(xs[0])}); a correlation with a constant is undefined`,
    );
  }
}

/** Pearson's r on validated, non-constant input; clamped to [-1, 1] against rounding. */
function pearsonUnchecked(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = sumOf(x) / n;
  const my = sumOf(y) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/**
 * Pearson's correlation coefficient r = cov(x, y) / (sd(x) sd(y)).
 * @param x at least two finite numbers, not all equal
 * @param y as many finite numbers as x, not all equal
 * @throws RangeError if the lengths differ, n < 2, or either array is constant
 * @example pearson([1, 2, 3], [2, 4, 7]) // 0.9933992677987828
 */
export function pearson(x: readonly number[], y: readonly number[]): number {
  checkPair(x, y, 'pearson');
  return pearsonUnchecked(x, y);
}

/**
 * Spearman's rank correlation: Pearson's r on average ranks, which is correct with ties (the
 * 1 - 6Σd²/(n(n²-1)) shortcut is not).
 * @param x at least two finite numbers, not all equal
 * @param y as many finite numbers as x, not all equal
 * @throws RangeError if the lengths differ, n < 2, or either array is constant
 * @example spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]) // 0.8207826816681233, as scipy.stats.spearmanr
 */
export function spearman(x: readonly number[], y: readonly number[]): number {
  checkPair(x, y, 'spearman');
  return pearsonUnchecked(ranksOf(x), ranksOf(y));
}

/**
 * Kendall's tau-b, which corrects for ties: (C - D) / √((n₀ - n₁)(n₀ - n₂)) with C, D the
 * concordant and discordant pairs, n₀ = n(n-1)/2, n₁ and n₂ the pairs tied in x and in y.
 * O(n log n) by Knight's (1966) method, as scipy.stats.kendalltau: sort by (x, y), count the ties,
 * and count D as the swaps a merge sort of the y column makes (the full tables, 15,625 cells,
 * bootstrapped hundreds of times, are out of reach of counting all pairs).
 * @param x at least two finite numbers, not all equal
 * @param y as many finite numbers as x, not all equal
 * @throws RangeError if the lengths differ, n < 2, or either array is constant
 * @example kendallTauB([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]) // -0.47140452079103173, as scipy.stats.kendalltau
 */
export function kendallTauB(x: readonly number[], y: readonly number[]): number {
  checkPair(x, y, 'kendallTauB');
  const n = x.length;
  const order = x.map((_, i) => i).sort((i, j) => x[i] - x[j] || y[i] - y[j]);
  const tiedX = tiedPairs(order, (i, j) => x[i] === x[j]);
  const tiedBoth = tiedPairs(order, (i, j) => x[i] === x[j] && y[i] === y[j]);
  const ys = Float64Array.from(order, (i) => y[i]);
  const discordant = mergeSortSwaps(ys, new Float64Array(n), 0, n);
  const tiedY = tiedPairs(Array.from(ys.keys()), (i, j) => ys[i] === ys[j]); // ys is sorted now
  const pairs = (n * (n - 1)) / 2;
  // Neither factor is 0: a non-constant array has at least one untied pair.
  return (pairs - tiedX - tiedY + tiedBoth - 2 * discordant) / Math.sqrt((pairs - tiedX) * (pairs - tiedY));
}

/** Pairs within runs of consecutive equal items of a sorted sequence: Σ t(t-1)/2 over run lengths t. */
function tiedPairs(sorted: readonly number[], equal: (i: number, j: number) => boolean): number {
  let total = 0;
  let run = 1;
  for (let k = 1; k <= sorted.length; k++) {
    if (k < sorted.length && equal(sorted[k - 1], sorted[k])) run++;
    else {
      total += (run * (run - 1)) / 2;
      run = 1;
    }
  }
  return total;
}

/** Sorts a[lo, hi) ascending in place; returns the number of pairs i < j with a[i] > a[j] (strict inversions). */
function mergeSortSwaps(a: Float64Array, buffer: Float64Array, lo: number, hi: number): number {
  if (hi - lo < 2) return 0;
  const mid = (lo + hi) >>> 1;
  let swaps = mergeSortSwaps(a, buffer, lo, mid) + mergeSortSwaps(a, buffer, mid, hi);
  let [i, j, k] = [lo, mid, lo];
  while (i < mid && j < hi) {
    if (a[j] < a[i]) {
      swaps += mid - i; // a[j] is below every remaining left element
      buffer[k++] = a[j++];
    } else buffer[k++] = a[i++];
  }
  while (i < mid) buffer[k++] = a[i++];
  while (j < hi) buffer[k++] = a[j++];
  a.set(buffer.subarray(lo, hi), lo);
  return swaps;
}

/** A point estimate with a two-sided confidence interval at `level`. */
export interface ConfidenceInterval {
  estimate: number;
  lower: number;
  upper: number;
  level: number;
}

/** Options of the bootstrap intervals. */
export interface BootstrapOptions {
  /** The random stream the resamples are drawn from (required: no hidden randomness). */
  rng: Rng;
  /** Number of bootstrap resamples (default 2000, at least 10). */
  resamples?: number;
  /** Confidence level in (0, 1) (default 0.95). */
  level?: number;
}

function checkBootstrapOptions(opts: unknown, caller: string): { rng: Rng; resamples: number; level: number } {
  if (typeof opts !== 'object' || opts === null) {
    throw new TypeError(`${caller}: 'opts' must be an object with an 'rng', got ${describe(opts)}`);
  }
  const o = opts as Partial<BootstrapOptions>;
  const rng = checkRng('opts.rng', o.rng, caller);
  const resamples = checkInt('opts.resamples', o.resamples ?? 2000, { min: 10 }, caller);
  const level = checkNumber('opts.level', o.level ?? 0.95, { min: 0, max: 1, exclusiveMin: true, exclusiveMax: true }, caller);
  return { rng: rng as Rng, resamples, level };
}

/**
 * Runs `draw` until `resamples` finite statistics are collected. A resample on which the statistic
 * is undefined (it throws or is not finite, e.g. a correlation of a resample whose values all
 * coincide) is redrawn: the interval is then conditional on the statistic being defined, which is
 * the usual practice for small samples. More failures than `resamples` means the data cannot
 * support a bootstrap, and that is an error rather than a silently biased interval.
 */
function collectStatistics(draw: () => number, resamples: number, caller: string): number[] {
  const stats: number[] = [];
  let failures = 0;
  let lastProblem = '';
  while (stats.length < resamples) {
    let value: number;
    try {
      value = draw();
    } catch (error) {
      value = Number.NaN;
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    if (typeof value === 'number' && Number.isFinite(value)) {
      stats.push(value);
      continue;
    }
    if (!lastProblem) lastProblem = `it returned ${describe(value)}`;
    failures++;
    if (failures > resamples) {
      throw new Error(
        `${caller}: 'statistic' was undefined on ${failures} resamples while collecting ${resamples} (last problem: ${lastProblem}); the sample is too small or too degenerate to bootstrap`,
      );
    }
  }
  return stats;
}

function percentileInterval(estimate: number, stats: number[], level: number): ConfidenceInterval {
  const sorted = sortedCopy(stats);
  const alpha = 1 - level;
  return {
    estimate,
    lower: quantileOfSorted(sorted, alpha / 2),
    upper: quantileOfSorted(sorted, 1 - alpha / 2),
    level,
  };
}

function checkEstimate(value: unknown, caller: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`${caller}: 'statistic' must return a finite number on the full sample, got ${describe(value)}`);
  }
  return value;
}

/**
 * A percentile-bootstrap confidence interval: resample `values` with replacement `resamples`
 * times, apply `statistic` to each, and take the (1-level)/2 and (1+level)/2 type-7 quantiles of
 * the results. The estimate is the statistic on the full sample. Deterministic given the Rng.
 * @param values at least two finite numbers
 * @param statistic maps a sample to a finite number (e.g. `mean`, `median`)
 * @param opts `{ rng, resamples = 2000, level = 0.95 }`
 * @throws RangeError/TypeError on invalid input, or Error if the statistic is undefined on too many resamples
 * @example bootstrapCI([3, 1, 4, 1, 5, 9, 2, 6], mean, { rng: createRng(1) }) // { estimate: 3.875, lower: 2.375, upper: 5.625, level: 0.95 }
 */
export function bootstrapCI(
  values: readonly number[],
  statistic: (sample: number[]) => number,
  opts: BootstrapOptions,
): ConfidenceInterval {
  const caller = 'bootstrapCI';
  const xs = checkNumbers('values', values, { minLength: 2 }, caller);
  checkFunction('statistic', statistic, caller);
  const { rng, resamples, level } = checkBootstrapOptions(opts, caller);
  const estimate = checkEstimate(statistic(xs.slice()), caller);
  const n = xs.length;
  const stats = collectStatistics(
    () => {
      const sample = new Array<number>(n);
      for (let i = 0; i < n; i++) sample[i] = xs[rng.int(0, n)];
      return statistic(sample);
    },
    resamples,
    caller,
  );
  return percentileInterval(estimate, stats, level);
}

/**
 * A percentile-bootstrap interval for a statistic of paired data (a correlation): pairs
 * (x[i], y[i]) are resampled together, so the dependence between x and y is kept. Resamples on
 * which the statistic is undefined (all-equal values) are redrawn. Deterministic given the Rng.
 * @param x at least two finite numbers
 * @param y as many finite numbers as x
 * @param statistic maps paired samples to a finite number (e.g. `spearman`, `kendallTauB`)
 * @param opts `{ rng, resamples = 2000, level = 0.95 }`
 * @throws RangeError/TypeError on invalid input, or Error if the statistic is undefined on too many resamples
 * @example pairedBootstrapCI(proxyScores, accuracies, spearman, { rng: createRng(0) }) // Spearman with a 95% interval
 */
export function pairedBootstrapCI(
  x: readonly number[],
  y: readonly number[],
  statistic: (x: number[], y: number[]) => number,
  opts: BootstrapOptions,
): ConfidenceInterval {
  const caller = 'pairedBootstrapCI';
  const xs = checkNumbers('x', x, { minLength: 2 }, caller);
  const ys = checkNumbers('y', y, { minLength: 2 }, caller);
  checkSameLength('x', xs, 'y', ys, caller);
  checkFunction('statistic', statistic, caller);
  const { rng, resamples, level } = checkBootstrapOptions(opts, caller);
  const estimate = checkEstimate(statistic(xs.slice(), ys.slice()), caller);
  const n = xs.length;
  const stats = collectStatistics(
    () => {
      const sx = new Array<number>(n);
      const sy = new Array<number>(n);
      for (let i = 0; i < n; i++) {
        const k = rng.int(0, n);
        sx[i] = xs[k];
        sy[i] = ys[k];
      }
      return statistic(sx, sy);
    },
    resamples,
    caller,
  );
  return percentileInterval(estimate, stats, level);
}

/** How well one ranking agrees with another: both rank correlations with bootstrap intervals. */
export interface RankAgreement {
  /** Number of pairs. */
  n: number;
  spearman: ConfidenceInterval;
  kendall: ConfidenceInterval;
}

/**
 * Spearman's ρ and Kendall's τ-b of paired data, each with a percentile-bootstrap interval over
 * resampled pairs (`pairedBootstrapCI`; the two statistics draw from rng.child('spearman') and
 * rng.child('kendall')): the one place a score is compared with an outcome by rank.
 * @param x at least two finite numbers, not all equal (e.g. a proxy's scores)
 * @param y as many finite numbers as x, not all equal (e.g. accuracies)
 * @param opts `{ rng, resamples = 2000, level = 0.95 }`
 * @throws RangeError/TypeError on invalid input, as spearman, kendallTauB and pairedBootstrapCI
 * @example rankAgreement(synflow, accuracy, { rng: createRng('rho'), resamples: 200 }) // { n, spearman: { estimate, lower, upper, level }, kendall: {...} }
 */
export function rankAgreement(x: readonly number[], y: readonly number[], opts: BootstrapOptions): RankAgreement {
  const caller = 'rankAgreement';
  checkPair(x, y, caller);
  const { rng, resamples, level } = checkBootstrapOptions(opts, caller);
  return {
    n: x.length,
    spearman: pairedBootstrapCI(x, y, spearman, { rng: rng.child('spearman'), resamples, level }),
    kendall: pairedBootstrapCI(x, y, kendallTauB, { rng: rng.child('kendall'), resamples, level }),
  };
}

/**
 * The Student-t confidence interval for a mean: mean ± t_{(1+level)/2, n-1} · s / √n, with s the
 * sample standard deviation. Exact for normal data, approximate otherwise.
 * @param values at least two finite numbers
 * @param level confidence level in (0, 1), default 0.95
 * @throws RangeError if fewer than two values or level is outside (0, 1)
 * @example meanCI([1, 2, 3, 4, 5]) // { estimate: 3, lower ≈ 1.03675683852244, upper ≈ 4.96324316147756, level: 0.95 }
 */
export function meanCI(values: readonly number[], level = 0.95): ConfidenceInterval {
  const caller = 'meanCI';
  const xs = checkNumbers('values', values, { minLength: 2 }, caller);
  checkNumber('level', level, { min: 0, max: 1, exclusiveMin: true, exclusiveMax: true }, caller);
  const n = xs.length;
  const m = sumOf(xs) / n;
  const halfWidth = studentTQuantile((1 + level) / 2, n - 1) * Math.sqrt(sumSquaredDeviations(xs) / (n - 1) / n);
  return { estimate: m, lower: m - halfWidth, upper: m + halfWidth, level };
}
