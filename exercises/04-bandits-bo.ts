/**
 * Chapter 04, bandits and Bayesian optimisation: your exercise.
 *
 * Five small functions, the moving parts of the chapter's two strategies:
 *
 *   - epsilonGreedyChoice and ucb1Index: how a bandit picks the next arm (architecture);
 *   - hammingKernel, gpPosterior and expectedImprovement: how Bayesian optimisation predicts the
 *     score of an architecture it has not evaluated, and how much evaluating it is worth.
 *
 * Architectures are categorical vectors: NAS-Bench-201 encodes a cell as its 6 operation indices,
 * e.g. [3, 0, 1, 3, 2, 4]. Every function here is deterministic: where the strategy would draw a
 * random number, the draw is passed in as an argument.
 *
 * Run `await check("04")` in the notebook to see which cases pass.
 */
import { cholesky, choleskySolve, normalCdf, normalPdf } from 'nasbook';
// cholesky(A).L is the lower-triangular L with L·Lᵀ = A; choleskySolve(L, b) returns A⁻¹b.
// normalCdf(z) = Φ(z) and normalPdf(z) = φ(z) are the standard normal CDF and density.

/**
 * The arm ε-greedy pulls next.
 *
 * With probability ε the bandit explores: it pulls an arm drawn uniformly at random. Otherwise it
 * exploits: it pulls the arm whose mean reward so far is the highest. Here the randomness comes in
 * as arguments, so the function is deterministic:
 *
 *   - `u` is a uniform draw from [0, 1): the bandit explores exactly when u < epsilon;
 *   - `randomArm` is the arm the uniform draw picked, returned when exploring.
 *
 * When exploiting, return the index of the largest entry of `means`; if several arms share the
 * largest mean, return the FIRST of them (the smallest index).
 *
 * @param means the mean reward of each arm so far (at least one arm)
 * @param epsilon the exploration probability ε in [0, 1]
 * @param u a uniform draw in [0, 1)
 * @param randomArm the arm to pull when exploring
 * @example epsilonGreedyChoice([0.2, 0.9, 0.5], 0.1, 0.05, 2) // 2: u < ε, explore
 * @example epsilonGreedyChoice([0.2, 0.9, 0.5], 0.1, 0.5, 2)  // 1: exploit the best mean
 */
export function epsilonGreedyChoice(means: number[], epsilon: number, u: number, randomArm: number): number {
  throw new Error('TODO: return randomArm when u < epsilon, else the first index of the largest mean');
}

/**
 * UCB1's index of one arm: its mean reward plus an exploration bonus,
 *
 *   mean + c · sqrt(2 · ln(total) / pulls),
 *
 * where `total` is the number of pulls of ALL arms so far and `pulls` those of this arm. UCB1
 * pulls the arm with the largest index. The bonus shrinks as an arm is pulled more often (we know
 * its mean better) and grows slowly with the total (an arm left alone becomes worth a look again).
 * c = 1 is UCB1's own constant for rewards in [0, 1]; c = 0 leaves the plain mean.
 *
 * UCB1 pulls every arm once before it uses the index, so here pulls >= 1 and total >= pulls.
 *
 * @example ucb1Index(0.5, 1, 1, 1) // 0.5: ln(1) = 0, no bonus yet
 * @example ucb1Index(0.4, 2, 10, 1) // 0.4 + sqrt(2·ln 10 / 2) ≈ 1.9174
 */
export function ucb1Index(mean: number, pulls: number, total: number, c: number): number {
  throw new Error('TODO: return mean + c * sqrt(2 * ln(total) / pulls)');
}

/**
 * The Hamming (categorical) kernel between two architectures a and b of d coordinates each:
 *
 *   k(a, b) = variance · exp(−h / (lengthscale · d)),
 *
 * where h is the Hamming distance, the number of coordinates i with a[i] !== b[i]. Two identical
 * cells get k = variance (the prior variance of f); every differing edge multiplies the
 * covariance by exp(−1 / (lengthscale · d)), so a larger lengthscale makes cells that differ in a
 * few edges more alike (the usual convention: the lengthscale says how far correlation reaches).
 *
 * @param a categories of the first architecture
 * @param b categories of the second, same length
 * @example hammingKernel([0, 1, 2], [0, 1, 2], 1, 2) // 2 (h = 0)
 * @example hammingKernel([0, 1, 2, 3, 4, 0], [0, 1, 2, 3, 4, 1], 1 / 6, 1) // e^-1 (h = 1, d = 6)
 */
