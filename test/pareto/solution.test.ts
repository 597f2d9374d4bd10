/**
 * The chapter-09 reference solution and the library say the same thing: one definition of
 * dominance, of the front and of the weighted-sum choice, written twice (once plainly for the
 * exercise, once at scale), checked against each other on random sets with ties.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dominates, nonDominated, weightedSumChoice } from '../../src/pareto';
import * as solution from '../../solutions/09-pareto';

const setArb = fc.integer({ min: 2, max: 4 }).chain((m) =>
  fc.record({
    points: fc.array(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: m, maxLength: m }), { minLength: 1, maxLength: 12 }),
    dirs: fc.array(fc.constantFrom<'maximize' | 'minimize'>('maximize', 'minimize'), { minLength: m, maxLength: m }),
  }),
);

describe('solutions/09-pareto agrees with src/pareto', () => {
  it('dominance and the front', () => {
    fc.assert(
      fc.property(setArb, ({ points, dirs }) => {
        expect(solution.nonDominatedIndices(points, dirs)).toEqual(nonDominated(points, { directions: dirs }));
        expect(solution.dominates(points[0], points[points.length - 1], dirs)).toBe(dominates(points[0], points[points.length - 1], { directions: dirs }));
      }),
      { seed: 9, numRuns: 300 },
    );
  });
  it('the weighted-sum choice scores the same J (ties may be broken differently: the library prefers a Pareto-optimal twin)', () => {
    fc.assert(
      fc.property(setArb, ({ points, dirs }) => {
        const lambda = dirs.map(() => 1 / dirs.length);
        const b = weightedSumChoice(points, lambda, { directions: dirs });
        // Put the library's choice first (a duplicate leaves the normalisation unchanged): the
        // solution keeps index 0 exactly when that point's J is the smallest.
        expect(solution.weightedSumChoice([points[b], ...points], lambda, dirs)).toBe(0);
      }),
      { seed: 10, numRuns: 300 },
    );
  });
});
