/**
 * The GP's arithmetic on Hamming distances: conditioning on observations (with the
 * hyper-parameter fit) and the posterior at query points. `GaussianProcess` (./gp.ts) wraps it for
 * users; `BayesOpt` calls it directly with the distance matrix it keeps up to date, so both run
 * one implementation.
 *
 * Targets are standardised (minus their mean, divided by their standard deviation) before
 * fitting, so σ² and the noise are in units of the targets' spread; predictions are mapped back.
 * Fitted hyper-parameters maximise the log marginal likelihood. σ² has a closed form for each
 * (ℓ, τ), τ = noise/σ² the noise ratio: σ̂² = ỹᵀ(R + τI)⁻¹ỹ / n, R the unit-variance kernel
 * matrix. The profile likelihood over (log ℓ, log τ) is then maximised by Nelder–Mead inside the
 * bounds, started from the best point of a coarse log grid (or from the previous fit, when BayesOpt
 * refits after one more observation); the fit says when the optimum sits on a bound.
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
  /**
   * 'none', or which bounds the fitted values sit on (e.g. 'noise ratio at its lower bound 1e-6'):
   * there the likelihood still rises beyond the bound, so the value is a limit, not an estimate.
   * 'fixed' when the hyper-parameters were given.
   */
  atBound: string;
}

/** How to condition: the kernel, and fixed hyper-parameters or the bounds to fit them in. */
export interface GpSettings {
  kernelType: GpKernel;
  fixed: { kernel: HammingKernelParams; noise: number } | null;
  lengthscaleBounds: readonly [number, number];
  noiseRatioBounds: readonly [number, number];
  /** Where to start the search (a previous fit); the coarse grid otherwise. */
  start?: { lengthscale: number; noiseRatio: number };
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
  return { table, L, alpha, fit: { ...fixed.kernel, noise: fixed.noise, logMarginalLikelihood, atBound: 'fixed' } };
}

function conditionFitted(settings: GpSettings, d: number, D: Uint8Array, yt: number[]): Conditioned {
  const n = yt.length;
  const [lLo, lHi] = settings.lengthscaleBounds.map(Math.log);
  const [tLo, tHi] = settings.noiseRatioBounds.map(Math.log);
  const clamp = (x: number[]): number[] => [Math.min(Math.max(x[0], lLo), lHi), Math.min(Math.max(x[1], tLo), tHi)];
  /** The profile log likelihood at (log ℓ, log τ), σ² in closed form. */
  const profile = (x: number[]) => {
    const [lengthscale, tau] = [Math.exp(x[0]), Math.exp(x[1])];
    const unit = kernelByDistance({ lengthscale, variance: 1 }, d, settings.kernelType);
    const { L, alpha, quad, logDet } = factor(unit, tau, D, n, yt);
    // With K = σ²(R + τI): ln p = −n/2 ln σ² − ½ ln det(R+τI) − quad/(2σ²) − n/2 ln 2π, maximal at σ² = quad/n.
    const variance = Math.max(quad / n, 1e-12);
    const lml = -0.5 * n * Math.log(variance) - 0.5 * logDet - 0.5 * n - 0.5 * n * LOG_2PI;
    return { lml, unit, L, alpha, variance, lengthscale, tau };
  };
  const start = settings.start ? clamp([Math.log(settings.start.lengthscale), Math.log(settings.start.noiseRatio)]) : gridStart(lLo, lHi, tLo, tHi, (x) => profile(x).lml);
  // A warm start (BayesOpt's refit after one more observation) is near the optimum: a short search.
  const x = maximizeNelderMead((p) => profile(clamp(p)).lml, start, settings.start ? 0.1 : 0.5, settings.start ? 24 : 200);
  const best = profile(clamp(x));
  const near = (v: number, bound: number) => Math.abs(v - bound) < 1e-3;
  const [u, v] = clamp(x);
  const notes: string[] = [];
  if (near(u, lLo)) notes.push(`lengthscale at its lower bound ${settings.lengthscaleBounds[0]}`);
  if (near(u, lHi)) notes.push(`lengthscale at its upper bound ${settings.lengthscaleBounds[1]}`);
  if (near(v, tLo)) notes.push(`noise ratio at its lower bound ${settings.noiseRatioBounds[0]}`);
  if (near(v, tHi)) notes.push(`noise ratio at its upper bound ${settings.noiseRatioBounds[1]}`);
  const { variance, lengthscale, tau } = best;
  // L was computed for R + τI; scaling by σ makes it the factor of K + noise·I = σ²(R + τI).
  const sigma = Math.sqrt(variance);
  return {
    table: best.unit.map((k) => k * variance),
    alpha: best.alpha.map((a) => a / variance),
    L: best.L.map((l) => l * sigma),
    fit: { lengthscale, variance, noise: tau * variance, logMarginalLikelihood: best.lml, atBound: notes.length > 0 ? notes.join(', ') : 'none' },
  };
}

