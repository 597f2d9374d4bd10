import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../../src/core/rng';
import { projectEdgeWeights, projectionGap, projectionMultiplier, softThreshold, sparseProjection } from '../../../src/strategies/darts/projection';

const objective = (beta: readonly number[], c: readonly number[], lambda: number): number =>
  beta.reduce((s, b, i) => s + 0.5 * (b - c[i]) ** 2 + lambda * Math.abs(b), 0);

/**
 * The reference: enumerate every sign pattern s ∈ {−1, 0, +1}ⁿ. For a fixed pattern the problem
 * on that face is an equality-constrained quadratic with a linear term λsᵢβᵢ, solved in closed
 * form (βᵢ = cᵢ − λsᵢ − ν on the support, ν from Σβ = 1). A candidate whose signs agree with its
 * pattern is feasible and its true objective is computed; the optimum's own pattern is among
 * them, so the best candidate is the optimum. Exponential, independent of the dual root.
 */
function bruteForce(c: readonly number[], lambda: number): number[] {
  const n = c.length;
  let best: number[] = [];
  let bestValue = Infinity;
  for (let code = 0; code < 3 ** n; code++) {
    const signs = Array.from({ length: n }, (_, i) => (Math.floor(code / 3 ** i) % 3) - 1);
    const support = signs.flatMap((s, i) => (s !== 0 ? [i] : []));
    if (support.length === 0) continue;
    const nu = (support.reduce((a, i) => a + c[i] - lambda * signs[i], 0) - 1) / support.length;
    const beta = signs.map((s, i) => (s === 0 ? 0 : c[i] - lambda * s - nu));
    if (signs.some((s, i) => s * beta[i] < 0)) continue;
    const value = objective(beta, c, lambda);
    if (value < bestValue) {
      bestValue = value;
      best = beta;
    }
  }
  return best;
}

/** Euclidean projection onto the probability simplex by sorting (Held, Wolfe and Crowder 1974). */
function simplexProjection(c: readonly number[]): number[] {
  const u = [...c].sort((a, b) => b - a);
  let cumulative = 0;
  let theta = 0;
  u.forEach((ui, k) => {
    cumulative += ui;
    const t = (cumulative - 1) / (k + 1);
    if (ui - t > 0) theta = t;
  });
  return c.map((ci) => Math.max(ci - theta, 0));
}

function randomInput(rng: Rng): { c: number[]; lambda: number } {
  const n = rng.int(1, 7);
  const scale = rng.choice([0.1, 1, 10]);
  const c = Array.from({ length: n }, () => rng.normal(0, scale));
  // Exact zeros of λ and ties in c are edge cases worth hitting often.
  if (rng.uniform() < 0.2) c[rng.int(0, n)] = c[0];
  const lambda = rng.uniform() < 0.1 ? 0 : rng.uniform(0, 2 * scale);
  return { c, lambda };
}

const maxAbsDiff = (a: readonly number[], b: readonly number[]): number => Math.max(...a.map((x, i) => Math.abs(x - b[i])));

describe('softThreshold', () => {
  it('shrinks towards zero by λ and zeroes the band [−λ, λ]', () => {
    expect(softThreshold(1.5, 0.5)).toBe(1);
    expect(softThreshold(-1.5, 0.5)).toBe(-1);
    expect(softThreshold(0.5, 0.5)).toBe(0);
    expect(softThreshold(-0.2, 0.5)).toBe(0);
    expect(softThreshold(-0.2, 0)).toBe(-0.2);
  });
});

