/**
 * Hypervolume (Zitzler & Thiele 1999): the measure of the region of objective space that a set
 * dominates and that a reference point bounds. It grows when a set moves toward the ideal point or
 * spreads along the front, and it is the one common unary indicator that never prefers a set to
 * another that dominates it, which is why strategies are compared by it.
 *
 * Exact methods, by number of objectives M:
 * - M = 2: sort by the first objective and add rectangles, O(n log n);
 * - M = 3: the sweep of Fonseca, Paquete and López-Ibáñez (2006) and Beume et al. (2009): visit
 *   points by the third objective and keep the 2-D staircase of the (f1, f2) pairs seen so far
 *   with its area updated as each point enters, O(n log n) searches plus the staircase updates;
 * - M >= 4: slicing objectives ("HSO", While et al. 2006): slabs along the last objective, each a
 *   (M-1)-objective hypervolume, down to the 3-D sweep. Exponential in M; for many objectives use
 *   `hypervolumeMonteCarlo`, which samples the box and reports an interval.
 */
import { checkInt, checkNumbers, checkProbability, describe } from '../core/checks';
import { checkRng, type Rng } from '../core/rng';
import { wilsonInterval } from '../core/proportion';
import { lastAtMost, sortedIndices } from './order';
import { flattenPoints, type FlatPoints, type ParetoOptions } from './points';

/**
 * The exact hypervolume of `points` with respect to `reference`.
 * @param points one row per candidate, one column per objective
 * @param reference a point no better than any of `points` in any objective (it bounds the set)
 * @param opts.directions per objective 'minimize' (default) or 'maximize'
 * @throws RangeError for an empty set, rows of different lengths, a reference of the wrong length,
 *   or a reference that does not bound the set; TypeError for NaN objectives
 * @example hypervolume([[1, 3], [2, 2], [3, 1]], [4, 4]) // 6
 * @example hypervolume([[90, 2]], [80, 5], { directions: ['maximize', 'minimize'] }) // 10 · 3 = 30
 */
export function hypervolume(points: readonly (readonly number[])[], reference: readonly number[], opts?: ParetoOptions): number {
  const { p, ref } = checkHypervolumeInput(points, reference, opts, 'hypervolume');
  return exactHypervolume(p.flat, p.n, p.m, ref, 3);
}

/**
 * The same hypervolume by slicing all the way down to two objectives: O(n² log n) for three
 * objectives. The plain reference the tests and the bench compare the 3-D sweep with.
 * @throws as {@link hypervolume}
 * @example naiveHypervolume([[1, 3], [2, 2], [3, 1]], [4, 4]) // 6
 */
export function naiveHypervolume(points: readonly (readonly number[])[], reference: readonly number[], opts?: ParetoOptions): number {
  const { p, ref } = checkHypervolumeInput(points, reference, opts, 'naiveHypervolume');
  return exactHypervolume(p.flat, p.n, p.m, ref, 2);
}

/** A Monte Carlo hypervolume estimate with its interval. */
export interface HypervolumeEstimate {
  estimate: number;
  /** Wilson interval of the dominated fraction, times the box volume. */
  lower: number;
  upper: number;
  level: number;
  samples: number;
  /** Volume of the sampled box, from the best value of each objective to the reference. */
  boxVolume: number;
}

/**
 * Hypervolume estimated by sampling the box between the set's best values and the reference
 * uniformly: the dominated fraction times the box volume, with a Wilson interval. Its cost is
 * O(samples · n · M) whatever M, so it serves where exact methods blow up.
 * @param opts.samples draws (default 100000); opts.rng the random stream; opts.level (default 0.95)
 * @throws as {@link hypervolume}, and for samples < 1 or a missing Rng
 * @example hypervolumeMonteCarlo([[1, 3], [2, 2], [3, 1]], [4, 4], { rng: createRng(1) }).estimate // about 6
 */
