/**
 * Pareto dominance. With every objective minimised, a dominates b when a is no worse in any
 * objective and strictly better in at least one; a point never dominates an equal point, so
 * duplicates are mutually non-dominated and share a front.
 */
import { checkArray, checkSameLength } from '../core/checks';
import { flatDominates, flattenPoints, type ParetoOptions } from './points';
import { nonDominatedRanks } from './sort';

/**
 * Whether objective vector `a` dominates `b`.
 * @param a objective values of one candidate
 * @param b objective values of another, the same length
 * @param opts.directions per objective 'minimize' (default) or 'maximize'
 * @throws RangeError if a and b differ in length; TypeError for a NaN or infinite value
 * @example dominates([90, 3], [85, 3], { directions: ['maximize', 'minimize'] }) // true: more accurate, as fast
 * @example dominates([1, 2], [1, 2]) // false: equal points do not dominate each other
 */
export function dominates(a: readonly number[], b: readonly number[], opts?: ParetoOptions): boolean {
  const caller = 'dominates';
  checkArray('a', a, { minLength: 1 }, caller);
  checkArray('b', b, { minLength: 1 }, caller);
  checkSameLength('a', a, 'b', b, caller);
  const p = flattenPoints([a, b], opts, caller);
  return flatDominates(p.flat, p.m, 0, 1);
}

/**
 * Indices (ascending) of the points no other point dominates: the Pareto front of the set, its
 * duplicates included. O(n log n) for two objectives, O(n log n · log F) for three (F fronts) and
 * the sort's bound beyond (see {@link nonDominatedSort}).
 * @param points one row per candidate, one column per objective
 * @param opts.directions per objective 'minimize' (default) or 'maximize'
 * @throws RangeError for an empty set or rows of different lengths; TypeError for NaN objectives
 * @example nonDominated([[1, 5], [2, 2], [3, 3], [5, 1]]) // [0, 1, 3]: (3, 3) is dominated by (2, 2)
 */
export function nonDominated(points: readonly (readonly number[])[], opts?: ParetoOptions): number[] {
  const p = flattenPoints(points, opts, 'nonDominated');
  return ranksToFront(nonDominatedRanks(p));
}

function ranksToFront(ranks: Int32Array): number[] {
  const out: number[] = [];
  ranks.forEach((r, i) => {
    if (r === 0) out.push(i);
  });
  return out;
}
