/**
 * Chapter 09, multi-objective NAS: the reference solution.
 *
 * Dominance with per-objective directions, the non-dominated set by pairwise comparison, and the
 * weighted-sum choice over min-max normalised objectives. (The library's versions, in
 * src/pareto, do the same at scale: sorting instead of comparing every pair.)
 */

export type Direction = 'maximize' | 'minimize';

/** No worse everywhere, strictly better somewhere; a maximised objective is compared reversed. */
export function dominates(a: number[], b: number[], directions: Direction[]): boolean {
  let strictly = false;
  for (let j = 0; j < a.length; j++) {
    const better = directions[j] === 'maximize' ? a[j] - b[j] : b[j] - a[j];
    if (better < 0) return false;
    if (better > 0) strictly = true;
  }
  return strictly;
}

/** Every point that no other point dominates, in index order. */
export function nonDominatedIndices(points: number[][], directions: Direction[]): number[] {
  return points.map((_, i) => i).filter((i) => !points.some((q, k) => k !== i && dominates(q, points[i], directions)));
}

/** Normalise each objective over the set, J = Σ λ_j s_j ñ_j, the first index of the smallest J. */
export function weightedSumChoice(points: number[][], lambda: number[], directions: Direction[]): number {
  const m = lambda.length;
  const lo = Array.from({ length: m }, (_, j) => Math.min(...points.map((p) => p[j])));
  const hi = Array.from({ length: m }, (_, j) => Math.max(...points.map((p) => p[j])));
  const J = points.map((p) => p.reduce((sum, x, j) => {
    const scaled = hi[j] === lo[j] ? 0 : (x - lo[j]) / (hi[j] - lo[j]);
    return sum + lambda[j] * (directions[j] === 'maximize' ? -scaled : scaled);
  }, 0));
  let best = 0;
  for (let i = 1; i < J.length; i++) if (J[i] < J[best]) best = i;
  return best;
}