export function hypervolumeMonteCarlo(
  points: readonly (readonly number[])[],
  reference: readonly number[],
  opts: ParetoOptions & { rng: Rng; samples?: number; level?: number },
): HypervolumeEstimate {
  const caller = 'hypervolumeMonteCarlo';
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be { rng, samples?, level?, directions? }, got ${describe(opts)}`);
  const { p, ref } = checkHypervolumeInput(points, reference, opts, caller);
  const rng = checkRng('opts.rng', opts.rng, caller);
  const samples = checkInt('opts.samples', opts.samples ?? 100000, { min: 1 }, caller);
  const level = checkProbability('opts.level', opts.level ?? 0.95, caller);
  const { n, m, flat } = p;
  const ideal = Float64Array.from(ref);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) ideal[j] = Math.min(ideal[j], flat[i * m + j]);
  let boxVolume = 1;
  for (let j = 0; j < m; j++) boxVolume *= ref[j] - ideal[j];
  const x = new Float64Array(m);
  let hits = 0;
  for (let s = 0; s < samples; s++) {
    for (let j = 0; j < m; j++) x[j] = ideal[j] + (ref[j] - ideal[j]) * rng.uniform();
    if (isDominatedBySet(flat, n, m, x)) hits++;
  }
  const ci = wilsonInterval(hits, samples, level);
  return { estimate: (hits / samples) * boxVolume, lower: ci.lower * boxVolume, upper: ci.upper * boxVolume, level, samples, boxVolume };
}

function isDominatedBySet(flat: Float64Array, n: number, m: number, x: Float64Array): boolean {
  outer: for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) if (flat[i * m + j] > x[j]) continue outer;
    return true;
  }
  return false;
}

/** The checked points and reference, both in minimisation form. */
function checkHypervolumeInput(points: unknown, reference: unknown, opts: ParetoOptions | undefined, caller: string): { p: FlatPoints; ref: Float64Array } {
  const p = flattenPoints(points, opts, caller);
  const r = checkNumbers('reference', reference, {}, caller);
  if (r.length !== p.m) throw new RangeError(`${caller}: 'reference' must have ${p.m} objectives like the points, got length ${r.length}`);
  const ref = Float64Array.from(r, (x, j) => p.signs[j] * x);
  for (let i = 0; i < p.n; i++) {
    for (let j = 0; j < p.m; j++) {
      if (p.flat[i * p.m + j] > ref[j]) {
        const dir = p.signs[j] > 0 ? 'at least' : 'at most';
        throw new RangeError(
          `${caller}: 'reference' must bound the set (objective ${j} ${dir} every point's), but point ${i} has ${describe(p.signs[j] * p.flat[i * p.m + j])} against the reference's ${describe(r[j])}`,
        );
      }
    }
  }
  return { p, ref };
}

/** Exact hypervolume of flat minimisation points; `base` is the dimension handled directly (2 or 3). */
function exactHypervolume(flat: Float64Array, n: number, m: number, ref: Float64Array, base: 2 | 3): number {
  if (m === 1) {
    let best = ref[0];
    for (let i = 0; i < n; i++) best = Math.min(best, flat[i]);
    return ref[0] - best;
  }
  if (m === 2) return hypervolume2d(flat, n, ref);
  if (m === 3 && base === 3) return hypervolume3d(flat, n, ref);
  return sliced(flat, n, m, ref, base);
}

/** Sort by f1, add the rectangle each point adds below the best f2 so far. */
function hypervolume2d(flat: Float64Array, n: number, ref: Float64Array): number {
  const order = sortedIndices(n, (a, b) => flat[2 * a] - flat[2 * b] || flat[2 * a + 1] - flat[2 * b + 1]);
  let volume = 0;
  let bestY = ref[1];
  for (const i of order) {
    const y = flat[2 * i + 1];
    if (y < bestY) {
      volume += (ref[0] - flat[2 * i]) * (bestY - y);
      bestY = y;
    }
  }
  return volume;
}

/** The 3-D sweep along f3 over a 2-D staircase whose dominated area is kept up to date. */
function hypervolume3d(flat: Float64Array, n: number, ref: Float64Array): number {
  const order = sortedIndices(n, (a, b) => flat[3 * a + 2] - flat[3 * b + 2]);
  const stair = new DominatedArea(ref[0], ref[1]);
  let volume = 0;
  let z = ref[2];
  for (let t = 0; t < n; t++) {
    const i = order[t];
    const zi = flat[3 * i + 2];
    if (t > 0) volume += stair.area * (zi - z);
    z = zi;
    stair.insert(flat[3 * i], flat[3 * i + 1]);
  }
  return volume + stair.area * (ref[2] - z);
}

/**
 * The region [x, rx] × [y, ry] dominated by a set of 2-D points, kept as its staircase (x
 * ascending, y strictly descending) and its area, updated in O(log s + removed) per insertion
 * (plus the array shift).
 */
class DominatedArea {
  private xs: number[] = [];
  private ys: number[] = [];
  area = 0;
  constructor(
    private readonly rx: number,
    private readonly ry: number,
  ) {}
  insert(x: number, y: number): void {
    const { xs, ys } = this;
    const k = lastAtMost(xs, x);
    const ceiling = k >= 0 ? ys[k] : this.ry; // the staircase's height just left of x
    if (ceiling <= y) return; // covered: adds nothing
    const start = k >= 0 && xs[k] === x ? k : k + 1; // an equal-x step is replaced
    let end = start;
    let cursor = x;
    let height = ceiling;
    // Walk the steps the new point covers, adding the strip between their height and y.
    while (end < xs.length && ys[end] >= y) {
      if (xs[end] > cursor) {
        this.area += (xs[end] - cursor) * (height - y);
        cursor = xs[end];
      }
      height = ys[end];
      end++;
    }
    const right = end < xs.length ? xs[end] : this.rx;
    this.area += (right - cursor) * (height - y);
    xs.splice(start, end - start, x);
    ys.splice(start, end - start, y);
  }
}

/** Slabs along the last objective, each an (m-1)-objective hypervolume of the points below it. */
function sliced(flat: Float64Array, n: number, m: number, ref: Float64Array, base: 2 | 3): number {
  const last = m - 1;
  const order = sortedIndices(n, (a, b) => flat[a * m + last] - flat[b * m + last]);
  const below = new Float64Array(n * last);
  const subRef = ref.subarray(0, last);
  let volume = 0;
  for (let t = 0; t < n; t++) {
    const i = order[t];
    for (let j = 0; j < last; j++) below[t * last + j] = flat[i * m + j];
    const top = t + 1 < n ? flat[order[t + 1] * m + last] : ref[last];
    const depth = top - flat[i * m + last];
    if (depth > 0) volume += depth * exactHypervolume(below.subarray(0, (t + 1) * last), t + 1, last, subRef, base);
  }
  return volume;
}
