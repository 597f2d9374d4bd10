import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cholesky } from '../../src/core/linalg';
import { createRng } from '../../src/core/rng';
import { confidenceBound, eiAcquisition, expectedImprovement, ucbAcquisition } from '../../src/strategies/bayesopt/acquisition';
import { GaussianProcess, gpSettings } from '../../src/strategies/bayesopt/gp';
import { gridPosterior } from '../../src/strategies/bayesopt/gridPosterior';
import { hammingDistance, hammingKernelMatrix, pairwiseHamming } from '../../src/strategies/bayesopt/kernels';
import { fitPosterior } from '../../src/strategies/bayesopt/posterior';

/** Inverse by Gauss-Jordan with partial pivoting: independent of the Cholesky code under test. */
function inverse(A: number[][]): number[][] {
  const n = A.length;
  const M = A.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    const piv = M[c][c];
    for (let j = 0; j < 2 * n; j++) M[c][j] /= piv;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r][c];
      for (let j = 0; j < 2 * n; j++) M[r][j] -= f * M[c][j];
    }
  }
  return M.map((row) => row.slice(n));
}

/** Log-determinant by the same elimination (product of pivots). */
function logDet(A: number[][]): number {
  const M = A.map((r) => r.slice());
  const n = M.length;
  let s = 0;
  for (let c = 0; c < n; c++) {
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let j = c; j < n; j++) M[r][j] -= f * M[c][j];
    }
    s += Math.log(M[c][c]);
  }
  return s;
}

/** One-hot vectors of categorical rows (cats categories per coordinate), written out. */
function oneHot(x: number[], cats = 5): number[] {
  return x.flatMap((v) => Array.from({ length: cats }, (_, c) => (c === v ? 1 : 0)));
}

/** Matérn 5/2 on the explicit one-hot encoding, scaled as the library documents: r = ‖Δ‖/(ℓ√d). */
function matern52OneHot(a: number[], b: number[], ell: number, s2: number): number {
  const oa = oneHot(a);
  const ob = oneHot(b);
  const r = Math.sqrt(oa.reduce((s, v, i) => s + (v - ob[i]) ** 2, 0)) / (ell * Math.sqrt(a.length));
  return s2 * (1 + Math.sqrt(5) * r + (5 / 3) * r * r) * Math.exp(-Math.sqrt(5) * r);
}

/** The textbook dense GP on standardised targets, written out directly. */
function denseGp(X: number[][], y: number[], Xs: number[][], ell: number, s2: number, noise: number, kind: 'hamming' | 'onehot' = 'hamming') {
  const n = y.length;
  const d = X[0].length;
  const k = (a: number[], b: number[]) => (kind === 'onehot' ? matern52OneHot(a, b, ell, s2) : s2 * Math.exp(-hammingDistance(a, b) / (ell * d)));
  const m = y.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(y.reduce((a, b) => a + (b - m) ** 2, 0) / n);
  const yt = y.map((v) => (v - m) / sd);
  const K = X.map((a, i) => X.map((b, j) => k(a, b) + (i === j ? noise : 0)));
  const Kinv = inverse(K);
  const alpha = Kinv.map((row) => row.reduce((s, v, j) => s + v * yt[j], 0));
  const quad = yt.reduce((s, v, i) => s + v * alpha[i], 0);
  const lml = -0.5 * quad - 0.5 * logDet(K) - 0.5 * n * Math.log(2 * Math.PI);
  const mean: number[] = [];
  const std: number[] = [];
  for (const x of Xs) {
    const ks = X.map((b) => k(x, b));
    const mu = ks.reduce((s, v, i) => s + v * alpha[i], 0);
    let q = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) q += ks[i] * Kinv[i][j] * ks[j];
    mean.push(m + sd * mu);
    std.push(sd * Math.sqrt(Math.max(s2 - q, 0)));
  }
  return { mean, std, lml };
}

function randomCells(seed: number, n: number, d = 6, cats = 5): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.int(0, cats)));
}

