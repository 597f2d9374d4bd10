/**
 * A Gaussian process on categorical vectors with one of two kernels:
 *
 *   'hamming'  k(a, b) = σ² exp(−ℓ · h / d),                      h = hamming(a, b)
 *   'onehot'   k(a, b) = σ² (1 + √5 r + 5r²/3) exp(−√5 r),        r = ℓ · ‖onehot(a) − onehot(b)‖ / √d
 *
 * d the number of coordinates (6 edges for NAS-Bench-201). The second is the Matérn-5/2 kernel
 * on the one-hot encoding, the usual way to feed categories to a GP for continuous inputs; as
 * ‖onehot(a) − onehot(b)‖² = 2h it too depends on h alone (an RBF on one-hot vectors would be the
 * Hamming kernel again, exp(−ℓ²h/d)). Either kernel is fully described by d + 1 numbers, so the fast
 * paths below index a table with precomputed distances instead of recomputing the kernel. Only the
 * Hamming kernel is a product over coordinates, which `predictGrid` needs.
 *
 * Targets are standardised (minus their mean, divided by their standard deviation) before
 * fitting, so σ² and the noise are in units of the targets' spread; predictions are mapped back.
 * Hyper-parameters are fixed when given, otherwise chosen by maximising the log marginal
 * likelihood: ℓ and the noise ratio τ = noise/σ² over a grid, σ² in closed form for each pair
 * (σ̂² = ỹᵀ(R + τI)⁻¹ỹ / n, R the unit-variance kernel matrix).
 */
import { checkArray, checkNumber, checkNumbers, checkOneOf, describe } from '../../core/checks';
import { cholesky } from '../../core/linalg';

/** Hyper-parameters of the Hamming-kernel GP. */
export interface HammingKernelParams {
  /** ℓ > 0: how fast correlation decays with each differing coordinate. */
  lengthscale: number;
  /** σ² > 0: prior variance of the (standardised) function. */
  variance: number;
}

/** The kernels the GP offers (see the file header). */
export const GP_KERNELS = ['hamming', 'onehot'] as const;
export type GpKernel = (typeof GP_KERNELS)[number];

/** Options of {@link GaussianProcess}. */
export interface GaussianProcessOptions {
  /** 'hamming' (default) or 'onehot' (Matérn 5/2 on the one-hot encoding). */
  kernelType?: GpKernel;
  /** Fixed kernel hyper-parameters; omit to fit ℓ, σ² (and the noise) by marginal likelihood. */
  kernel?: HammingKernelParams;
  /** Observation noise variance (standardised units); required with `kernel`, fitted otherwise. */
  noise?: number;
  /** Grid of ℓ tried when fitting (default 0.25, 0.5, 1, 2, 4, 8). */
  lengthscales?: number[];
  /** Grid of noise ratios τ = noise/σ² tried when fitting (default 1e-4, 1e-2: table look-ups are nearly noise-free). */
  noiseRatios?: number[];
}

/** What the fit chose and how well it explains the data. */
export interface GaussianProcessFit {
  lengthscale: number;
  variance: number;
  noise: number;
  /** ln p(ỹ | X, θ) of the standardised targets at the chosen θ. */
  logMarginalLikelihood: number;
}

/** Posterior of the latent function at query points (noise-free), in the targets' units. */
export interface GaussianProcessPrediction {
  mean: number[];
  std: number[];
}

const DEFAULT_LENGTHSCALES = [0.25, 0.5, 1, 2, 4, 8];
const DEFAULT_NOISE_RATIOS = [1e-4, 1e-2];
const LOG_2PI = Math.log(2 * Math.PI);

/**
 * The number of coordinates where two categorical vectors differ.
 * @throws RangeError if the lengths differ
 * @example hammingDistance([0, 1, 2], [0, 2, 2]) // 1
 */
export function hammingDistance(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new RangeError(`hammingDistance: 'a' and 'b' must have the same length, got ${a.length} and ${b.length}`);
  let h = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) h++;
  return h;
}

/**
 * The kernel matrix K[i][j] = k(X[i], Y[j]) of either kernel (the Hamming kernel by default).
 * @param X rows of categories (d coordinates each)
 * @param Y rows of categories
 * @param params `{ lengthscale, variance }`
 * @param kernelType 'hamming' (default) or 'onehot'
 * @throws TypeError/RangeError for non-positive parameters, rows of unequal length or an unknown kernel
 * @example hammingKernelMatrix([[0, 0], [0, 1]], [[0, 0], [0, 1]], { lengthscale: 2, variance: 1 }) // [[1, e^-1], [e^-1, 1]]
 */
