/**
 * Chapter 05, differentiable architecture search: your exercise.
 *
 * Two pieces of DARTS you can write in a few lines each, without any tensors:
 *
 *   - the sparse projection of one edge's weights c: β* = argmin ½‖β − c‖² + λ‖β‖₁ subject to
 *     Σβ = 1, solved exactly by soft-thresholding (softThreshold) around the root μ of a scalar
 *     dual function (projectionMultiplier), then composed (sparseProjection);
 *   - the constrained-path repair: among the input-to-output paths of a cell, the one with at
 *     least ℓ_min non-skip operations that maximises the sum of log-weights (constrainedPathLogWeight).
 *
 * Run `await check("05")` in the notebook to see which cases pass.
 */

/**
 * The soft-threshold S_λ(x) = sign(x) · max(|x| − λ, 0): move x towards 0 by λ, and stop at 0.
 * It is the minimiser of ½(b − x)² + λ|b| over b.
 * Check: softThreshold(1.5, 0.5) = 1, softThreshold(-0.2, 0.5) = 0.
 */
export function softThreshold(x: number, lambda: number): number {
  throw new Error('TODO: return sign(x) * max(|x| - lambda, 0)');
}

/**
 * The multiplier μ of the projection: the root of g(μ) = Σᵢ S_λ(cᵢ − μ) − 1.
 *
 * g is continuous, piecewise linear and non-increasing in μ; it bends only at the 2n breakpoints
 * cᵢ − λ and cᵢ + λ, and exactly one μ makes it 0. Between two neighbouring breakpoints the set of
 * coordinates with cᵢ − μ > λ (call it P) and with cᵢ − μ < −λ (call it N) does not change, so
 * there g(μ) = Σ_P (cᵢ − λ − μ) + Σ_N (cᵢ + λ − μ) − 1 and the root has a closed form.
 * Return μ to about 1e-9 (bisection to machine precision is fine too).
 * Check: projectionMultiplier([2, 0, 0], 0.5) = 0.5; projectionMultiplier([1, 2, 3], 0) = 5/3.
 */
export function projectionMultiplier(c: number[], lambda: number): number {
  throw new Error('TODO: return the root mu of sum_i softThreshold(c[i] - mu, lambda) = 1');
}

/**
 * The projected weights β* = S_λ(c − μ) with μ from projectionMultiplier; they sum to 1.
 * Check: sparseProjection([1, 0.6, 0.1], 0.3) = [0.7, 0.3, 0] (μ = 0).
 */
export function sparseProjection(c: number[], lambda: number): number[] {
  throw new Error('TODO: return c.map((ci) => softThreshold(ci - mu, lambda)) with mu = projectionMultiplier(c, lambda)');
}

/**
 * The largest Σ log w over input-to-output paths with at least `lMin` counted operations.
 *
 * The cell has `nodes` nodes, node 0 the input and node nodes − 1 the output; each edge carries a
 * weight per operation (for example { skip: 0.6, conv3x3: 0.15 }). A path picks ONE operation on
 * each of its edges, never 'none', and scores the sum of the logs of their weights. 'skip' does not
 * count towards lMin; every other operation does. Edges go from a lower to a higher node.
 * Dynamic programming over states (node, k), k = counted operations so far capped at lMin, visits
 * each edge once per k. The inputs always have such a path.
 * Check: a collapsed NAS-Bench-201 cell whose edges all weigh skip 0.6 and conv3x3 0.15 gives
 * 2·log(0.15) for lMin = 2 (two convolutions on a two-edge path).
 */
export function constrainedPathLogWeight(
  nodes: number,
  edges: { from: number; to: number; weights: Record<string, number> }[],
  lMin: number,
): number {
  throw new Error('TODO: return the best sum of log-weights over paths with at least lMin non-skip operations');
}
