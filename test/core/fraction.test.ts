import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fraction } from '../../src/core/fraction';

describe('fraction', () => {
  it('reduces to lowest terms with a positive denominator', () => {
    expect(fraction(6, 12).toString()).toBe('1/2');
    expect(fraction(3, -9).toString()).toBe('-1/3');
    expect(fraction(-4, -8).toString()).toBe('1/2');
    expect(fraction(0, 7).toString()).toBe('0');
    expect(fraction(0, 7).den).toBe(1n);
    expect(fraction(10, 5).toString()).toBe('2');
    expect(fraction(96n, 192n).equals(fraction(1, 2))).toBe(true);
  });

  it('adds, subtracts, multiplies and divides exactly', () => {
    expect(fraction(1, 3).add(fraction(1, 6)).toString()).toBe('1/2');
    expect(fraction(1, 3).sub(fraction(1, 2)).toString()).toBe('-1/6');
    expect(fraction(2, 3).mul(fraction(9, 4)).toString()).toBe('3/2');
    expect(fraction(2, 3).div(fraction(4, 9)).toString()).toBe('3/2');
    // 1/10 + 2/10 = 3/10 exactly, unlike 0.1 + 0.2 in floating point.
    expect(fraction(1, 10).add(fraction(2, 10)).equals(fraction(3, 10))).toBe(true);
  });

  it('compares', () => {
    expect(fraction(1, 3).compare(fraction(1, 2))).toBe(-1);
    expect(fraction(2, 4).compare(fraction(1, 2))).toBe(0);
    expect(fraction(-1, 2).compare(fraction(-2, 3))).toBe(1);
    expect(fraction(1, 3).equals(fraction(1, 2))).toBe(false);
  });

  it('converts to a number, also beyond 2^53', () => {
    expect(fraction(1, 3).toNumber()).toBe(1 / 3);
    expect(fraction(-7, 8).toNumber()).toBe(-0.875);
    const big = 3n ** 60n; // about 4.2e28
    expect(fraction(big, 3n * big).toNumber()).toBe(1 / 3);
    expect(fraction(big + 1n, big).toNumber()).toBe(1);
    expect(fraction(2n ** 80n, 3n).toNumber()).toBeCloseTo(2 ** 80 / 3, -10);
    expect(fraction(1n, 2n ** 70n).toNumber()).toBe(2 ** -70);
  });

  it('serialises to JSON as its string', () => {
    expect(JSON.stringify({ accuracy: fraction(2, 6) })).toBe('{"accuracy":"1/3"}');
  });

  it('agrees with floating point on random small fractions (a + b, a * b)', () => {
    const frac = fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 1, max: 1000 }));
    fc.assert(
      fc.property(frac, frac, ([p, q], [r, s]) => {
        const sum = fraction(p, q).add(fraction(r, s)).toNumber();
        const product = fraction(p, q).mul(fraction(r, s)).toNumber();
        return Math.abs(sum - (p / q + r / s)) < 1e-9 && Math.abs(product - (p / q) * (r / s)) < 1e-9;
      }),
      { seed: 1 },
    );
  });

  it('rejects bad parts, naming them', () => {
    expect(() => fraction(1, 0)).toThrow(/'denominator' must not be 0/);
    expect(() => fraction(1.5, 2)).toThrow(/fraction: 'numerator' must be a safe integer or a bigint, got 1.5/);
    expect(() => fraction(1, Number.NaN)).toThrow(/'denominator' must be a safe integer/);
    expect(() => fraction(1, 2).div(fraction(0))).toThrow(/'other' must not be 0/);
  });
});
