/**
 * The Jacobian-covariance score of Mellor et al. (2021, "Neural architecture search without
 * training", v1), as zero-cost-nas computes it (Abdelfattah et al. 2021): for a batch of B inputs,
 * take each input's gradient of the network's summed outputs, J_b = ∂(Σ_k f_k(x_b))/∂x_b, flatten it
 * to a row, form the B×B matrix of correlations between rows, and score its eigenvalues λ_i by
 *
 *   Z_J = −Σ_i [ log(λ_i + k) + 1/(λ_i + k) ],   k = 1e-5.
 *
 * Each term is smallest at λ = 1 − k, so the score is highest when the spectrum is flat: inputs the
 * network separates have uncorrelated Jacobians (the correlation matrix is near the identity).
 * This file holds the scoring of given Jacobian rows; `zeroCostProxies` computes the rows.
 */
import { checkArray, checkNumber, checkNumbers } from '../../core/checks';
import { symmetricEigen, type Matrix } from '../../core/linalg';

/** The regulariser k of the score (zero-cost-nas's value). */
export const JACOB_COV_K = 1e-5;

/**
 * Pearson correlations between the rows of a matrix, as numpy.corrcoef(rows): entry (a, b) is the
 * correlation of row a with row b across the columns. A constant row has no defined correlation.
 * @param rows B >= 2 rows of equal length >= 2
 * @throws TypeError/RangeError for fewer than 2 rows, ragged or non-finite rows, or a constant row (zero variance)
 * @example rowCorrelations([[1, 2, 3], [3, 2, 1]]) // [[1, -1], [-1, 1]]
 */
export function rowCorrelations(rows: readonly (readonly number[])[]): Matrix {
  const caller = 'rowCorrelations';
  const rs = checkArray<unknown>('rows', rows, { minLength: 2 }, caller);
  const first = checkNumbers('rows[0]', rs[0], { minLength: 2 }, caller);
  const centred = rs.map((r, i) => {
    const row = checkNumbers(`rows[${i}]`, r, { minLength: 2 }, caller);
    if (row.length !== first.length) throw new RangeError(`${caller}: 'rows' must have rows of equal length, got ${first.length} in row 0 and ${row.length} in row ${i}`);
    const m = row.reduce((s, x) => s + x, 0) / row.length;
    const c = row.map((x) => x - m);
    const norm = Math.sqrt(c.reduce((s, x) => s + x * x, 0));
    if (norm === 0) throw new RangeError(`${caller}: 'rows[${i}]' must vary (a constant row has no correlation), got every entry ${row[0]}`);
    return c.map((x) => x / norm);
  });
  return centred.map((a, i) => centred.map((b, j) => (i === j ? 1 : a.reduce((s, x, t) => s + x * b[t], 0))));
}

/**
 * The score −Σ_i [log(λ_i + k) + 1/(λ_i + k)] over the eigenvalues λ_i of the rows' correlation
 * matrix (higher = less correlated Jacobians). Eigenvalues that rounding pushes below zero are
 * clamped to 0, where numpy's eig would keep a tiny negative or complex value.
 * @param jacobians one flattened input gradient per row: B >= 2 rows of equal length >= 2
 * @param k the regulariser (default 1e-5, > 0)
 * @throws TypeError/RangeError as rowCorrelations, or for k <= 0
 * @example jacobCovScore([[1, 0, 0], [0, 1, 0]]) // rows correlated -0.5: eigenvalues 0.5 and 1.5; ≈ -2.3790
 */
export function jacobCovScore(jacobians: readonly (readonly number[])[], k = JACOB_COV_K): number {
  checkNumber('k', k, { min: 0, exclusiveMin: true }, 'jacobCovScore');
  const { values } = symmetricEigen(rowCorrelations(jacobians));
  return -values.reduce((s, v) => {
    const l = Math.max(v, 0) + k;
    return s + Math.log(l) + 1 / l;
  }, 0);
}