describe('sparseProjection', () => {
  it('matches the sign-pattern brute force to 1e-9 on 3000 random inputs (n = 1..6)', () => {
    const rng = createRng('projection-brute-force');
    for (let t = 0; t < 3000; t++) {
      const { c, lambda } = randomInput(rng);
      const { beta, mu } = sparseProjection(c, lambda);
      const ref = bruteForce(c, lambda);
      const scale = Math.max(1, ...c.map(Math.abs));
      expect(maxAbsDiff(beta, ref) / scale, `c = ${JSON.stringify(c)}, λ = ${lambda}`).toBeLessThan(1e-9);
      expect(Math.abs(beta.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-9 * scale * c.length);
      expect(Math.abs(projectionGap(c, lambda, mu))).toBeLessThan(1e-9 * scale * c.length);
    }
  });
  it('satisfies the optimality conditions on random inputs (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 12 }), fc.double({ min: 0, max: 3, noNaN: true }), (c, lambda) => {
        const { beta, mu } = sparseProjection(c, lambda);
        // KKT: cᵢ − βᵢ − μ ∈ λ·∂|βᵢ|: equal to λ·sign(βᵢ) on the support, within [−λ, λ] off it.
        beta.forEach((b, i) => {
          const g = c[i] - b - mu;
          if (b !== 0) expect(Math.abs(g - lambda * Math.sign(b))).toBeLessThan(1e-9);
          else expect(Math.abs(g)).toBeLessThanOrEqual(lambda + 1e-9);
        });
      }),
      { numRuns: 500 },
    );
  });
  it('λ = 0 is the Euclidean projection onto the affine set: β = c − (Σc − 1)/n', () => {
    const rng = createRng('affine');
    for (let t = 0; t < 200; t++) {
      const c = Array.from({ length: rng.int(1, 9) }, () => rng.normal(0, 3));
      const shift = (c.reduce((a, b) => a + b, 0) - 1) / c.length;
      expect(maxAbsDiff(sparseProjection(c, 0).beta, c.map((x) => x - shift))).toBeLessThan(1e-12);
    }
  });
  it('all-equal c gives the uniform weights 1/n for every λ', () => {
    for (const lambda of [0, 0.1, 1, 100]) {
      expect(maxAbsDiff(sparseProjection([3, 3, 3, 3], lambda).beta, [0.25, 0.25, 0.25, 0.25])).toBeLessThan(1e-12);
    }
  });
  it('one dominant entry: a small λ pays for it with negative weights elsewhere; from λ >= max(c₁ − cᵢ) − 1 it holds all the weight', () => {
    const small = sparseProjection([5, 0.1, -0.2, 0], 1).beta;
    expect(small[0]).toBeGreaterThan(1);
    expect(small.slice(1).every((b) => b < 0)).toBe(true);
    expect(sparseProjection([5, 0.1, -0.2, 0], 4.2).beta).toEqual([1, 0, 0, 0]);
    expect(sparseProjection([5, 0.1, -0.2, 0], 50).beta).toEqual([1, 0, 0, 0]);
    expect(sparseProjection([2, 0, 0], 0.5)).toEqual({ beta: [1, 0, 0], mu: 0.5 });
  });
  it('a huge λ gives the projection onto the probability simplex (no negative weight survives)', () => {
    const rng = createRng('simplex');
    for (let t = 0; t < 300; t++) {
      const c = Array.from({ length: rng.int(1, 8) }, () => rng.normal(0, 2));
      const beta = sparseProjection(c, 1e6).beta;
      expect(Math.min(...beta)).toBeGreaterThanOrEqual(0);
      expect(maxAbsDiff(beta, simplexProjection(c))).toBeLessThan(1e-9);
    }
  });
  it('a probability vector is its own projection for every λ: the penalty is constant on the simplex', () => {
    for (const lambda of [0, 0.05, 0.5, 50]) {
      expect(maxAbsDiff(sparseProjection([0.6, 0.3, 0.1, 0], lambda).beta, [0.6, 0.3, 0.1, 0])).toBeLessThan(1e-12);
    }
  });
  it('a growing λ never adds non-zeros on a signed example, and zeroes entries that λ = 0 keeps', () => {
    const c = [1.2, 0.7, 0.1, -0.3, -0.9];
    const nonZeros = [0, 0.1, 0.2, 0.4, 0.8, 5].map((lambda) => sparseProjection(c, lambda).beta.filter((b) => b !== 0).length);
    expect(nonZeros[0]).toBe(5);
    nonZeros.slice(1).forEach((k, i) => expect(k).toBeLessThanOrEqual(nonZeros[i]));
    expect(nonZeros[nonZeros.length - 1]).toBeLessThan(5);
  });
  it('the worked example: c = [1, 0.6, 0.1], λ = 0.3 gives β = [0.7, 0.3, 0], μ = 0', () => {
    const { beta, mu } = sparseProjection([1, 0.6, 0.1], 0.3);
    expect(maxAbsDiff(beta, [0.7, 0.3, 0])).toBeLessThan(1e-15);
    expect(mu).toBeCloseTo(0, 15);
    expect(projectionMultiplier([0.5, 0.3, 0.2], 0)).toBeCloseTo(0, 15);
  });
  it('rejects λ < 0, NaN and an empty c, naming the argument', () => {
    expect(() => sparseProjection([1, 2], -0.1)).toThrow("sparseProjection: 'lambda' must be a number >= 0, got -0.1");
    expect(() => sparseProjection([1, Number.NaN], 0.1)).toThrow("sparseProjection: 'c' must hold only finite numbers, got NaN at index 1");
    expect(() => sparseProjection([], 0.1)).toThrow("sparseProjection: 'c' must have at least 1 item, got an empty array");
    expect(() => sparseProjection([1], Number.NaN)).toThrow("sparseProjection: 'lambda' must be a finite number >= 0, got NaN");
    expect(() => softThreshold(1, -1)).toThrow("softThreshold: 'lambda' must be a number >= 0, got -1");
    expect(() => projectionGap([1], 0, Number.POSITIVE_INFINITY)).toThrow("projectionGap: 'mu' must be a finite number, got Infinity");
  });
  it('projectEdgeWeights projects each edge of a cell on its own', () => {
    const rng = createRng('edges');
    const alpha = Array.from({ length: 6 }, () => Array.from({ length: 5 }, () => rng.normal(0, 1)));
    const beta = projectEdgeWeights(alpha, 0.4);
    beta.forEach((row, e) => {
      expect(maxAbsDiff(row, sparseProjection(alpha[e], 0.4).beta)).toBe(0);
      expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
    });
    expect(() => projectEdgeWeights([[1, 2], [Number.NaN]], 0.1)).toThrow("projectEdgeWeights: 'weights[1]' must hold only finite numbers, got NaN at index 0");
    expect(() => projectEdgeWeights([], 0.1)).toThrow("projectEdgeWeights: 'weights' must have at least 1 item, got an empty array");
  });
});
