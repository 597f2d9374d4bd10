/**
 * Acquisition functions for maximisation: how much a candidate with posterior N(μ, s²) is worth
 * evaluating next, given the best score so far. BayesOpt takes one as a plain function
 * ({@link Acquisition}); `expectedImprovement` and `confidenceBound` are the checked scalar forms,
 * `eiAcquisition` and `ucbAcquisition` the same formulas as acquisitions.
 */
import { checkNumber } from '../../core/checks';
import { normalCdf, normalPdf } from '../../core/distributions';

/**
 * Expected Improvement E[max(f − best − ξ, 0)] for f ~ N(mean, std²), in closed form:
 * (μ − best − ξ) Φ(z) + s φ(z) with z = (μ − best − ξ)/s; max(μ − best − ξ, 0) when s = 0.
 * @param mean posterior mean μ
 * @param std posterior standard deviation s >= 0
 * @param best the best score observed
 * @param xi ξ >= 0, an improvement margin that favours exploration (default 0)
 * @throws TypeError/RangeError for non-finite input or negative std or xi
 * @example expectedImprovement(0, 1, 0) // φ(0) = 0.3989422804014327
 */
export function expectedImprovement(mean: number, std: number, best: number, xi = 0): number {
  const caller = 'expectedImprovement';
  checkNumber('mean', mean, {}, caller);
  checkNumber('std', std, { min: 0 }, caller);
  checkNumber('best', best, {}, caller);
  checkNumber('xi', xi, { min: 0 }, caller);
  return ei(mean, std, best, xi);
}

function ei(mean: number, std: number, best: number, xi: number): number {
  const gain = mean - best - xi;
  if (std === 0) return Math.max(gain, 0);
  const z = gain / std;
  return gain * normalCdf(z) + std * Math.exp(-0.5 * z * z) / SQRT_2PI;
}

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/**
 * The optimistic confidence bound μ + κ·s (the lower confidence bound of the minimised −score).
 * @param mean posterior mean μ
 * @param std posterior standard deviation s >= 0
 * @param kappa κ >= 0: larger explores more (default 2)
 * @throws TypeError/RangeError for non-finite input or negative std or kappa
 * @example confidenceBound(1, 0.5, 2) // 2
 */
export function confidenceBound(mean: number, std: number, kappa = 2): number {
  const caller = 'confidenceBound';
  checkNumber('mean', mean, {}, caller);
  checkNumber('std', std, { min: 0 }, caller);
  checkNumber('kappa', kappa, { min: 0 }, caller);
  return mean + kappa * std;
}

/**
 * What a candidate with posterior mean μ and standard deviation s >= 0 is worth, given the best
 * score so far; BayesOpt evaluates the unevaluated candidate where it is largest. It is called
 * once per candidate per step, with finite arguments, so it should not re-check them.
 */
export type Acquisition = (mean: number, std: number, best: number) => number;

/**
 * Expected Improvement with margin ξ as an {@link Acquisition}.
 * @param xi ξ >= 0 (default 0)
 * @throws RangeError for a negative or non-finite xi
 * @example eiAcquisition()(0, 1, 0) // 0.3989422804014327
 */
export function eiAcquisition(xi = 0): Acquisition {
  checkNumber('xi', xi, { min: 0 }, 'eiAcquisition');
  return (mean, std, best) => ei(mean, std, best, xi);
}

/**
 * The confidence bound μ + κ·s as an {@link Acquisition} (the best score is not used).
 * @param kappa κ >= 0 (default 2)
 * @throws RangeError for a negative or non-finite kappa
 * @example ucbAcquisition(2)(1, 0.5, 0) // 2
 */
export function ucbAcquisition(kappa = 2): Acquisition {
  checkNumber('kappa', kappa, { min: 0 }, 'ucbAcquisition');
  return (mean, std) => mean + kappa * std;
}
