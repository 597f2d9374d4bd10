/**
 * The GP's arithmetic on Hamming distances: conditioning on observations (with the
 * hyper-parameter fit) and the posterior at query points. `GaussianProcess` (./gp.ts) wraps it for
 * users; `BayesOpt` calls it directly with the distance matrix it keeps up to date, so both run
 * one implementation.
 *
 * Targets are standardised (minus their mean, divided by their standard deviation) before
 * fitting, so σ² and the noise are in units of the targets' spread; predictions are mapped back.
 * Fitted hyper-parameters maximise the log marginal likelihood: ℓ and the noise ratio
 * τ = noise/σ² over a grid, σ² in closed form for each pair (σ̂² = ỹᵀ(R + τI)⁻¹ỹ / n, R the
 * unit-variance kernel matrix).
 */
import { choleskyFlat, solveLowerFlat, solveLowerTransposedFlat } from '../../core/linalg';
import { kernelByDistance, type GpKernel, type HammingKernelParams } from './kernels';

/** What the fit chose and how well it explains the data. */
export interface GaussianProcessFit {
  lengthscale: number;
  variance: number;
  noise: number;
  /** ln p(ỹ | X, θ) of the standardised targets at the chosen θ. */
  logMarginalLikelihood: number;
}

/** How to condition: the kernel, and fixed hyper-parameters or the grids to fit them on. */
export interface GpSettings {
  kernelType: GpKernel;
  fixed: { kernel: HammingKernelParams; noise: number } | null;
  lengthscales: readonly number[];
  noiseRatios: readonly number[];
}

/** A GP conditioned on n observations: everything prediction needs. */
export interface GpPosterior {
  kernelType: GpKernel;
  /** The observations' categories (n rows of d). */
  X: number[][];
  d: number;
  yMean: number;
  yScale: number;
  /** k(h) for h = 0..d, in standardised units. */
  table: Float64Array;
  /** (K + noise·I)⁻¹ỹ. */
  alpha: Float64Array;
  /** Cholesky factor of K + noise·I, row-major n×n. */
  L: Float64Array;
  fit: GaussianProcessFit;
}

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Conditions on observations given by their pairwise Hamming distances D (row-major n×n),
 * fitting the hyper-parameters unless `settings.fixed` holds them. Arguments are trusted.
 */
export function fitPosterior(X: number[][], d: number, D: Uint8Array, y: readonly number[], settings: GpSettings): GpPosterior {
  const n = y.length;
  let yMean = 0;
  for (const v of y) yMean += v / n;
  let ss = 0;
  for (const v of y) ss += (v - yMean) ** 2;
  const sd = Math.sqrt(ss / n);
  // A constant target carries no scale: keep the unit scale rather than divide by zero.
  const yScale = sd > 0 ? sd : 1;
  const yt = y.map((v) => (v - yMean) / yScale);
  const chosen = settings.fixed ? conditionFixed(settings.fixed, settings.kernelType, d, D, yt) : conditionFitted(settings, d, D, yt);
  return { kernelType: settings.kernelType, X, d, yMean, yScale, ...chosen };
}

type Conditioned = Pick<GpPosterior, 'table' | 'alpha' | 'L' | 'fit'>;

function conditionFixed(fixed: NonNullable<GpSettings['fixed']>, kernelType: GpKernel, d: number, D: Uint8Array, yt: number[]): Conditioned {
  const n = yt.length;
  const table = kernelByDistance(fixed.kernel, d, kernelType);
  const { L, alpha, quad, logDet } = factor(table, fixed.noise, D, n, yt);
  const logMarginalLikelihood = -0.5 * quad - 0.5 * logDet - 0.5 * n * LOG_2PI;
  return { table, L, alpha, fit: { ...fixed.kernel, noise: fixed.noise, logMarginalLikelihood } };
}

function conditionFitted(settings: GpSettings, d: number, D: Uint8Array, yt: number[]): Conditioned {
  const n = yt.length;
  let best: (Conditioned & { unitL: Float64Array }) | null = null;
  for (const lengthscale of settings.lengthscales) {
    const unit = kernelByDistance({ lengthscale, variance: 1 }, d, settings.kernelType);
    for (const tau of settings.noiseRatios) {
      const { L, alpha, quad, logDet } = factor(unit, tau, D, n, yt);
      // With K = σ²(R + τI): ln p = −n/2 ln σ² − ½ ln det(R+τI) − quad/(2σ²) − n/2 ln 2π, maximal at σ² = quad/n.
      const variance = Math.max(quad / n, 1e-12);
      const lml = -0.5 * n * Math.log(variance) - 0.5 * logDet - 0.5 * n - 0.5 * n * LOG_2PI;
      if (best === null || lml > best.fit.logMarginalLikelihood) {
        best = {
          table: unit.map((v) => v * variance),
          unitL: L,
          L,
          alpha: alpha.map((a) => a / variance),
          fit: { lengthscale, variance, noise: tau * variance, logMarginalLikelihood: lml },
        };
      }
    }
  }
  const b = best as NonNullable<typeof best>;
  // L was computed for R + τI; scaling by σ makes it the factor of K + noise·I = σ²(R + τI).
  const sigma = Math.sqrt(b.fit.variance);
  return { table: b.table, alpha: b.alpha, fit: b.fit, L: b.unitL.map((v) => v * sigma) };
}

/** Cholesky factor of table[D] + shift·I (core's factorisation, with its jitter), α = (·)⁻¹y, yᵀα and ln det. */
function factor(table: Float64Array, shift: number, D: Uint8Array, n: number, y: readonly number[]): { L: Float64Array; alpha: Float64Array; quad: number; logDet: number } {
  const A = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) A[k] = table[D[k]];
  for (let i = 0; i < n; i++) A[i * n + i] += shift;
  const { L } = choleskyFlat(A, n);
  const alpha = solveLowerTransposedFlat(L, n, solveLowerFlat(L, n, y));
  let quad = 0;
  let logDet = 0;
  for (let i = 0; i < n; i++) {
    quad += y[i] * alpha[i];
    logDet += 2 * Math.log(L[i * n + i]);
  }
  return { L, alpha, quad, logDet };
}

/**
 * Posterior mean and standard deviation at m query points, query c's distance to observation i
 * being D[c·stride + i]; queries with skip[c] = 1 are left at 0. One forward substitution per
 * query (n²/2 multiply-adds), no allocation in the loop.
 */
export function posteriorAtDistances(post: GpPosterior, D: Uint8Array, m: number, stride: number, skip?: Uint8Array): { mean: Float64Array; std: Float64Array } {
  const n = post.X.length;
  const { table, alpha, L, yMean, yScale } = post;
  const prior = table[0];
  const mean = new Float64Array(m);
  const std = new Float64Array(m);
  const v = new Float64Array(n);
  for (let c = 0; c < m; c++) {
    if (skip !== undefined && skip[c] === 1) continue;
    const base = c * stride;
    let mu = 0;
    let q = 0;
    for (let i = 0; i < n; i++) {
      const k = table[D[base + i]];
      mu += k * alpha[i];
      let acc = k;
      const row = i * n;
      for (let j = 0; j < i; j++) acc -= L[row + j] * v[j];
      const vi = acc / L[row + i];
      v[i] = vi;
      q += vi * vi;
    }
    mean[c] = yMean + yScale * mu;
    std[c] = yScale * Math.sqrt(Math.max(prior - q, 0));
  }
  return { mean, std };
}
