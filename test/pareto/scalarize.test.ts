import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crowdingDistance, nonDominated, normalizeObjectives, objectiveBounds, supportedPoints, weightedSum, weightedSumChoice } from '../../src/pareto';
import type { Dir } from './bruteForce';

/** λ = (t, 1 − t) on a grid of 2001 values. */
const lambdaGrid = Array.from({ length: 2001 }, (_, k) => [k / 2000, 1 - k / 2000]);

describe('crowding distance', () => {
  it("follows Deb et al.'s definition", () => {
    expect(crowdingDistance([[1, 4], [2, 2], [4, 1]])).toEqual([Infinity, 2, Infinity]);
    expect(crowdingDistance([[1, 4], [2, 2], [3, 1.5], [4, 1]])).toEqual([Infinity, 2 / 3 + 2.5 / 3, 2 / 3 + 1 / 3, Infinity]);
    expect(crowdingDistance([[3, 3]])).toEqual([Infinity]);
    expect(crowdingDistance([[1, 1], [1, 1], [1, 1]])).toEqual([Infinity, 0, Infinity]);
  });
  it('gives the extremes of every objective an infinite distance and the rest a finite one', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }), { minLength: 3, maxLength: 30 }), (pts) => {
        const d = crowdingDistance(pts);
        for (const x of d) expect(x).toBeGreaterThanOrEqual(0);
        expect(d.filter((x) => x === Infinity).length).toBeGreaterThanOrEqual(2);
        expect(d.filter((x) => x === Infinity).length).toBeLessThanOrEqual(6);
      }),
      { seed: 41 },
    );
  });
});

describe('normalisation', () => {
  it('maps each objective onto [0, 1] over the set or given bounds', () => {
    expect(objectiveBounds([[90, 2], [80, 6]])).toEqual({ lower: [80, 2], upper: [90, 6] });
    expect(normalizeObjectives([[90, 2], [80, 6], [85, 4]])).toEqual([[1, 0], [0, 1], [0.5, 0.5]]);
    expect(normalizeObjectives([[85, 4]], { lower: [80, 0], upper: [90, 8] })).toEqual([[0.5, 0.5]]);
    expect(normalizeObjectives([[1, 5], [1, 7]])).toEqual([[0, 0], [0, 1]]);
    expect(() => normalizeObjectives([[1, 2]], { lower: [0], upper: [1] })).toThrow("normalizeObjectives: 'bounds.lower' and 'bounds.upper' must have 2 values (one per objective), got 1 and 1");
    expect(() => normalizeObjectives([[1, 2]], { lower: [2, 0], upper: [1, 1] })).toThrow("normalizeObjectives: 'bounds.lower[0]' must be <= 'bounds.upper[0]', got 2 > 1");
  });
});

describe('weighted-sum scalarisation', () => {
  const dirs: Dir[] = ['maximize', 'minimize', 'minimize'];
  it('J = −λ₁A + λ₂L + λ₃E', () => {
    expect(weightedSum([0.9, 0.2, 0.5], [0.7, 0.2, 0.1], { directions: dirs })).toBeCloseTo(-0.63 + 0.04 + 0.05, 12);
    expect(weightedSumChoice([[0.95, 9], [0.9, 3], [0.8, 1]], [0.5, 0.5], { directions: ['maximize', 'minimize'] })).toBe(1);
    // λ = (1, 0, 0): the most accurate; (0, 1, 0): the fastest; raw and normalised agree at the corners.
    const nets = [[0.95, 9, 4], [0.9, 3, 2], [0.8, 1, 3]];
    expect(weightedSumChoice(nets, [1, 0, 0], { directions: dirs })).toBe(0);
    expect(weightedSumChoice(nets, [0, 1, 0], { directions: dirs, normalize: false })).toBe(2);
  });

  it('is the brute-force argmin of J on the normalised set, and a zero weight never picks a dominated point', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 20 }),
        fc.constantFrom([1, 0, 0], [0, 1, 0], [0, 0, 1], [0.7, 0.2, 0.1], [0.2, 0.3, 0.5], [0.5, 0.5, 0]),
        (pts, lambda) => {
          const i = weightedSumChoice(pts, lambda, { directions: dirs });
          const norm = normalizeObjectives(pts);
          const js = norm.map((p) => weightedSum(p, lambda, { directions: dirs }));
          expect(js[i]).toBe(Math.min(...js));
          expect(nonDominated(pts, { directions: dirs })).toContain(i);
        },
      ),
      { seed: 51, numRuns: 300 },
    );
  });

  it('reaches only the convex hull of the front: unsupported points are never chosen, hull vertices are', () => {
    // A front with a concave dent: (1, 3.5) and (3, 0.9) lie above the hull.
    const front = [[0, 4], [1, 3.5], [2, 1], [3, 0.9], [4, 0]];
    expect(supportedPoints(front)).toEqual([0, 2, 4]);
    const chosen = new Set(lambdaGrid.map((l) => weightedSumChoice(front, l, { normalize: false })));
    expect([...chosen].sort()).toEqual([0, 2, 4]);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 })), { minLength: 1, maxLength: 25 }), (pts) => {
        const supported = new Set(supportedPoints(pts));
        const chosen = new Set(lambdaGrid.map((l) => weightedSumChoice(pts, l, { normalize: false })));
        for (const i of chosen) expect(supported.has(i)).toBe(true);
        // Every hull vertex (not a tie on an edge) is chosen for some λ of the grid.
        for (const i of supported) {
          const twins = pts.map((p, k) => (p[0] === pts[i][0] && p[1] === pts[i][1] ? k : -1)).filter((k) => k >= 0);
          const vertex = isStrictVertex(pts, [...supported], i);
          if (vertex) expect(twins.some((k) => chosen.has(k))).toBe(true);
        }
      }),
      { seed: 61, numRuns: 200 },
    );
  });

  it('rejects λ off the simplex and bad sets', () => {
    expect(() => weightedSumChoice([[1, 2]], [0.5, 0.6])).toThrow("weightedSumChoice: 'lambda' must lie on the simplex (weights >= 0 summing to 1), got [0.5, 0.6] (sum 1.1)");
    expect(() => weightedSumChoice([[1, 2]], [1.5, -0.5])).toThrow("weightedSumChoice: 'lambda' must lie on the simplex (weights >= 0 summing to 1), got [1.5, -0.5] (sum 1)");
    expect(() => weightedSumChoice([[1, 2]], [1])).toThrow("weightedSumChoice: 'lambda' must have 2 weights (one per objective), got length 1");
    expect(() => weightedSum([1, 2], [NaN, 1])).toThrow("weightedSum: 'lambda' must hold only finite numbers, got NaN at index 0");
    expect(() => weightedSumChoice([], [1])).toThrow("weightedSumChoice: 'points' must have at least 1 item, got an empty array");
    expect(() => supportedPoints([[1, 2, 3]])).toThrow("supportedPoints: 'points' must have 2 objectives (the hull test is exact in two dimensions), got 3");
  });
});

/** Whether point i is a corner of the supported chain (not strictly inside a hull edge). */
function isStrictVertex(pts: number[][], supported: number[], i: number): boolean {
  const distinct = [...new Map(supported.map((k) => [`${pts[k]}`, pts[k]])).values()].sort((a, b) => a[0] - b[0]);
  const t = distinct.findIndex((p) => p[0] === pts[i][0] && p[1] === pts[i][1]);
  if (t === 0 || t === distinct.length - 1) return true;
  const [a, b, c] = [distinct[t - 1], distinct[t], distinct[t + 1]];
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]) > 0;
}
