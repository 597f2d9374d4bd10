/**
 * Exact Gaussian-process regression on categorical vectors, scikit-learn style: the constructor
 * stores options, `fit` conditions on data (fitting the hyper-parameters by marginal likelihood
 * unless they are fixed), `predict` returns the posterior mean and standard deviation. Kernels are
 * in ./kernels.ts, the arithmetic in ./posterior.ts.
 */
import { checkNumber, checkNumbers, checkOneOf, describe } from '../../core/checks';
import { GP_KERNELS, checkKernelParams, checkRows, hammingDistance, pairwiseHamming, type GpKernel, type HammingKernelParams } from './kernels';
import { fitPosterior, posteriorAtDistances, type GaussianProcessFit, type GpPosterior, type GpSettings } from './posterior';

export type { GaussianProcessFit } from './posterior';

/** Options of {@link GaussianProcess}. */
export interface GaussianProcessOptions {
  /** 'hamming' (default) or 'onehot' (Matérn 5/2 on the one-hot encoding). */
  kernelType?: GpKernel;
  /** Fixed kernel hyper-parameters; omit to fit ℓ, σ² (and the noise) by marginal likelihood. */
  kernel?: HammingKernelParams;
  /** Observation noise variance (standardised units); required with `kernel`, fitted otherwise. */
  noise?: number;
  /** [lowest, highest] ℓ the fit may choose (default [0.1, 100]: with d = 6, ℓ = 0.1 already leaves a correlation of only e^(−1/0.6) ≈ 0.19 between neighbours, and below it the posterior mean goes flat). */
  lengthscaleBounds?: [number, number];
  /** [lowest, highest] noise ratio τ = noise/σ² the fit may choose (default [1e-6, 1]; table look-ups are nearly noise-free). */
  noiseRatioBounds?: [number, number];
}

/** Posterior of the latent function at query points (noise-free), in the targets' units. */
export interface GaussianProcessPrediction {
  mean: number[];
  std: number[];
}

const DEFAULT_LENGTHSCALE_BOUNDS: [number, number] = [0.1, 100];
const DEFAULT_NOISE_RATIO_BOUNDS: [number, number] = [1e-6, 1];

/**
 * Checks GP options and turns them into the settings the posterior arithmetic takes (BayesOpt
 * checks its GP options through here too).
 * @throws TypeError/RangeError as documented on {@link GaussianProcess}
 */
export function gpSettings(opts: GaussianProcessOptions, caller: string): GpSettings {
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be an object, got ${describe(opts)}`);
  if ((opts.kernel === undefined) !== (opts.noise === undefined)) {
    throw new TypeError(`${caller}: 'kernel' and 'noise' must be given together (fixed hyper-parameters) or both omitted (fitted), got only ${opts.kernel === undefined ? "'noise'" : "'kernel'"}`);
  }
  return {
    kernelType: checkOneOf('kernelType', opts.kernelType ?? 'hamming', GP_KERNELS, caller),
    fixed: opts.kernel === undefined ? null : { kernel: { ...checkKernelParams(opts.kernel, caller) }, noise: checkNumber('noise', opts.noise, { min: 0 }, caller) },
    lengthscaleBounds: checkBounds('lengthscaleBounds', opts.lengthscaleBounds ?? DEFAULT_LENGTHSCALE_BOUNDS, caller),
    noiseRatioBounds: checkBounds('noiseRatioBounds', opts.noiseRatioBounds ?? DEFAULT_NOISE_RATIO_BOUNDS, caller),
  };
}

/** [lo, hi] with 0 < lo <= hi, finite. */
function checkBounds(name: string, v: unknown, caller: string): [number, number] {
  const b = checkNumbers(name, v, { minLength: 2 }, caller);
  if (b.length !== 2 || !(b[0] > 0) || !(b[1] >= b[0])) throw new RangeError(`${caller}: '${name}' must be [lowest, highest] with 0 < lowest <= highest, got ${describe(v)}`);
  return [b[0], b[1]];
}

/**
 * Exact GP regression with a Hamming (or one-hot Matérn) kernel: `new GaussianProcess().fit(X, y).predict(Xs)`.
 * @example new GaussianProcess({ kernel: { lengthscale: 1, variance: 1 }, noise: 1e-6 }).fit([[0], [1]], [0, 1]).predict([[0]]).mean
 */
export class GaussianProcess {
  readonly kernelType: GpKernel;
  private readonly settings: GpSettings;
  private posterior: GpPosterior | null = null;

  /**
   * @param opts `{ kernelType?, kernel?, noise?, lengthscaleBounds?, noiseRatioBounds? }`
   * @throws TypeError/RangeError if kernel is given without noise (or the reverse), a value is not positive, or the kernel is unknown
   */
  constructor(opts: GaussianProcessOptions = {}) {
    this.settings = gpSettings(opts, 'GaussianProcess');
    this.kernelType = this.settings.kernelType;
  }

  /**
   * Conditions the GP on observations (and fits hyper-parameters unless they are fixed).
   * @param X n rows of categories, each of the same length d
   * @param y n finite targets
   * @throws TypeError/RangeError for ragged X, lengths that differ, or non-finite values
   */
  fit(X: number[][], y: number[]): this {
    const caller = 'GaussianProcess.fit';
    const d = checkRows('X', X, caller);
    checkNumbers('y', y, { minLength: 1 }, caller);
    if (y.length !== X.length) throw new RangeError(`${caller}: 'y' must have one target per row of 'X' (${X.length}), got ${y.length}`);
    const rows = X.map((r) => r.slice());
    this.posterior = fitPosterior(rows, d, pairwiseHamming(rows), y.slice(), this.settings);
    return this;
  }

  /** The hyper-parameters in use and their log marginal likelihood; null before `fit`. */
  fitted(): GaussianProcessFit | null {
    return this.posterior ? { ...this.posterior.fit } : null;
  }

  /**
   * Posterior mean and standard deviation of the latent function at query rows.
   * @param Xs rows of categories, d each
   * @throws Error before fit; RangeError for rows of another length
   */
  predict(Xs: number[][]): GaussianProcessPrediction {
    const caller = 'GaussianProcess.predict';
    const post = this.posterior;
    if (post === null) throw new Error(`${caller}: call fit(X, y) first`);
    const d = checkRows('Xs', Xs, caller);
    if (d !== post.d) throw new RangeError(`${caller}: rows of 'Xs' must have ${post.d} entries like the training rows, got ${d}`);
    const n = post.X.length;
    const D = new Uint8Array(Xs.length * n);
    Xs.forEach((x, c) => post.X.forEach((xi, i) => (D[c * n + i] = hammingDistance(x, xi))));
    const { mean, std } = posteriorAtDistances(post, D, Xs.length, n);
    return { mean: Array.from(mean), std: Array.from(std) };
  }
}