/** The best point of a coarse grid over the box (9 lengthscales × 4 noise ratios, log-spaced). */
function gridStart(lLo: number, lHi: number, tLo: number, tHi: number, f: (x: number[]) => number): number[] {
  let best = [lLo, tLo];
  let bestValue = -Infinity;
  for (let i = 0; i < 9; i++) {
    for (let j = 0; j < 4; j++) {
      const x = [lLo + ((lHi - lLo) * i) / 8, tLo + ((tHi - tLo) * j) / 3];
      const value = f(x);
      if (value > bestValue) [best, bestValue] = [x, value];
    }
  }
  return best;
}

/**
 * Nelder–Mead maximisation in two dimensions (reflection 1, expansion 2, contraction ½, shrink ½),
 * from `start` with an initial simplex of side `step`; stops when the simplex is smaller than 1e-3
 * (0.1% in ℓ and τ) and its values agree to 1e-7, or after `budget` evaluations. The caller clamps to its box.
 */
function maximizeNelderMead(f: (x: number[]) => number, start: number[], step: number, budget: number): number[] {
  let simplex = [start, [start[0] + step, start[1]], [start[0], start[1] + step]].map((x) => ({ x, v: f(x) }));
  let evaluations = 3;
  const toward = (a: number[], b: number[], t: number) => [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
  while (evaluations < budget) {
    simplex.sort((p, q) => q.v - p.v);
    const [best, good, worst] = simplex;
    const size = Math.max(Math.hypot(good.x[0] - best.x[0], good.x[1] - best.x[1]), Math.hypot(worst.x[0] - best.x[0], worst.x[1] - best.x[1]));
    if (size < 1e-3 && best.v - worst.v < 1e-7 * (1 + Math.abs(best.v))) break;
    const centre = toward(best.x, good.x, 0.5);
    const reflected = toward(worst.x, centre, 2);
    const r = f(reflected);
    evaluations++;
    if (r > best.v) {
      const expanded = toward(worst.x, centre, 3);
      const e = f(expanded);
      evaluations++;
      simplex[2] = e > r ? { x: expanded, v: e } : { x: reflected, v: r };
    } else if (r > good.v) {
      simplex[2] = { x: reflected, v: r };
    } else {
      const contracted = r > worst.v ? toward(worst.x, centre, 1.5) : toward(worst.x, centre, 0.5);
      const c = f(contracted);
      evaluations++;
      if (c > Math.max(r, worst.v)) simplex[2] = { x: contracted, v: c };
      else {
        simplex = simplex.map((p, i) => (i === 0 ? p : { x: toward(best.x, p.x, 0.5), v: f(toward(best.x, p.x, 0.5)) }));
        evaluations += 2;
      }
    }
  }
  simplex.sort((p, q) => q.v - p.v);
  return simplex[0].x;
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
