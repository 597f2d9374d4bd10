/**
 * The sparse projection of one edge's architecture weights (DARTS with an ℓ1 penalty):
 *
 *   β* = argmin_β ½‖β − c‖² + λ‖β‖₁   subject to   Σᵢ βᵢ = 1.
 *
 * Why signed β: on the probability simplex (β ≥ 0, Σβ = 1) the penalty is constant, ‖β‖₁ = 1,
 * so λ could change nothing there. Keeping only Σβ = 1 makes λ a knob: since Σβ = 1,
 * λ‖β‖₁ = λ(1 + 2Σᵢ max(−βᵢ, 0)), a charge on negative weight only. λ = 0 gives the dense
 * Euclidean projection onto the affine set; a growing λ sets more weights exactly to zero and
 * squeezes out negative ones; beyond a finite λ no weight stays negative and the answer is the
 * Euclidean projection onto the probability simplex (an exact penalty).
 *
 * The solution is exact and cheap. Moving the constraint into the objective with a multiplier μ,
 * each coordinate decouples into a scalar lasso whose answer is the soft-threshold
 *
 *   βᵢ(μ) = S_λ(cᵢ − μ),   S_λ(x) = sign(x) · max(|x| − λ, 0),
 *
 * and μ is the root of the scalar function g(μ) = Σᵢ S_λ(cᵢ − μ) − 1. g is continuous,
 * piecewise linear and non-increasing, with kinks at the 2n breakpoints cᵢ ± λ; between two
 * consecutive breakpoints the set of coordinates above +λ and below −λ is fixed, so once the
 * bracketing pair is found μ has a closed form. The root is unique: where g = 0 some coordinate
 * is active, so g is strictly decreasing there.
 */
import { checkArray, checkNumber, checkNumbers } from '../../core/checks';

/**
 * The soft-threshold operator S_λ(x) = sign(x)·max(|x| − λ, 0): the minimiser of ½(b − x)² + λ|b|.
 * @param x any finite number
 * @param lambda the threshold λ >= 0
 * @throws TypeError if x or λ is not finite; RangeError if λ < 0
 * @example softThreshold(1.5, 0.5) // 1
 * @example softThreshold(-0.2, 0.5) // 0
 */
export function softThreshold(x: number, lambda: number): number {
  checkNumber('x', x, {}, 'softThreshold');
  checkNumber('lambda', lambda, { min: 0 }, 'softThreshold');
  return thresholdUnchecked(x, lambda);
}

function thresholdUnchecked(x: number, lambda: number): number {
  if (x > lambda) return x - lambda;
  if (x < -lambda) return x + lambda;
  return 0;
}

/** Σᵢ S_λ(cᵢ − μ) on checked input. */
function thresholdedSum(c: readonly number[], lambda: number, mu: number): number {
  let s = 0;
  for (const ci of c) s += thresholdUnchecked(ci - mu, lambda);
  return s;
}

function checkProjectionInput(c: unknown, lambda: unknown, caller: string): number[] {
  const cs = checkNumbers('c', c, { minLength: 1 }, caller);
  checkNumber('lambda', lambda, { min: 0 }, caller);
  return cs;
}

/**
 * The constraint gap g(μ) = Σᵢ S_λ(cᵢ − μ) − 1, whose root is the multiplier of the projection:
 * plot it against μ to see the piecewise-linear, non-increasing dual function.
 * @param c the unprojected weights (at least one finite number)
 * @param lambda the ℓ1 weight λ >= 0
 * @param mu the multiplier μ at which to evaluate
 * @throws TypeError for a non-finite entry, λ or μ; RangeError for an empty c or λ < 0
 * @example projectionGap([0.5, 0.3, 0.2], 0, 0) // 0: at μ = 0 the weights already sum to 1
 */
export function projectionGap(c: readonly number[], lambda: number, mu: number): number {
  const cs = checkProjectionInput(c, lambda, 'projectionGap');
  checkNumber('mu', mu, {}, 'projectionGap');
  return thresholdedSum(cs, lambda, mu) - 1;
}

/**
 * The multiplier μ of the sparse projection: the root of g(μ) = Σᵢ S_λ(cᵢ − μ) − 1, found by
 * sorting the breakpoints cᵢ ± λ, bisecting over them for the pair that brackets the root, and
 * solving the linear piece between them exactly. O(n log n).
 * @param c the unprojected weights (at least one finite number)
 * @param lambda the ℓ1 weight λ >= 0
 * @throws TypeError for a non-finite entry or λ; RangeError for an empty c or λ < 0
 * @example projectionMultiplier([0.5, 0.3, 0.2], 0) // 0
 * @example projectionMultiplier([2, 0, 0], 0.5) // 0.5: β = [1, 0, 0]
 */
