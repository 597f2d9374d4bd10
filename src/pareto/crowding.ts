/**
 * Crowding distance (Deb et al. 2002): how much room a point has along its front. For each
 * objective the points are ordered, the two extremes get an infinite distance, and every other
 * point adds the gap between its two neighbours divided by the objective's range. NSGA-II
 * prefers larger distances among points of the same front, which keeps the front spread out.
 */
import { flattenPoints, type ParetoOptions } from './points';

/**
 * The crowding distance of every point of a set (normally one front), same order as `points`.
 * Ties in an objective are broken by index, so the result is deterministic; an objective whose
 * values are all equal adds nothing. Direction does not change the distances (only the order
 * reverses), so `opts.directions` is accepted for symmetry with the other functions.
 * @param points one row per point, one column per objective
 * @throws RangeError for an empty set or rows of different lengths; TypeError for NaN objectives
 * @example crowdingDistance([[1, 4], [2, 2], [4, 1]]) // [Infinity, (4 - 1)/3 + (4 - 1)/3 = 2, Infinity]
 */
export function crowdingDistance(points: readonly (readonly number[])[], opts?: ParetoOptions): number[] {
  const { n, m, flat } = flattenPoints(points, opts, 'crowdingDistance');
  const distance = new Float64Array(n);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let j = 0; j < m; j++) {
    order.sort((a, b) => flat[a * m + j] - flat[b * m + j] || a - b);
    const lo = flat[order[0] * m + j];
    const hi = flat[order[n - 1] * m + j];
    distance[order[0]] = Infinity;
    distance[order[n - 1]] = Infinity;
    if (hi === lo) continue;
    for (let t = 1; t < n - 1; t++) distance[order[t]] += (flat[order[t + 1] * m + j] - flat[order[t - 1] * m + j]) / (hi - lo);
  }
  return Array.from(distance);
}
