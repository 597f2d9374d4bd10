/**
 * The GP posterior at EVERY point of a product grid of categories at once, for the Hamming
 * kernel. On the full grid its prior covariance is a Kronecker product of d small matrices
 * ρ·11ᵀ + (1 − ρ)·I (ρ = k(1)/k(0)), so multiplying a grid vector by it costs d passes over the
 * grid. The mean is that product applied to α spread on the grid; the variance σ² − ‖L⁻¹k(x)‖² is
 * Σ_r (row r of L⁻¹ spread on the grid, times the prior)²: n such products instead of one n²/2
 * solve per point. BayesOpt takes this path when the grid is small next to candidates × observations.
 */
import { invertLowerTransposedFlat } from '../../core/linalg';
import type { GpPosterior } from './posterior';

/**
 * Posterior mean and standard deviation at every grid point, in mixed-radix order (coordinate 0
 * most significant). Trusted arguments: a Hamming-kernel posterior whose codes lie below
 * `cardinalities`.
 */
export function gridPosterior(post: GpPosterior, cardinalities: readonly number[]): { mean: Float64Array; std: Float64Array } {
  if (post.kernelType !== 'hamming') throw new Error(`gridPosterior: needs a product kernel ('hamming'), this GP uses '${post.kernelType}'`);
  if (cardinalities.length !== post.d) throw new RangeError(`gridPosterior: 'cardinalities' must have ${post.d} entries, got ${cardinalities.length}`);
  const n = post.X.length;
  const G = cardinalities.reduce((a, b) => a * b, 1);
  const where = new Int32Array(n);
  post.X.forEach((x, i) => {
    let g = 0;
    x.forEach((v, e) => (g = g * cardinalities[e] + v));
    where[i] = g;
  });
  const prior = post.table[0];
  const rho = post.d === 0 ? 1 : post.table[1] / prior;
  const buf = new Float64Array(G);
  const multiply = (): void => kroneckerMultiply(buf, cardinalities, rho);

  for (let i = 0; i < n; i++) buf[where[i]] += post.alpha[i];
  multiply();
  const mean = new Float64Array(G);
  for (let g = 0; g < G; g++) mean[g] = post.yMean + post.yScale * prior * buf[g];

  const LinvT = invertLowerTransposedFlat(post.L, n);
  const q = new Float64Array(G);
  for (let r = 0; r < n; r++) {
    buf.fill(0);
    for (let i = 0; i <= r; i++) buf[where[i]] += LinvT[i * n + r];
    multiply();
    for (let g = 0; g < G; g++) q[g] += buf[g] * buf[g];
  }
  const std = new Float64Array(G);
  // Each spread row was multiplied by the unit-variance prior; σ² enters squared.
  for (let g = 0; g < G; g++) std[g] = post.yScale * Math.sqrt(Math.max(prior - prior * prior * q[g], 0));
  return { mean, std };
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
