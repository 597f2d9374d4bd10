import { describe, expect, it } from 'vitest';
import { binomial, binomialBig } from '../../src/core/combinatorics';

describe('binomial coefficients', () => {
  it('match Pascal\'s rule and the edges', () => {
    for (let n = 1; n <= 30; n++) {
      for (let k = 0; k <= n; k++) expect(binomial(n, k)).toBe((k > 0 ? binomial(n - 1, k - 1) : 0) + (k < n ? binomial(n - 1, k) : 0));
    }
    expect([binomial(0, 0), binomial(5, -1), binomial(5, 6), binomial(8, 3)]).toEqual([1, 0, 0, 56]);
  });
  it('are exact beyond 2^53 as bigints, and refuse to round as numbers', () => {
    expect(binomialBig(100, 50)).toBe(100891344545564193334812497256n);
    expect(() => binomial(100, 50)).toThrow(/exceeds 2\^53.*binomialBig/);
  });
  it('name a bad argument', () => {
    expect(() => binomial(-1, 0)).toThrow(/binomialBig: 'n' must be an integer >= 0/);
    expect(() => binomial(3, 1.5)).toThrow(/'k' must be an integer/);
  });
});
