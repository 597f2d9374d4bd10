/**
 * Kernels on categorical vectors (one category per coordinate, d coordinates), with the
 * lengthscale ℓ in the usual convention: larger ℓ, more correlation.
 *
 *   'hamming'  k(a, b) = σ² exp(−h / (ℓ·d)),                      h = hamming(a, b)
 *   'onehot'   k(a, b) = σ² (1 + √5 r + 5r²/3) exp(−√5 r),        r = ‖onehot(a) − onehot(b)‖ / (ℓ·√d)
 *
 * The Hamming kernel is the exponential kernel on the fraction of coordinates that differ (each
 * differing coordinate multiplies the covariance by e^(−1/(ℓd))); the second is the Matérn-5/2
 * kernel on the one-hot encoding, the usual way to feed categories to a GP for continuous inputs.
 * As ‖onehot(a) − onehot(b)‖² = 2h it too depends on h alone (an RBF on one-hot vectors would be
 * the Hamming kernel again, with 2/ℓ² in place of 1/ℓ). Either kernel is therefore fully
 * described by its d + 1 values at h = 0..d ({@link kernelByDistance}), which the GP indexes
 * instead of re-evaluating the kernel. Only the Hamming kernel is a product over coordinates,
 * which the grid posterior (./gridPosterior.ts) needs.
 */
import { checkArray, checkNumber, checkNumbers, checkOneOf, describe } from '../../core/checks';

/** Hyper-parameters of either kernel. */
export interface HammingKernelParams {
  /** ℓ > 0: how far correlation reaches; larger ℓ, more alike are cells that differ in a few coordinates. */
  lengthscale: number;
  /** σ² > 0: prior variance of the (standardised) function. */
  variance: number;
}

/** The kernels the GP offers (see the file header). */
export const GP_KERNELS = ['hamming', 'onehot'] as const;
export type GpKernel = (typeof GP_KERNELS)[number];

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
 * @example hammingKernelMatrix([[0, 0], [0, 1]], [[0, 0], [0, 1]], { lengthscale: 0.5, variance: 1 }) // [[1, e^-1], [e^-1, 1]]
 */
export function hammingKernelMatrix(X: number[][], Y: number[][], params: HammingKernelParams, kernelType: GpKernel = 'hamming'): number[][] {
  const caller = 'hammingKernelMatrix';
  const d = checkRows('X', X, caller);
  const dy = checkRows('Y', Y, caller);
  if (d !== dy) throw new RangeError(`${caller}: rows of 'X' and 'Y' must have the same length, got ${d} and ${dy}`);
  const table = kernelByDistance(checkKernelParams(params, caller), d, checkOneOf('kernelType', kernelType, GP_KERNELS, caller));
  return X.map((a) => Y.map((b) => table[hammingDistance(a, b)]));
}

/**
 * k as a function of the Hamming distance: entry h is k(a, b) for any a, b that differ in h of
 * the d coordinates. Arguments are trusted (the callers have checked them).
 * @example kernelByDistance({ lengthscale: 0.5, variance: 1 }, 2, 'hamming') // [1, e^-1, e^-2]
 */
export function kernelByDistance(p: HammingKernelParams, d: number, type: GpKernel): Float64Array {
  const t = new Float64Array(d + 1);
  for (let h = 0; h <= d; h++) {
    if (type === 'hamming') t[h] = p.variance * Math.exp(-h / (p.lengthscale * d));
    else {
      const r = Math.sqrt((2 * h) / Math.max(d, 1)) / p.lengthscale;
      t[h] = p.variance * (1 + Math.sqrt(5) * r + (5 * r * r) / 3) * Math.exp(-Math.sqrt(5) * r);
    }
  }
  return t;
}

/** `{ lengthscale, variance }`, both > 0, or a named error. */
export function checkKernelParams(p: unknown, caller: string): HammingKernelParams {
  if (typeof p !== 'object' || p === null) throw new TypeError(`${caller}: 'kernel' must be { lengthscale, variance }, got ${describe(p)}`);
  const q = p as HammingKernelParams;
  checkNumber('kernel.lengthscale', q.lengthscale, { min: 0, exclusiveMin: true }, caller);
  checkNumber('kernel.variance', q.variance, { min: 0, exclusiveMin: true }, caller);
  return q;
}

/** Rows of finite numbers, all of one length d >= 1; returns d. */
export function checkRows(name: string, X: unknown, caller: string): number {
  const rows = checkArray<unknown>(name, X, { minLength: 1 }, caller);
  const d = checkNumbers(`${name}[0]`, rows[0], { minLength: 1 }, caller).length;
  rows.forEach((r, i) => {
    const row = checkNumbers(`${name}[${i}]`, r, {}, caller);
    if (row.length !== d) throw new RangeError(`${caller}: every row of '${name}' must have ${d} entries, got ${row.length} in row ${i}`);
  });
  return d;
}

/** The n×n matrix of pairwise Hamming distances of the rows of X, row-major. */
export function pairwiseHamming(X: readonly (readonly number[])[]): Uint8Array {
  const n = X.length;
  const D = new Uint8Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) D[i * n + j] = D[j * n + i] = hammingDistance(X[i], X[j]);
  return D;
}
