/**
 * Chapter 08, zero-cost proxies: your exercise.
 *
 * A zero-cost proxy scores an untrained network from one forward/backward pass; a rank correlation
 * tells how well the scores order networks the way their trained accuracies do. You write one
 * proxy's core on a small dense chain (SynFlow), the scoring of the Jacobian-covariance proxy from
 * given input gradients, and Spearman's rank correlation as it must be computed when values tie.
 *
 * You may use nasbook's linear algebra (for example `symmetricEigen`), but not its zero-cost
 * proxies or its rank statistics: graded code that reaches them is reported, not scored.
 *
 * Run `await check("08")` in the notebook to see which cases pass.
 */

/**
 * SynFlow's per-weight saliency |θ ⊙ ∂R/∂θ| on a chain of dense layers without biases or
 * activations (Tanaka et al. 2020). `weights[l]` is layer l's matrix, `weights[l][i][j]` the weight
 * from input j to output i, so `weights[l][0].length` equals `weights[l - 1].length`. SynFlow
 * replaces every weight by its absolute value, feeds an input of all ones, and takes
 * R = the sum of the outputs. Return one matrix per layer, shaped like `weights`, holding
 * |θ| · ∂R/∂|θ| for each weight; the SynFlow score is the sum of every entry.
 * Do not change `weights`.
 * Check: one layer [[2, -3]] gives [[2, 3]] (R = 5).
 */
export function synflowSaliency(weights: number[][][]): number[][][] {
  throw new Error('TODO: a forward pass of |W| on ones, a backward pass from ones, then multiply');
}

/**
 * The jacob_cov score of Mellor et al. (2021) as Abdelfattah et al. (2021) compute it: given one
 * flattened input gradient per row (B >= 2 rows, none constant), form the B x B matrix of Pearson
 * correlations between the rows, take its eigenvalues λᵢ (clamp any that rounding makes negative
 * to 0), and return −Σᵢ [log(λᵢ + k) + 1/(λᵢ + k)] with k = 1e-5.
 * Check: uncorrelated rows [[1, 0, -1, 0], [0, 1, 0, -1]] have eigenvalues 1 and 1: about −2.
 */
export function jacobCovScore(jacobians: number[][]): number {
  throw new Error('TODO: correlations between rows, their eigenvalues, then the score');
}

/**
 * Spearman's rank correlation of x and y (same length >= 2, neither constant): Pearson's r between
 * their ranks, where tied values share the average of the ranks they span. Do not change x or y.
 * Check: spearman([1, 1, 2, 2], [1, 2, 3, 4]) = 4/√20 ≈ 0.894 (the 1 − 6Σd²/(n(n²−1)) shortcut gives 0.9).
 */
export function spearman(x: number[], y: number[]): number {
  throw new Error('TODO: average ranks, then Pearson correlation of the ranks');
}
