/**
 * How well predicted latencies match measured ones, in the terms latency predictors are judged
 * by (nn-Meter, Zhang et al. 2021): Pearson's r and Spearman's ρ with bootstrap intervals, the
 * mean absolute percentage error, and the share of networks predicted within ±10% of their
 * measured latency, with a Wilson interval.
 */
import { checkNumber, checkNumbers, checkSameLength, describe } from '../../core/checks';
import { wilsonInterval, type ProportionInterval } from '../../core/proportion';
import { checkRng, type Rng } from '../../core/rng';
import { pairedBootstrapCI, pearson, spearman, type ConfidenceInterval } from '../../core/stats';

/** The agreement of predicted and measured latencies. */
export interface LatencyAgreement {
  n: number;
  pearson: ConfidenceInterval;
  spearman: ConfidenceInterval;
  /** Mean of |predicted − measured| / measured, as a fraction (0.05 = 5%). */
  mape: number;
  /** Share of networks with |predicted − measured| <= tolerance · measured. */
  within: ProportionInterval;
  /** The tolerance of `within` (0.1 = ±10%). */
  tolerance: number;
}

/** Options of {@link latencyAgreement}. */
export interface LatencyAgreementOptions {
  /** Draws the bootstrap resamples of the correlations. */
  rng: Rng;
  /** Relative tolerance of `within` (default 0.1). */
  tolerance?: number;
  /** Bootstrap resamples (default 1000). */
  resamples?: number;
}

/**
 * Compares predicted with measured latencies.
 * @param predicted one prediction per network (>= 0)
 * @param measured the measured latency of the same networks (> 0), in the same unit
 * @param opts rng for the bootstrap, tolerance (0.1), resamples (1000)
 * @throws RangeError/TypeError for different lengths, fewer than 3 networks, a measured time <= 0, a negative prediction
 * @example latencyAgreement([1, 2.1, 2.9], [1, 2, 3], { rng: createRng(0) }).within.estimate // 1: every prediction within 10%
 */
export function latencyAgreement(predicted: readonly number[], measured: readonly number[], opts: LatencyAgreementOptions): LatencyAgreement {
  const caller = 'latencyAgreement';
  const p = checkNumbers('predicted', predicted, { minLength: 3 }, caller);
  const m = checkNumbers('measured', measured, { minLength: 3 }, caller);
  checkSameLength('predicted', p, 'measured', m, caller);
  p.forEach((x, i) => checkNumber(`predicted[${i}]`, x, { min: 0 }, caller));
  m.forEach((x, i) => checkNumber(`measured[${i}]`, x, { min: 0, exclusiveMin: true }, caller));
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be { rng, tolerance?, resamples? }, got ${describe(opts)}`);
  const rng = checkRng('opts.rng', opts.rng, caller);
  const tolerance = checkNumber('opts.tolerance', opts.tolerance ?? 0.1, { min: 0, exclusiveMin: true }, caller);
  const resamples = opts.resamples ?? 1000;
  const errors = p.map((x, i) => Math.abs(x - m[i]) / m[i]);
  const hits = errors.filter((e) => e <= tolerance + 1e-12).length;
  return {
    n: p.length,
    pearson: pairedBootstrapCI(p, m, pearson, { rng: rng.child('pearson'), resamples }),
    spearman: pairedBootstrapCI(p, m, spearman, { rng: rng.child('spearman'), resamples }),
    mape: errors.reduce((a, e) => a + e, 0) / errors.length,
    within: wilsonInterval(hits, p.length),
    tolerance,
  };
}