describe('hamming kernel', () => {
  it('has the hand-computed values', () => {
    expect(hammingDistance([0, 1, 2], [0, 2, 2])).toBe(1);
    // d = 2, ℓ = 0.5: each differing coordinate multiplies the covariance by e^(−1/(ℓd)) = e^-1.
    const K = hammingKernelMatrix([[0, 0], [0, 1], [1, 0]], [[0, 0], [1, 1]], { lengthscale: 0.5, variance: 3 });
    expect(K[0][0]).toBe(3);
    expect(K[0][1]).toBeCloseTo(3 * Math.exp(-2), 14);
    expect(K[1][0]).toBeCloseTo(3 * Math.exp(-1), 14);
  });
  it('is positive semi-definite on random sets (with repeated rows): Cholesky succeeds with jitter 1e-10', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 2, max: 40 }), fc.double({ min: 0.01, max: 20, noNaN: true }), (seed, n, ell) => {
        const X = randomCells(seed, n, 6, 3); // 3 categories: many repeats and near-repeats
        X.push(X[0].slice()); // an exact duplicate makes K singular: only semi-definite
        const K = hammingKernelMatrix(X, X, { lengthscale: ell, variance: 1 }).map((row, i) => row.map((v, j) => v + (i === j ? 1e-10 : 0)));
        expect(() => cholesky(K, { jitter: false })).not.toThrow();
      }),
      { numRuns: 60 },
    );
  });
  it('the one-hot Matérn kernel is positive semi-definite too, and equals its definition on explicit one-hot vectors', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 2, max: 40 }), fc.double({ min: 0.01, max: 20, noNaN: true }), (seed, n, ell) => {
        const X = randomCells(seed, n, 6, 3);
        X.push(X[0].slice());
        const K = hammingKernelMatrix(X, X, { lengthscale: ell, variance: 1 }, 'onehot');
        K.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - matern52OneHot(X[i], X[j], ell, 1))).toBeLessThan(1e-12)));
        expect(() => cholesky(K.map((row, i) => row.map((v, j) => v + (i === j ? 1e-10 : 0))), { jitter: false })).not.toThrow();
      }),
      { numRuns: 40 },
    );
  });
  it('the same check rejects a matrix that is not positive semi-definite', () => {
    expect(() => cholesky([[1 + 1e-10, 2], [2, 1 + 1e-10]], { jitter: false })).toThrow(/not positive definite/);
  });
  it('rejects bad parameters', () => {
    expect(() => hammingKernelMatrix([[0]], [[0]], { lengthscale: 0, variance: 1 })).toThrow(/'kernel.lengthscale' must be a number > 0/);
    expect(() => hammingKernelMatrix([[0, 1]], [[0]], { lengthscale: 1, variance: 1 })).toThrow(/must have the same length/);
  });
});