export function hammingKernelMatrix(X: number[][], Y: number[][], params: HammingKernelParams, kernelType: GpKernel = 'hamming'): number[][] {
  const caller = 'hammingKernelMatrix';
  const d = checkRows('X', X, caller);
  const dy = checkRows('Y', Y, caller);
  if (d !== dy) throw new RangeError(`${caller}: rows of 'X' and 'Y' must have the same length, got ${d} and ${dy}`);
  const table = kernelTable(checkParams(params, caller), d, checkOneOf('kernelType', kernelType, GP_KERNELS, caller));
  return X.map((a) => Y.map((b) => table[hammingDistance(a, b)]));
}

function checkParams(p: unknown, caller: string): HammingKernelParams {
  if (typeof p !== 'object' || p === null) throw new TypeError(`${caller}: 'kernel' must be { lengthscale, variance }, got ${describe(p)}`);
  const q = p as HammingKernelParams;
  checkNumber('kernel.lengthscale', q.lengthscale, { min: 0, exclusiveMin: true }, caller);
  checkNumber('kernel.variance', q.variance, { min: 0, exclusiveMin: true }, caller);
  return q;
}

function checkRows(name: string, X: unknown, caller: string): number {
  const rows = checkArray<unknown>(name, X, { minLength: 1 }, caller);
  const d = checkNumbers(`${name}[0]`, rows[0], { minLength: 1 }, caller).length;
  rows.forEach((r, i) => {
    const row = checkNumbers(`${name}[${i}]`, r, {}, caller);
    if (row.length !== d) throw new RangeError(`${caller}: every row of '${name}' must have ${d} entries, got ${row.length} in row ${i}`);
  });
  return d;
}

/** k as a function of the Hamming distance h = 0..d. */
function kernelTable(p: HammingKernelParams, d: number, type: GpKernel = 'hamming'): Float64Array {
  const t = new Float64Array(d + 1);
  for (let h = 0; h <= d; h++) {
    if (type === 'hamming') t[h] = p.variance * Math.exp((-p.lengthscale * h) / d);
    else {
      const r = p.lengthscale * Math.sqrt((2 * h) / Math.max(d, 1));
      t[h] = p.variance * (1 + Math.sqrt(5) * r + (5 * r * r) / 3) * Math.exp(-Math.sqrt(5) * r);
    }
  }
  return t;
}

/**
 * Exact GP regression with a Hamming kernel: `new GaussianProcess().fit(X, y).predict(Xs)`.
 * @example new GaussianProcess({ kernel: { lengthscale: 1, variance: 1 }, noise: 1e-6 }).fit([[0], [1]], [0, 1]).predict([[0]]).mean
 */
export class GaussianProcess {
  readonly kernelType: GpKernel;
  private readonly fixed: { kernel: HammingKernelParams; noise: number } | null;
  private readonly lengthscales: number[];
  private readonly noiseRatios: number[];
  private state: {
    X: number[][];
    d: number;
    yMean: number;
    yScale: number;
    table: Float64Array;
    alpha: Float64Array;
    /** Cholesky factor of K + noise·I, row-major n×n. */
    L: Float64Array;
    fit: GaussianProcessFit;
  } | null = null;

