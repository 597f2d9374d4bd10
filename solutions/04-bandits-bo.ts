/**
 * Chapter 04, bandits and Bayesian optimisation: the reference solution.
 *
 * ε-greedy and UCB1 decide which arm to pull; a Gaussian process with a Hamming kernel predicts
 * the score of an unevaluated architecture; Expected Improvement turns that prediction into the
 * value of evaluating it.
 */
import { cholesky, choleskySolve, normalCdf, normalPdf } from 'nasbook';

/** Explore (return randomArm) when u < ε; otherwise the first index of the largest mean. */
export function epsilonGreedyChoice(means: number[], epsilon: number, u: number, randomArm: number): number {
  if (u < epsilon) return randomArm;
  let best = 0;
  for (let i = 1; i < means.length; i++) if (means[i] > means[best]) best = i;
  return best;
}

/** UCB1's index mean + c·√(2 ln t / n), t = total pulls, n = this arm's pulls. */
export function ucb1Index(mean: number, pulls: number, total: number, c: number): number {
  return mean + c * Math.sqrt((2 * Math.log(total)) / pulls);
}

/** k(a, b) = σ² exp(−h/(ℓ·d)), h the number of coordinates where a and b differ, d their length. */
export function hammingKernel(a: number[], b: number[], lengthscale: number, variance: number): number {
  let h = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) h++;
  return variance * Math.exp(-h / (lengthscale * a.length));
}

/**
 * Posterior of f(x*) for a zero-mean GP with the Hamming kernel, observations y = f(X) + noise:
 * mean = k*ᵀ (K + noise·I)⁻¹ y, variance = k(x*, x*) − k*ᵀ (K + noise·I)⁻¹ k*.
 */
export function gpPosterior(
  X: number[][],
  y: number[],
  xStar: number[],
  lengthscale: number,
  variance: number,
  noise: number,
): { mean: number; variance: number } {
  const K = X.map((a, i) => X.map((b, j) => hammingKernel(a, b, lengthscale, variance) + (i === j ? noise : 0)));
  const kStar = X.map((a) => hammingKernel(a, xStar, lengthscale, variance));
  const { L } = cholesky(K);
  const alpha = choleskySolve(L, y); // (K + noise·I)⁻¹ y
  const v = choleskySolve(L, kStar); // (K + noise·I)⁻¹ k*
  let mean = 0;
  let explained = 0;
  for (let i = 0; i < X.length; i++) {
    mean += kStar[i] * alpha[i];
    explained += kStar[i] * v[i];
  }
  // Exact arithmetic keeps this >= 0; rounding can dip a hair below at an observed point.
  return { mean, variance: Math.max(hammingKernel(xStar, xStar, lengthscale, variance) - explained, 0) };
}

/** EI = (μ − best − ξ)·Φ(z) + s·φ(z), z = (μ − best − ξ)/s; max(μ − best − ξ, 0) when s = 0. */
export function expectedImprovement(mean: number, std: number, best: number, xi: number): number {
  const gain = mean - best - xi;
  if (std === 0) return Math.max(gain, 0);
  const z = gain / std;
  return gain * normalCdf(z) + std * normalPdf(z);
}

/**
 * One step of Bayesian optimisation: among the candidates not yet evaluated (not a row of X), the
 * index of the one of largest EI under the GP posterior, best = max(y); ties go to the first.
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
  const evaluated = new Set(X.map((x) => x.join()));
  const best = Math.max(...y);
  let chosen = -1;
  let chosenEi = -Infinity;
  candidates.forEach((c, i) => {
    if (evaluated.has(c.join())) return;
    const p = gpPosterior(X, y, c, lengthscale, variance, noise);
    const ei = expectedImprovement(p.mean, Math.sqrt(p.variance), best, xi);
    if (ei > chosenEi) {
      chosen = i;
      chosenEi = ei;
    }
  });
  return chosen;
}