describe('GaussianProcess', () => {
  const X = randomCells(1, 9);
  const y = X.map((x, i) => x[0] * 2 - x[3] + Math.sin(i));
  const Xs = [...randomCells(2, 6), X[2]];

  it('posterior mean and std equal a direct dense computation to 1e-8 (fixed hyper-parameters)', () => {
    const gp = new GaussianProcess({ kernel: { lengthscale: 1.7, variance: 0.8 }, noise: 0.05 }).fit(X, y);
    const got = gp.predict(Xs);
    const want = denseGp(X, y, Xs, 1.7, 0.8, 0.05);
    got.mean.forEach((v, i) => expect(Math.abs(v - want.mean[i])).toBeLessThan(1e-8));
    got.std.forEach((v, i) => expect(Math.abs(v - want.std[i])).toBeLessThan(1e-8));
    expect(Math.abs(gp.fitted()!.logMarginalLikelihood - want.lml)).toBeLessThan(1e-8);
  });

  it('with the one-hot kernel too: posterior and evidence equal the dense computation to 1e-8', () => {
    const gp = new GaussianProcess({ kernelType: 'onehot', kernel: { lengthscale: 1.2, variance: 0.9 }, noise: 0.02 }).fit(X, y);
    const got = gp.predict(Xs);
    const want = denseGp(X, y, Xs, 1.2, 0.9, 0.02, 'onehot');
    got.mean.forEach((v, i) => expect(Math.abs(v - want.mean[i])).toBeLessThan(1e-8));
    got.std.forEach((v, i) => expect(Math.abs(v - want.std[i])).toBeLessThan(1e-8));
    expect(Math.abs(gp.fitted()!.logMarginalLikelihood - want.lml)).toBeLessThan(1e-8);
    const onehot = fitPosterior(X, 6, pairwiseHamming(X), y, gpSettings({ kernelType: 'onehot' }, 'test'));
    expect(() => gridPosterior(onehot, [5, 5, 5, 5, 5, 5])).toThrow(/needs a product kernel/);
    expect(() => new GaussianProcess({ kernelType: 'rbf' as never })).toThrow('GaussianProcess: \'kernelType\' must be one of "hamming", "onehot", got "rbf"');
  });

  /** ln p at (ℓ, τ) with σ² at its closed-form optimum, by Gauss-Jordan (independent of the library's Cholesky). */
  function profileLml(X: number[][], y: number[], ell: number, tau: number, kind: 'hamming' | 'onehot'): number {
    const n = y.length;
    const m = y.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(y.reduce((a, b) => a + (b - m) ** 2, 0) / n);
    const yt = y.map((v) => (v - m) / sd);
    const d = X[0].length;
    const k = (a: number[], b: number[]) => (kind === 'onehot' ? matern52OneHot(a, b, ell, 1) : Math.exp(-hammingDistance(a, b) / (ell * d)));
    const R = X.map((a, i) => X.map((b, j) => k(a, b) + (i === j ? tau : 0)));
    const Rinv = inverse(R);
    const quad = yt.reduce((s, v, i) => s + v * Rinv[i].reduce((t, w, j) => t + w * yt[j], 0), 0);
    return -0.5 * n * Math.log(quad / n) - 0.5 * logDet(R) - 0.5 * n - 0.5 * n * Math.log(2 * Math.PI);
  }

  it('the continuous fit finds the marginal-likelihood optimum, here far outside the old grid (ℓ ∈ [1/8, 4])', () => {
    // An additive target (how many coordinates are 0) is smooth in the one-hot encoding: long lengthscales.
    const Xa = randomCells(5, 30);
    const ya = Xa.map((x) => x.filter((v) => v === 0).length);
    const fit = new GaussianProcess({ kernelType: 'onehot' }).fit(Xa, ya).fitted()!;
    expect(fit.lengthscale).toBeGreaterThan(8);
    expect(fit.atBound).toBe('noise ratio at its lower bound 0.000001');
    let best = -Infinity;
    let bestEll = 0;
    for (let i = 0; i <= 120; i++) {
      const ell = 0.05 * 10 ** (i / 40); // 0.05 .. 50, log-spaced
      for (const tau of [1e-6, 1e-4]) {
        const v = profileLml(Xa, ya, ell, tau, 'onehot');
        if (v > best) [best, bestEll] = [v, ell];
      }
    }
    expect(fit.logMarginalLikelihood).toBeGreaterThanOrEqual(best - 1e-6);
    expect(Math.abs(Math.log(fit.lengthscale / bestEll))).toBeLessThan(0.06); // the scan's step is 5.9%
    // The old grid's best point explains the data clearly worse.
    const oldGrid = Math.max(...[0.125, 0.25, 0.5, 1, 2, 4].flatMap((ell) => [1e-4, 1e-2].map((tau) => profileLml(Xa, ya, ell, tau, 'onehot'))));
    expect(fit.logMarginalLikelihood - oldGrid).toBeGreaterThan(1);
  });

  it('fitted hyper-parameters give the dense posterior, and a bound that stops the fit is reported', () => {
    const gp = new GaussianProcess().fit(X, y);
    const fit = gp.fitted()!;
    const want = denseGp(X, y, Xs, fit.lengthscale, fit.variance, fit.noise);
    const got = gp.predict(Xs);
    got.mean.forEach((v, i) => expect(Math.abs(v - want.mean[i])).toBeLessThan(1e-8));
    got.std.forEach((v, i) => expect(Math.abs(v - want.std[i])).toBeLessThan(1e-8));
    const Xa = randomCells(5, 30);
    const ya = Xa.map((x) => x.filter((v) => v === 0).length);
    const capped = new GaussianProcess({ kernelType: 'onehot', lengthscaleBounds: [0.05, 5] }).fit(Xa, ya).fitted()!;
    expect(capped.lengthscale).toBeCloseTo(5, 6);
    expect(capped.atBound).toBe('lengthscale at its upper bound 5, noise ratio at its lower bound 0.000001');
    expect(new GaussianProcess({ kernel: { lengthscale: 1, variance: 1 }, noise: 0.1 }).fit(X, y).fitted()!.atBound).toBe('fixed');
    expect(() => new GaussianProcess({ lengthscaleBounds: [2, 1] })).toThrow("GaussianProcess: 'lengthscaleBounds' must be [lowest, highest] with 0 < lowest <= highest, got [2, 1]");
  });

  it('the Kronecker grid path equals per-point prediction on the whole grid', () => {
    const Xg = randomCells(4, 12, 3, 4);
    const yg = Xg.map((x) => x[0] - x[1] * x[2]);
    const opts = { kernel: { lengthscale: 1.3, variance: 1.1 }, noise: 1e-3 };
    const gp = new GaussianProcess(opts).fit(Xg, yg);
    const all: number[][] = [];
    for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) for (let c = 0; c < 4; c++) all.push([a, b, c]);
    const direct = gp.predict(all);
    const grid = gridPosterior(fitPosterior(Xg, 3, pairwiseHamming(Xg), yg, gpSettings(opts, 'test')), [4, 4, 4]);
    direct.mean.forEach((v, g) => expect(Math.abs(v - grid.mean[g])).toBeLessThan(1e-10));
    direct.std.forEach((v, g) => expect(Math.abs(v - grid.std[g])).toBeLessThan(1e-10));
  });

  it('interpolates nearly-noise-free data and is uncertain far from it', () => {
    const gp = new GaussianProcess({ kernel: { lengthscale: 3, variance: 1 }, noise: 1e-8 }).fit([[0, 0], [1, 1]], [0, 1]);
    const p = gp.predict([[0, 0], [2, 2]]);
    expect(p.mean[0]).toBeCloseTo(0, 6);
    expect(p.std[0]).toBeLessThan(1e-3);
    expect(p.std[1]).toBeGreaterThan(0.3);
  });

  it('rejects bad input, naming it', () => {
    expect(() => new GaussianProcess({ kernel: { lengthscale: 1, variance: 1 } })).toThrow(/'kernel' and 'noise' must be given together/);
    expect(() => new GaussianProcess().fit([[0, 1], [1]], [1, 2])).toThrow(/every row of 'X' must have 2 entries/);
    expect(() => new GaussianProcess().fit([[0], [1]], [1])).toThrow(/'y' must have one target per row of 'X' \(2\), got 1/);
    expect(() => new GaussianProcess().predict([[0]])).toThrow(/call fit\(X, y\) first/);
    expect(() => new GaussianProcess().fit([[0], [1]], [1, 2]).predict([[0, 1]])).toThrow(/rows of 'Xs' must have 1 entries/);
  });
});