export function projectionMultiplier(c: readonly number[], lambda: number): number {
  return multiplierUnchecked(checkProjectionInput(c, lambda, 'projectionMultiplier'), lambda);
}

function multiplierUnchecked(c: readonly number[], lambda: number): number {
  const breakpoints = c.flatMap((ci) => [ci - lambda, ci + lambda]).sort((a, b) => a - b);
  // Below the smallest breakpoint every coordinate is above +λ: g is linear with slope −n.
  if (thresholdedSum(c, lambda, breakpoints[0]) < 1) return linearPieceRoot(c, lambda, breakpoints[0] - 1);
  // Invariant: g(breakpoints[lo]) >= 0 > g(breakpoints[hi]). At the largest breakpoint every
  // coordinate is at or below −λ, so the sum is <= 0 < 1 and hi starts valid.
  let lo = 0;
  let hi = breakpoints.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (thresholdedSum(c, lambda, breakpoints[mid]) >= 1) lo = mid;
    else hi = mid;
  }
  return linearPieceRoot(c, lambda, (breakpoints[lo] + breakpoints[hi]) / 2);
}

/**
 * The root of g on the linear piece that contains `inside`: with P the coordinates above +λ and N
 * those below −λ there, Σ_P (cᵢ − λ − μ) + Σ_N (cᵢ + λ − μ) = 1 gives μ directly.
 */
function linearPieceRoot(c: readonly number[], lambda: number, inside: number): number {
  let total = -1;
  let active = 0;
  for (const ci of c) {
    const x = ci - inside;
    if (x > lambda) {
      total += ci - lambda;
      active++;
    } else if (x < -lambda) {
      total += ci + lambda;
      active++;
    }
  }
  return total / active;
}

/** The sparse projection of one edge: the weights and the multiplier that produced them. */
export interface SparseProjection {
  /** β*, summing to 1, with exact zeros where |cᵢ − μ| <= λ. */
  beta: number[];
  /** The multiplier μ, the root of Σᵢ S_λ(cᵢ − μ) = 1. */
  mu: number;
}

/**
 * Solves min_β ½‖β − c‖² + λ‖β‖₁ subject to Σβ = 1 exactly: β = S_λ(c − μ) with μ the root of
 * the dual (see {@link projectionMultiplier}). λ = 0 gives the Euclidean projection onto the
 * affine set Σβ = 1, β = c − (Σc − 1)/n. A large enough λ gives the Euclidean projection onto the
 * probability simplex (see the file header). Weights that are already a probability vector
 * (cᵢ >= 0, Σc = 1) come back unchanged, whatever λ: project raw scores, not softmax outputs. Note: with β ≥ 0 and Σβ = 1 the penalty would be
 * the constant 1; the sparsity comes from allowing signed β.
 * @param c the unprojected weights of one edge (at least one finite number)
 * @param lambda the ℓ1 weight λ >= 0
 * @throws TypeError if c holds a non-finite number (NaN included) or λ is not finite;
 *   RangeError if c is empty or λ < 0
 * @example sparseProjection([1, 0.6, 0.1], 0.3) // { beta: [0.7, 0.3, 0], mu: 0 } up to rounding
 * @example sparseProjection([0.6, 0.3, 0.1], 0.1).beta // [0.6, 0.3, 0.1]: a point of the simplex is its own projection
 */
export function sparseProjection(c: readonly number[], lambda: number): SparseProjection {
  const cs = checkProjectionInput(c, lambda, 'sparseProjection');
  const mu = multiplierUnchecked(cs, lambda);
  return { beta: cs.map((ci) => thresholdUnchecked(ci - mu, lambda)), mu };
}

/**
 * The sparse projection applied to every edge of a cell at once, as an optional step of a DARTS
 * search: each row (one edge's architecture weights, one per candidate operation) is replaced by
 * its projection, so every edge's weights sum to 1 and the small ones are exactly 0.
 * @param weights one row per edge, each at least one finite number
 * @param lambda the ℓ1 weight λ >= 0, shared by every edge
 * @throws TypeError/RangeError naming the bad row (`weights[e]`), or for λ < 0
 * @example projectEdgeWeights([[1, 0.6, 0.1], [2, 0, 0]], 0.3) // [[0.7, 0.3, 0], [1, 0, 0]] up to rounding
 */
export function projectEdgeWeights(weights: readonly (readonly number[])[], lambda: number): number[][] {
  const caller = 'projectEdgeWeights';
  const rows = checkArray<unknown>('weights', weights, { minLength: 1 }, caller);
  checkNumber('lambda', lambda, { min: 0 }, caller);
  return rows.map((row, e) => {
    const c = checkNumbers(`weights[${e}]`, row, { minLength: 1 }, caller);
    const mu = multiplierUnchecked(c, lambda);
    return c.map((ci) => thresholdUnchecked(ci - mu, lambda));
  });
}
