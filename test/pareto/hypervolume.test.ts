import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import { hypervolume, hypervolumeMonteCarlo, naiveHypervolume } from '../../src/pareto';
import { bruteHypervolume } from './bruteForce';

/** Points in [0, 8)^m with ties and duplicates, and a reference at 8 or beyond. */
const hvArb = (m: number, maxLength: number) =>
  fc.tuple(
    fc.array(fc.array(fc.integer({ min: 0, max: 7 }), { minLength: m, maxLength: m }), { minLength: 1, maxLength }),
    fc.array(fc.integer({ min: 8, max: 10 }), { minLength: m, maxLength: m }),
    fc.array(fc.nat(), { maxLength: 5 }),
  ).map(([rows, ref, repeats]) => ({ points: [...rows, ...repeats.map((r) => rows[r % rows.length].slice())], ref }));

describe('hypervolume', () => {
  it('has the worked values', () => {
    expect(hypervolume([[1, 3], [2, 2], [3, 1]], [4, 4])).toBe(6);
    expect(hypervolume([[90, 2]], [80, 5], { directions: ['maximize', 'minimize'] })).toBe(30);
    expect(hypervolume([[0, 0, 0]], [1, 2, 3])).toBe(6);
    expect(hypervolume([[2]], [5])).toBe(3);
    // A point on the reference's boundary encloses nothing.
    expect(hypervolume([[4, 1]], [4, 4])).toBe(0);
  });

  it('matches the grid count and the slicing method in 2, 3, 4 and 5 objectives (ties and duplicates)', () => {
    for (const [m, maxLength] of [[2, 30], [3, 25], [4, 12], [5, 7]] as const) {
      fc.assert(
        fc.property(hvArb(m, maxLength), ({ points, ref }) => {
          const expected = bruteHypervolume(points, ref);
          expect(hypervolume(points, ref)).toBeCloseTo(expected, 9);
          expect(naiveHypervolume(points, ref)).toBeCloseTo(expected, 9);
        }),
        { seed: 300 + m, numRuns: m <= 3 ? 200 : 60 },
      );
    }
  });

  it('handles maximised objectives by mirroring', () => {
    fc.assert(
      fc.property(hvArb(3, 20), ({ points, ref }) => {
        const mirrored = points.map(([a, b, c]) => [-a, b, -c]);
        expect(hypervolume(mirrored, [-ref[0], ref[1], -ref[2]], { directions: ['maximize', 'minimize', 'maximize'] })).toBeCloseTo(bruteHypervolume(points, ref), 9);
      }),
      { seed: 31, numRuns: 100 },
    );
  });

  it('the sweep agrees with the slicing method on 1000 continuous points in 3-D, on a front and off it', () => {
    const rng = createRng('hv3d');
    const cloud = Array.from({ length: 1000 }, () => [rng.uniform(), rng.uniform(), rng.uniform()]);
    const sphere = Array.from({ length: 1000 }, () => {
      const v = [Math.abs(rng.normal()), Math.abs(rng.normal()), Math.abs(rng.normal())];
      const r = Math.hypot(...v);
      return v.map((x) => 1 - x / r); // all mutually non-dominated, on a concave front
    });
    for (const pts of [cloud, sphere]) expect(hypervolume(pts, [1.1, 1.1, 1.1])).toBeCloseTo(naiveHypervolume(pts, [1.1, 1.1, 1.1]), 9);
  });

  it('Monte Carlo: the interval covers the exact value, the estimate is deterministic per seed', () => {
    const rng = createRng('mc-points');
    const pts = Array.from({ length: 40 }, () => [rng.uniform(), rng.uniform(), rng.uniform(), rng.uniform()]);
    const ref = [1, 1, 1, 1];
    const exact = hypervolume(pts, ref);
    let covered = 0;
    for (let s = 0; s < 20; s++) {
      const est = hypervolumeMonteCarlo(pts, ref, { rng: createRng(`mc-${s}`), samples: 20000 });
      if (est.lower <= exact && exact <= est.upper) covered++;
      expect(Math.abs(est.estimate - exact)).toBeLessThan(0.05 * est.boxVolume);
    }
    expect(covered).toBeGreaterThanOrEqual(17); // nominal 95% of 20
    const a = hypervolumeMonteCarlo(pts, ref, { rng: createRng(1), samples: 1000 });
    expect(hypervolumeMonteCarlo(pts, ref, { rng: createRng(1), samples: 1000 })).toEqual(a);
  });

  it('rejects bad input, naming the argument', () => {
    expect(() => hypervolume([], [1, 1])).toThrow("hypervolume: 'points' must have at least 1 item, got an empty array");
    expect(() => hypervolume([[1, 2]], [1])).toThrow("hypervolume: 'reference' must have 2 objectives like the points, got length 1");
    expect(() => hypervolume([[1, 2], [3, 0]], [2, 5])).toThrow(
      "hypervolume: 'reference' must bound the set (objective 0 at least every point's), but point 1 has 3 against the reference's 2",
    );
    expect(() => hypervolume([[90, 2]], [95, 5], { directions: ['maximize', 'minimize'] })).toThrow(
      "hypervolume: 'reference' must bound the set (objective 0 at most every point's), but point 0 has 90 against the reference's 95",
    );
    expect(() => hypervolume([[1, NaN]], [2, 2])).toThrow("hypervolume: 'points' must hold finite numbers, got NaN at row 0, objective 1");
    expect(() => hypervolume([[1, 1]], [2, NaN])).toThrow("hypervolume: 'reference' must hold only finite numbers, got NaN at index 1");
    expect(() => hypervolumeMonteCarlo([[1, 1]], [2, 2], {} as never)).toThrow("hypervolumeMonteCarlo: 'opts.rng' must be an Rng (from createRng(seed)), got undefined");
  });
});