export function hammingKernel(a: number[], b: number[], lengthscale: number, variance: number): number {
  throw new Error('TODO: count the differing coordinates h, return variance * exp(-h / (lengthscale * d))');
}

/**
 * The posterior of f at one point x* for a Gaussian process with ZERO prior mean and the Hamming
 * kernel above, given observations y[i] = f(X[i]) + Gaussian noise of variance `noise`:
 *
 *   mean     = k*ᵀ (K + noise·I)⁻¹ y
 *   variance = k(x*, x*) − k*ᵀ (K + noise·I)⁻¹ k*
 *
 * with K[i][j] = k(X[i], X[j]) the n×n kernel matrix of the observations and k*[i] = k(X[i], x*).
 * The variance is that of f(x*) itself (no noise added): it is close to 0 at an observed point
 * when the noise is small, and close to the prior variance far from every observation, where the
 * mean also falls back to the prior mean 0.
 *
 * Do not invert K: factorise A = K + noise·I once with `cholesky(A).L` and get A⁻¹y and A⁻¹k* with
 * `choleskySolve(L, ·)` (or write a small Gaussian elimination of your own).
 *
 * @param X n observed architectures (rows of categories, all of length d)
 * @param y their n observed scores
 * @param xStar the architecture to predict
 * @param lengthscale ℓ of the kernel
 * @param variance σ² of the kernel
 * @param noise the observation-noise variance added to K's diagonal (>= 0)
 * @returns `{ mean, variance }` of f(xStar)
 * @example gpPosterior([[0, 0]], [2], [0, 0], 1, 1, 1) // { mean: 1, variance: 0.5 }: k* = 1, K + noise = 2
 */
export function gpPosterior(
  X: number[][],
  y: number[],
  xStar: number[],
  lengthscale: number,
  variance: number,
  noise: number,
): { mean: number; variance: number } {
  throw new Error('TODO: build K + noise·I and k*, then return { mean: k*ᵀA⁻¹y, variance: k(x*,x*) − k*ᵀA⁻¹k* }');
}

/**
 * Expected Improvement of a candidate whose score is predicted as f ~ N(mean, std²), over the best
 * score observed so far (we maximise):
 *
 *   EI = E[max(f − best − xi, 0)] = (mean − best − xi) · Φ(z) + std · φ(z),   z = (mean − best − xi) / std.
 *
 * The first term rewards a high mean (exploitation), the second a large uncertainty (exploration).
 * `xi` >= 0 asks for an improvement of at least xi before it counts. When std = 0 the score is
 * known exactly, so EI = max(mean − best − xi, 0) (do not divide by zero).
 *
 * @example expectedImprovement(0, 1, 0, 0) // φ(0) ≈ 0.39894
 * @example expectedImprovement(5, 0, 3, 0.5) // 1.5
 */
export function expectedImprovement(mean: number, std: number, best: number, xi: number): number {
  throw new Error('TODO: return (mean − best − xi)·Φ(z) + std·φ(z) with z = (mean − best − xi)/std, or max(mean − best − xi, 0) when std = 0');
}

/**
 * One step of Bayesian optimisation, the step that separates BO from a bandit: choose the next
 * architecture to evaluate among `candidates`, using everything observed so far.
 *
 *   1. skip every candidate that was already evaluated (equal to a row of X): evaluating it again
 *      teaches nothing on a noise-free table;
 *   2. for each remaining candidate, compute its posterior with gpPosterior and its Expected
 *      Improvement with expectedImprovement(mean, Math.sqrt(variance), best, xi), where best is
 *      the largest observed score, max(y);
 *   3. return the INDEX (into `candidates`) of the largest EI; when several share it, the first.
 *
 * Every candidate in the cases has at least one unevaluated entry.
 *
 * @param X the n evaluated architectures
 * @param y their scores
 * @param candidates the architectures BO may choose from (some of them may be in X)
 * @example boStep([[0], [1]], [3, 1], [[0], [1], [2]], 0.7, 1, 0, 0) // 2: the only unevaluated candidate
 */
export function boStep(
  X: number[][],
  y: number[],
  candidates: number[][],
  lengthscale: number,
  variance: number,
  noise: number,
  xi: number,
): number {
  throw new Error('TODO: skip evaluated candidates, return the index of the largest expected improvement (first among ties)');
}
