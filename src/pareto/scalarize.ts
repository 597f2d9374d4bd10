/**
 * Weighted-sum scalarisation: J(x; λ) = Σ_j λ_j s_j f_j(x), with λ on the probability simplex
 * (λ_j >= 0, Σ λ_j = 1) and s_j = +1 for a minimised objective, −1 for a maximised one. With
 * (accuracy, latency, energy) that is J = −λ₁A + λ₂L + λ₃E, minimised.
 *
 * Its blind spot: a minimiser of a weighted sum lies on the convex hull of the front (a
 * "supported" point). A Pareto-optimal point in a concave dent of the front is never the choice,
 * whatever λ; `supportedPoints` finds which points a weighted sum can reach, exactly, for two
 * objectives.
 */
import { checkNumbers, describe } from '../core/checks';
import { flattenPoints, type FlatPoints, type ParetoOptions } from './points';
import { normalizeObjectives, type ObjectiveBounds } from './normalize';
import { nonDominated } from './dominance';

/** How far Σλ may stray from 1 (rounding in weights like 0.7 + 0.2 + 0.1). */
const SIMPLEX_TOLERANCE = 1e-9;

/**
 * Checks that λ lies on the simplex with one weight per objective.
 * @throws TypeError for a non-array or a NaN weight; RangeError for the wrong length, a negative weight or a sum other than 1
 * @example checkSimplex('lambda', [0.7, 0.2, 0.1], 3, 'f') // [0.7, 0.2, 0.1]
 */
export function checkSimplex(name: string, lambda: unknown, m: number, caller: string): number[] {
  const w = checkNumbers(name, lambda, {}, caller);
  if (w.length !== m) throw new RangeError(`${caller}: '${name}' must have ${m} weights (one per objective), got length ${w.length}`);
  const sum = w.reduce((a, b) => a + b, 0);
  if (w.some((x) => x < 0) || Math.abs(sum - 1) > SIMPLEX_TOLERANCE) {
    throw new RangeError(`${caller}: '${name}' must lie on the simplex (weights >= 0 summing to 1), got ${describe(w)} (sum ${sum})`);
  }
  return w;
}

/**
 * J(x; λ) = Σ_j λ_j s_j f_j for one objective vector (s_j = −1 for a maximised objective).
 * @param point the objective values of one candidate
 * @param lambda weights on the simplex, one per objective
 * @param opts.directions per objective 'minimize' (default) or 'maximize'
 * @throws RangeError for λ off the simplex or of the wrong length; TypeError for NaN values
 * @example weightedSum([0.9, 0.2, 0.5], [0.7, 0.2, 0.1], { directions: ['maximize', 'minimize', 'minimize'] }) // −0.63 + 0.04 + 0.05 = −0.54
 */
export function weightedSum(point: readonly number[], lambda: readonly number[], opts?: ParetoOptions): number {
  const caller = 'weightedSum';
  const p = flattenPoints([point], opts, caller);
  const w = checkSimplex('lambda', lambda, p.m, caller);
  return scalarised(p, w, 0);
}

/** Options of {@link weightedSumChoice}. */
export interface WeightedSumOptions extends ParetoOptions {
  /**
   * Put objectives on a common scale first: true (default) normalises over the set itself,
   * a `{ lower, upper }` uses given bounds, false sums the raw values.
   */
  normalize?: boolean | ObjectiveBounds;
}

/**
 * The candidate a weighted sum selects: the index minimising J(x; λ). Ties go to the
 * lexicographically best of the tied points (in minimisation form), which is always Pareto-optimal,
 * so a zero weight never picks a dominated point.
 * @param points one row per candidate, one column per objective
 * @param lambda weights on the simplex, one per objective
 * @param opts.directions per objective; opts.normalize (default true, see {@link WeightedSumOptions})
 * @throws RangeError for λ off the simplex, an empty set, rows of different lengths; TypeError for NaN objectives
 * @example weightedSumChoice([[0.95, 9], [0.90, 3], [0.80, 1]], [0.5, 0.5], { directions: ['maximize', 'minimize'] }) // 1
 */
export function weightedSumChoice(points: readonly (readonly number[])[], lambda: readonly number[], opts: WeightedSumOptions = {}): number {
  const caller = 'weightedSumChoice';
  const raw = flattenPoints(points, opts, caller);
  const w = checkSimplex('lambda', lambda, raw.m, caller);
  const normalize = opts.normalize ?? true;
  const scaled = normalize === false ? raw : flattenPoints(normalizeObjectives(points, normalize === true ? undefined : normalize), opts, caller);
  let best = 0;
  let bestJ = scalarised(scaled, w, 0);
  for (let i = 1; i < scaled.n; i++) {
    const j = scalarised(scaled, w, i);
    if (j < bestJ || (j === bestJ && lexLess(raw, i, best))) {
      best = i;
      bestJ = j;
    }
  }
  return best;
}

function scalarised(p: FlatPoints, w: readonly number[], i: number): number {
  let j = 0;
  for (let k = 0; k < p.m; k++) j += w[k] * p.flat[i * p.m + k];
  return j;
}

function lexLess(p: FlatPoints, a: number, b: number): boolean {
  for (let k = 0; k < p.m; k++) {
    const d = p.flat[a * p.m + k] - p.flat[b * p.m + k];
    if (d !== 0) return d < 0;
  }
  return a < b;
}

/**
 * The Pareto-optimal points that some weighted sum selects (for some λ on the simplex, ties
 * included): those on the lower-left convex hull of the front, found exactly for two objectives
 * by a monotone-chain hull over the front sorted by the first objective. Every other front point
 * sits in a concave part of the front and is never a weighted-sum choice.
 * Scale matters: pass points on the scale the weighted sum uses (normalised, usually).
 * @param points one row per candidate, two objectives
 * @param opts.directions per objective 'minimize' (default) or 'maximize'
 * @throws RangeError for a number of objectives other than two, an empty set or rows of different lengths; TypeError for NaN objectives
 * @example supportedPoints([[0, 4], [1, 3.5], [2, 1], [4, 0]]) // [0, 2, 3]: (1, 3.5) lies above the segment (0, 4)–(2, 1)
 */
export function supportedPoints(points: readonly (readonly number[])[], opts?: ParetoOptions): number[] {
  const caller = 'supportedPoints';
  const p = flattenPoints(points, opts, caller);
  if (p.m !== 2) throw new RangeError(`${caller}: 'points' must have 2 objectives (the hull test is exact in two dimensions), got ${p.m}`);
  const x = (i: number) => p.flat[2 * i];
  const y = (i: number) => p.flat[2 * i + 1];
  const front = nonDominated(points, opts).sort((a, b) => x(a) - x(b) || a - b);
  // Hull over distinct points (a duplicate would stall the turn test), twins added back after.
  const distinct = front.filter((i, t) => t === 0 || x(i) !== x(front[t - 1]) || y(i) !== y(front[t - 1]));
  const hull: number[] = [];
  for (const i of distinct) {
    // Pop while the last hull point lies strictly above the segment from its predecessor to i;
    // a point on the segment stays (it ties for the λ normal to that segment).
    while (hull.length >= 2) {
      const a = hull[hull.length - 2];
      const b = hull[hull.length - 1];
      const cross = (x(b) - x(a)) * (y(i) - y(a)) - (y(b) - y(a)) * (x(i) - x(a));
      if (cross < 0) hull.pop();
      else break;
    }
    hull.push(i);
  }
  const onHull = new Set(hull.map((i) => `${x(i)},${y(i)}`));
  return front.filter((i) => onHull.has(`${x(i)},${y(i)}`)).sort((a, b) => a - b);
}