describe('acquisition', () => {
  /** E[max(f − best − ξ, 0)] by composite Simpson over μ ± 12s. */
  function eiByIntegration(mu: number, s: number, best: number, xi: number): number {
    const lo = Math.max(best + xi, mu - 12 * s);
    const hi = mu + 12 * s;
    if (hi <= lo) return 0;
    const m = 20000;
    const h = (hi - lo) / m;
    const f = (x: number) => (x - best - xi) * Math.exp(-0.5 * ((x - mu) / s) ** 2) / (s * Math.sqrt(2 * Math.PI));
    let sum = f(lo) + f(hi);
    for (let i = 1; i < m; i++) sum += (i % 2 === 1 ? 4 : 2) * f(lo + i * h);
    return (sum * h) / 3;
  }
  it('EI equals numeric integration of the improvement', () => {
    for (const [mu, s, best, xi] of [[0, 1, 0, 0], [1.5, 0.3, 1, 0.1], [-2, 2, 1, 0], [80, 0.5, 83, 0], [3, 1e-3, 2.999, 0]]) {
      const closed = expectedImprovement(mu, s, best, xi);
      expect(Math.abs(closed - eiByIntegration(mu, s, best, xi))).toBeLessThan(1e-9 + 1e-7 * closed);
    }
    expect(expectedImprovement(0, 1, 0)).toBeCloseTo(0.3989422804014327, 15);
  });
  it('EI with zero std is the plain improvement', () => {
    expect(expectedImprovement(2, 0, 1.5)).toBe(0.5);
    expect(expectedImprovement(1, 0, 1.5)).toBe(0);
  });
  it('confidence bound is μ + κs', () => {
    expect(confidenceBound(1, 0.5, 2)).toBe(2);
    expect(confidenceBound(1, 0.5)).toBe(2);
  });
  it('eiAcquisition and ucbAcquisition are the same formulas as functions BayesOpt can take', () => {
    for (const [mu, s, best] of [[0, 1, 0], [1.5, 0.3, 1], [80, 0.5, 83], [2, 0, 1.5]]) {
      expect(eiAcquisition(0.1)(mu, s, best)).toBe(expectedImprovement(mu, s, best, 0.1));
      expect(ucbAcquisition(3)(mu, s, best)).toBe(confidenceBound(mu, s, 3));
    }
    expect(() => eiAcquisition(-1)).toThrow("eiAcquisition: 'xi' must be a number >= 0, got -1");
    expect(() => ucbAcquisition(NaN)).toThrow(/ucbAcquisition: 'kappa' must be/);
  });
  it('rejects a negative std or xi', () => {
    expect(() => expectedImprovement(0, -1, 0)).toThrow(/'std' must be a number >= 0/);
    expect(() => expectedImprovement(0, 1, 0, -0.1)).toThrow(/'xi' must be a number >= 0/);
    expect(() => confidenceBound(0, 1, -1)).toThrow(/'kappa' must be a number >= 0/);
  });
});
