import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countAbove, countAtLeast } from '../../src/core/descending';

describe('counting in a descending array', () => {
  it('counts entries above and at least a value, ties included, as a linear count does', () => {
    expect(countAbove([0.9, 0.8, 0.8, 0.5], 0.8)).toBe(1);
    expect(countAtLeast([0.9, 0.8, 0.8, 0.5], 0.8)).toBe(3);
    expect(countAbove([], 1)).toBe(0);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 })), fc.integer({ min: -1, max: 10 }), (xs, x) => {
        const desc = Float64Array.from(xs).sort().reverse();
        expect(countAbove(desc, x)).toBe(xs.filter((v) => v > x).length);
        expect(countAtLeast(desc, x)).toBe(xs.filter((v) => v >= x).length);
      }),
    );
  });
});
