import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dominates, naiveNonDominatedSort, nonDominated, nonDominatedSort, paretoRanks } from '../../src/pareto';
import { bruteDominates, bruteFronts, type Dir } from './bruteForce';

/** Sets with many ties and duplicates: small integer grids, and a few repeated rows. */
const setArb = (m: number, maxLength = 60) =>
  fc
    .tuple(
      fc.array(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: m, maxLength: m }), { minLength: 1, maxLength }),
      fc.array(fc.constantFrom<Dir>('minimize', 'maximize'), { minLength: m, maxLength: m }),
      fc.array(fc.nat(), { maxLength: 8 }),
    )
    .map(([rows, dirs, repeats]) => ({ points: [...rows, ...repeats.map((r) => rows[r % rows.length].slice())], dirs }));

/** Continuous values too (no ties at all), to reach deep fronts. */
const realSetArb = (m: number) =>
  fc.tuple(
    fc.array(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true }), { minLength: m, maxLength: m }), { minLength: 1, maxLength: 80 }),
    fc.array(fc.constantFrom<Dir>('minimize', 'maximize'), { minLength: m, maxLength: m }),
  ).map(([points, dirs]) => ({ points, dirs }));

describe('dominance', () => {
  it('follows the definition, per direction', () => {
    expect(dominates([1, 2], [1, 3])).toBe(true);
    expect(dominates([1, 2], [1, 2])).toBe(false);
    expect(dominates([1, 3], [2, 2])).toBe(false);
    expect(dominates([90, 3], [85, 3], { directions: ['maximize', 'minimize'] })).toBe(true);
    expect(dominates([85, 3], [90, 3], { directions: ['maximize', 'minimize'] })).toBe(false);
    fc.assert(
      fc.property(setArb(3, 2), ({ points, dirs }) => {
        const [a, b] = [points[0], points[points.length - 1]];
        expect(dominates(a, b, { directions: dirs })).toBe(bruteDominates(a, b, dirs));
      }),
      { seed: 16, numRuns: 300 },
    );
  });

  it('the non-dominated set is the first peeled front, duplicates included', () => {
    expect(nonDominated([[1, 5], [2, 2], [3, 3], [5, 1], [2, 2]])).toEqual([0, 1, 3, 4]);
    for (const m of [1, 2, 3, 4, 5]) {
      fc.assert(
        fc.property(setArb(m), ({ points, dirs }) => {
          expect(nonDominated(points, { directions: dirs })).toEqual(bruteFronts(points, dirs)[0]);
        }),
        { seed: 100 + m, numRuns: 150 },
      );
    }
  });
});

describe('non-dominated sorting', () => {
  it('matches peeling and the naive sort, with ties, duplicates and mixed directions, in 1 to 6 objectives', () => {
    for (const m of [1, 2, 3, 4, 6]) {
      for (const arb of [setArb(m), realSetArb(m)]) {
        fc.assert(
          fc.property(arb, ({ points, dirs }) => {
            const expected = bruteFronts(points, dirs);
            expect(nonDominatedSort(points, { directions: dirs })).toEqual(expected);
            expect(naiveNonDominatedSort(points, { directions: dirs })).toEqual(expected);
          }),
          { seed: 200 + m, numRuns: 120 },
        );
      }
    }
  });

  it('ranks say the same as fronts', () => {
    const pts = [[1, 5], [2, 2], [3, 3], [5, 1], [4, 4]];
    expect(nonDominatedSort(pts)).toEqual([[0, 1, 3], [2], [4]]);
    expect(paretoRanks(pts)).toEqual([0, 0, 1, 0, 2]);
  });

  it('agrees with the naive sort on larger random sets (deep fronts in 2 and 3 objectives)', () => {
    for (const m of [2, 3, 4]) {
      let s = 12345 + m;
      const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
      const pts = Array.from({ length: 1500 }, () => Array.from({ length: m }, () => Math.floor(rand() * 50)));
      expect(nonDominatedSort(pts)).toEqual(naiveNonDominatedSort(pts));
    }
  });
});

describe('bad input', () => {
  it('names the argument and what was expected', () => {
    expect(() => nonDominatedSort([])).toThrow("nonDominatedSort: 'points' must have at least 1 item, got an empty array");
    expect(() => nonDominatedSort([[1, 2], [1]])).toThrow("nonDominatedSort: every row of 'points' must have 2 objectives (as row 0 has), got 1 at row 1");
    expect(() => nonDominated([[1, 2], [NaN, 1]])).toThrow("nonDominated: 'points' must hold finite numbers, got NaN at row 1, objective 0");
    expect(() => paretoRanks([[1, 2]], { directions: ['minimize'] })).toThrow("paretoRanks: 'opts.directions' must have length 2, got length 1");
    expect(() => paretoRanks([[1, 2]], { directions: ['minimize', 'up' as never] })).toThrow("paretoRanks: 'opts.directions[1]' must be 'minimize' or 'maximize', got \"up\"");
    expect(() => dominates([1, 2], [1, 2, 3])).toThrow("dominates: 'a' and 'b' must have the same length, got 2 and 3");
    expect(() => nonDominated([[]])).toThrow("nonDominated: 'points' must be rows of objective values (non-empty arrays of numbers), got [] at row 0");
  });
});