  /**
   * @param opts `{ kernel?, noise?, lengthscales?, noiseRatios? }`
   * @throws TypeError/RangeError if kernel is given without noise (or the reverse), or a value is not positive
   */
  constructor(opts: GaussianProcessOptions = {}) {
    const caller = 'GaussianProcess';
    if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be an object, got ${describe(opts)}`);
    if ((opts.kernel === undefined) !== (opts.noise === undefined)) {
      throw new TypeError(`${caller}: 'kernel' and 'noise' must be given together (fixed hyper-parameters) or both omitted (fitted), got only ${opts.kernel === undefined ? "'noise'" : "'kernel'"}`);
    }
    this.kernelType = checkOneOf('kernelType', opts.kernelType ?? 'hamming', GP_KERNELS, caller);
    this.fixed = opts.kernel === undefined ? null : { kernel: { ...checkParams(opts.kernel, caller) }, noise: checkNumber('noise', opts.noise, { min: 0 }, caller) };
    this.lengthscales = checkPositiveList('lengthscales', opts.lengthscales ?? DEFAULT_LENGTHSCALES, caller);
    this.noiseRatios = checkPositiveList('noiseRatios', opts.noiseRatios ?? DEFAULT_NOISE_RATIOS, caller);
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
    const n = X.length;
    const D = new Uint8Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) D[i * n + j] = D[j * n + i] = hammingDistance(X[i], X[j]);
    this.fitDistances(X.map((r) => r.slice()), d, D, y);
    return this;
  }

  /**
   * The fast path of `fit`: observations given by their pairwise Hamming distances (row-major n×n).
   * @internal
   */
  fitDistances(X: number[][], d: number, D: Uint8Array, y: readonly number[]): void {
    const n = y.length;
    let yMean = 0;
    for (const v of y) yMean += v / n;
    let ss = 0;
    for (const v of y) ss += (v - yMean) ** 2;
    const sd = Math.sqrt(ss / n);
    // A constant target carries no scale: keep the unit scale rather than divide by zero.
    const yScale = sd > 0 ? sd : 1;
    const yt = y.map((v) => (v - yMean) / yScale);

    let chosen: { table: Float64Array; noise: number; L: Float64Array; alpha: Float64Array; fit: GaussianProcessFit } | null = null;
    if (this.fixed) {
      const table = kernelTable(this.fixed.kernel, d, this.kernelType);
      const { L, alpha, lml } = factor(table, this.fixed.noise, D, n, yt);
      chosen = { table, noise: this.fixed.noise, L, alpha, fit: { ...this.fixed.kernel, noise: this.fixed.noise, logMarginalLikelihood: lml } };
    } else {
      for (const lengthscale of this.lengthscales) {
        const unit = kernelTable({ lengthscale, variance: 1 }, d, this.kernelType);
        for (const tau of this.noiseRatios) {
          const { L, alpha, quad, logDet } = factorParts(unit, tau, D, n, yt);
          // With K = σ²(R + τI): ln p = −n/2 ln σ² − ½ ln det(R+τI) − quad/(2σ²) − n/2 ln 2π, maximal at σ² = quad/n.
          const variance = Math.max(quad / n, 1e-12);
          const lml = -0.5 * n * Math.log(variance) - 0.5 * logDet - 0.5 * n - 0.5 * n * LOG_2PI;
          if (chosen === null || lml > chosen.fit.logMarginalLikelihood) {
            const table = unit.map((v) => v * variance);
            chosen = { table, noise: tau * variance, L, alpha: alpha.map((a) => a / variance), fit: { lengthscale, variance, noise: tau * variance, logMarginalLikelihood: lml } };
          }
        }
      }
    }
    const c = chosen as NonNullable<typeof chosen>;
    // L was computed for R + τI; scaling by σ makes it the factor of K + noise·I = σ²(R + τI).
    const scale = this.fixed ? 1 : Math.sqrt(c.fit.variance);
    const L = c.L.map((v) => v * scale);
    this.state = { X, d, yMean, yScale, table: c.table, alpha: c.alpha, L, fit: c.fit };
  }

  /** The hyper-parameters in use and their log marginal likelihood; null before `fit`. */
  fitted(): GaussianProcessFit | null {
    return this.state ? { ...this.state.fit } : null;
  }

  /**
   * Posterior mean and standard deviation of the latent function at query rows.
   * @param Xs rows of categories, d each
   * @throws Error before fit; RangeError for rows of another length
   */
  predict(Xs: number[][]): GaussianProcessPrediction {
    const caller = 'GaussianProcess.predict';
    const s = this.requireFit(caller);
    const d = checkRows('Xs', Xs, caller);
    if (d !== s.d) throw new RangeError(`${caller}: rows of 'Xs' must have ${s.d} entries like the training rows, got ${d}`);
    const n = s.X.length;
    const D = new Uint8Array(Xs.length * n);
    Xs.forEach((x, c) => s.X.forEach((xi, i) => (D[c * n + i] = hammingDistance(x, xi))));
    const { mean, std } = this.predictDistances(D, Xs.length, n);
    return { mean: Array.from(mean), std: Array.from(std) };
  }

  /**
   * The fast path of `predict`: query c's distance to training row i is D[c·stride + i].
   * One forward substitution per query (n²/2 multiply-adds), no allocation in the loop.
   * @internal
   */
  predictDistances(D: Uint8Array, m: number, stride: number, skip?: Uint8Array): { mean: Float64Array; std: Float64Array } {
    const s = this.requireFit('GaussianProcess.predict');
    const n = s.X.length;
    const { table, alpha, L, yMean, yScale } = s;
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

  /**
   * Posterior mean and standard deviation at EVERY point of a product grid of categories (the
   * points in mixed-radix order, coordinate 0 most significant), exploiting that the Hamming
   * kernel is a product over coordinates: on the full grid the prior covariance is a Kronecker
   * product of d small matrices ρ·11ᵀ + (1 − ρ)·I (ρ = e^(−ℓ/d)), so multiplying a grid vector by it
   * costs d passes over the grid. The variance σ² − ‖L⁻¹k(x)‖² is then Σ_r (row r of L⁻¹ spread on
   * the grid, times the prior)², n such products instead of one n²/2 solve per point.
   * @param cardinalities number of categories of each coordinate (training codes must be below them)
   * @internal
   */
  predictGrid(cardinalities: readonly number[]): { mean: Float64Array; std: Float64Array } {
    const s = this.requireFit('GaussianProcess.predictGrid');
    if (this.kernelType !== 'hamming') throw new Error(`GaussianProcess.predictGrid: needs a product kernel ('hamming'), this GP uses ${describe(this.kernelType)}`);
    const n = s.X.length;
    const d = s.d;
    if (cardinalities.length !== d) throw new RangeError(`GaussianProcess.predictGrid: 'cardinalities' must have ${d} entries, got ${cardinalities.length}`);
    const G = cardinalities.reduce((a, b) => a * b, 1);
    const where = new Int32Array(n);
    s.X.forEach((x, i) => {
      let g = 0;
      x.forEach((v, e) => (g = g * cardinalities[e] + v));
      where[i] = g;
    });
    const prior = s.table[0];
    const rho = d === 0 ? 1 : s.table[1] / prior;
    const buf = new Float64Array(G);
    const multiply = (): void => kroneckerMultiply(buf, cardinalities, rho);

    for (let i = 0; i < n; i++) buf[where[i]] += s.alpha[i];
    multiply();
    const mean = new Float64Array(G);
    for (let g = 0; g < G; g++) mean[g] = s.yMean + s.yScale * prior * buf[g];

    const LinvT = invertLowerTransposed(s.L, n);
    const q = new Float64Array(G);
    for (let r = 0; r < n; r++) {
      buf.fill(0);
      for (let i = 0; i <= r; i++) buf[where[i]] += LinvT[i * n + r];
      multiply();
      for (let g = 0; g < G; g++) q[g] += buf[g] * buf[g];
    }
    const std = new Float64Array(G);
    // Each spread row was multiplied by the unit-variance prior; σ² enters squared.
    for (let g = 0; g < G; g++) std[g] = s.yScale * Math.sqrt(Math.max(prior - prior * prior * q[g], 0));
    return { mean, std };
  }

  private requireFit(caller: string): NonNullable<GaussianProcess['state']> {
    if (this.state === null) throw new Error(`${caller}: call fit(X, y) first`);
    return this.state;
  }
}

function checkPositiveList(name: string, v: unknown, caller: string): number[] {
  const list = checkNumbers(name, v, { minLength: 1 }, caller);
  list.forEach((x, i) => checkNumber(`${name}[${i}]`, x, { min: 0, exclusiveMin: true }, caller));
  return list.slice();
}

/**
 * Cholesky factor (row-major, flat) of table[D] + shift·I, α = (·)⁻¹y, yᵀα and ln det. The
 * hyper-parameter grid factorises many such matrices, so the common case runs on a flat typed
 * array; a matrix that is not numerically positive definite (duplicate rows, tiny noise) goes to
 * core's `cholesky`, which adds the smallest jitter that works.
 */
function factorParts(table: Float64Array, shift: number, D: Uint8Array, n: number, y: readonly number[]): { L: Float64Array; alpha: Float64Array; quad: number; logDet: number } {
  const L = new Float64Array(n * n);
  let ok = true;
  for (let j = 0; j < n && ok; j++) {
    const rj = j * n;
    let dsum = table[D[rj + j]] + shift;
    for (let k = 0; k < j; k++) dsum -= L[rj + k] * L[rj + k];
    if (!(dsum > 0)) {
      ok = false;
      break;
    }
    const ljj = Math.sqrt(dsum);
    L[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      L[ri + j] = (table[D[ri + j]] - dot(L, ri, rj, j)) / ljj;
    }
  }
  if (!ok) {
    const K: number[][] = [];
    for (let i = 0; i < n; i++) {
      const row = new Array<number>(n);
      for (let j = 0; j < n; j++) row[j] = table[D[i * n + j]];
      row[i] += shift;
      K.push(row);
    }
    const { L: Lj } = cholesky(K);
    L.fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) L[i * n + j] = Lj[i][j];
  }
  // Forward then backward substitution: α = L⁻ᵀ L⁻¹ y.
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let acc = y[i];
    for (let k = 0; k < i; k++) acc -= L[i * n + k] * z[k];
    z[i] = acc / L[i * n + i];
  }
  const alpha = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let acc = z[i];
    for (let k = i + 1; k < n; k++) acc -= L[k * n + i] * alpha[k];
    alpha[i] = acc / L[i * n + i];
  }
  let quad = 0;
  let logDet = 0;
  for (let i = 0; i < n; i++) {
    quad += y[i] * alpha[i];
    logDet += 2 * Math.log(L[i * n + i]);
  }
  return { L, alpha, quad, logDet };
}

function factor(table: Float64Array, noise: number, D: Uint8Array, n: number, y: readonly number[]): { L: Float64Array; alpha: Float64Array; lml: number } {
  const { L, alpha, quad, logDet } = factorParts(table, noise, D, n, y);
  return { L, alpha, lml: -0.5 * quad - 0.5 * logDet - 0.5 * n * LOG_2PI };
}

/** v ← (⊗_e (ρ11ᵀ + (1 − ρ)I))·v in place, one pass per coordinate (the caller scales by σ²). */
function kroneckerMultiply(v: Float64Array, radix: readonly number[], rho: number): void {
  const G = v.length;
  const keep = 1 - rho;
  let stride = G;
  for (let e = 0; e < radix.length; e++) {
    const r = radix[e];
    const block = stride;
    stride = block / r;
    for (let outer = 0; outer < G; outer += block) {
      for (let inner = outer; inner < outer + stride; inner++) {
        let sum = 0;
        for (let j = 0, at = inner; j < r; j++, at += stride) sum += v[at];
        const shared = rho * sum;
        for (let j = 0, at = inner; j < r; j++, at += stride) v[at] = shared + keep * v[at];
      }
    }
  }
}

/** Σ_{k<len} a[i+k]·a[j+k], unrolled by four (the inner loop of the factorisations). */
function dot(a: Float64Array, i: number, j: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < len; k += 4) {
    s0 += a[i + k] * a[j + k];
    s1 += a[i + k + 1] * a[j + k + 1];
    s2 += a[i + k + 2] * a[j + k + 2];
    s3 += a[i + k + 3] * a[j + k + 3];
  }
  for (; k < len; k++) s0 += a[i + k] * a[j + k];
  return s0 + s1 + s2 + s3;
}

/**
 * L⁻¹ of a row-major lower-triangular n×n matrix, returned TRANSPOSED (row c holds column c of
 * L⁻¹), so that the substitution reads both operands contiguously.
 */
function invertLowerTransposed(L: Float64Array, n: number): Float64Array {
  const invT = new Float64Array(n * n);
  for (let col = 0; col < n; col++) {
    const rc = col * n;
    invT[rc + col] = 1 / L[rc + col];
    for (let i = col + 1; i < n; i++) {
      // (L⁻¹)[i][col] = −Σ_{col<=k<i} L[i][k]·(L⁻¹)[k][col] / L[i][i]
      invT[rc + i] = -dot2(L, i * n + col, invT, rc + col, i - col) / L[i * n + i];
    }
  }
  return invT;
}

function dot2(a: Float64Array, i: number, b: Float64Array, j: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let k = 0;
  for (; k + 1 < len; k += 2) {
    s0 += a[i + k] * b[j + k];
    s1 += a[i + k + 1] * b[j + k + 1];
  }
  if (k < len) s0 += a[i + k] * b[j + k];
  return s0 + s1;
}
