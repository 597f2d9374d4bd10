/**
 * Chapter 09, multi-objective NAS: your exercise.
 *
 * A candidate network is described by its objective values, e.g. [accuracy, latency, energy];
 * `directions[j]` says whether objective j is to be made large ('maximize') or small ('minimize').
 * You write dominance, the non-dominated set, and the choice a weighted sum makes.
 *
 * Run `await check("09")` in the notebook to see which cases pass.
 */

/** Whether larger or smaller values of an objective are better. */
export type Direction = 'maximize' | 'minimize';

/**
 * Whether candidate `a` dominates candidate `b`: `a` is no worse than `b` in every objective and
 * strictly better in at least one. Equal candidates do not dominate each other.
 * Check: a = [90, 3], b = [85, 3], directions ['maximize', 'minimize'] gives true.
 */
export function dominates(a: number[], b: number[], directions: Direction[]): boolean {
  throw new Error('TODO: no worse in every objective (mind each direction) and strictly better in one');
}

/**
 * The indices, ascending, of the candidates that no other candidate dominates (the Pareto front).
 * Two equal candidates on the front are both kept.
 * Check: points [[1, 5], [2, 2], [3, 3], [5, 1]], both objectives minimised, gives [0, 1, 3].
 */
export function nonDominatedIndices(points: number[][], directions: Direction[]): number[] {
  throw new Error('TODO: keep the indices of the points that no other point dominates');
}

/**
 * The candidate a weighted sum chooses. First normalise each objective over the set:
 * ñ = (x − min) / (max − min), or 0 when every candidate has the same value. Then score each
 * candidate by J = Σ_j λ_j s_j ñ_j, with s_j = −1 for a maximised objective and +1 for a minimised
 * one (so J = −λ₁A + λ₂L + λ₃E for accuracy, latency, energy), and return the index with the
 * smallest J; among equal J, the smallest index. λ has one non-negative weight per objective, summing to 1.
 * Check: points [[0.95, 9], [0.90, 3], [0.80, 1]], directions ['maximize', 'minimize'],
 * λ = [0.5, 0.5] gives 1: normalised, the points are (1, 1), (2/3, 0.25), (0, 0), so
 * J = −0.5 + 0.5 = 0, −1/3 + 0.125 ≈ −0.208, and 0.
 */
export function weightedSumChoice(points: number[][], lambda: number[], directions: Direction[]): number {
  throw new Error('TODO: normalise each objective, sum lambda_j * sign_j * value_j, return the index of the smallest sum');
}
