import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../src/core/proportion';

// Expected bounds from the closed form evaluated independently in Python
// (statistics.NormalDist().inv_cdf for z).
describe('wilsonInterval', () => {
  it.each([
    [8, 10, 0.95, 0.49016247153664183, 0.9433178485456247],
    [50, 100, 0.95, 0.4038315303659957, 0.5961684696340044],
    [1, 3, 0.95, 0.06149194472039632, 0.7923403991979523],
    [333, 1000, 0.99, 0.2958230310037164, 0.37237841807402156],
    [5, 20, 0.9, 0.1273771685203578, 0.43220175016012446],
  ])('%i of %i at level %f', (s, n, level, lower, upper) => {
    const r = wilsonInterval(s, n, level);
    expect(r.estimate).toBe(s / n);
    expect(r.lower).toBeCloseTo(lower, 10);
    expect(r.upper).toBeCloseTo(upper, 10);
    expect(r).toMatchObject({ successes: s, trials: n, level });
  });

  it('stays inside [0, 1] and touches the end at 0 or n successes', () => {
    const none = wilsonInterval(0, 10);
    expect(none.lower).toBe(0);
    expect(none.upper).toBeCloseTo(0.27753279986288915, 10);
    const all = wilsonInterval(10, 10);
    expect(all.upper).toBe(1);
    expect(all.lower).toBeCloseTo(0.7224672001371109, 10);
  });

  it('defaults to 95% and narrows as trials grow', () => {
    expect(wilsonInterval(5, 10).level).toBe(0.95);
    const small = wilsonInterval(5, 10);
    const large = wilsonInterval(500, 1000);
    expect(large.upper - large.lower).toBeLessThan(small.upper - small.lower);
    // A higher level gives a wider interval for the same data.
    expect(wilsonInterval(5, 10, 0.99).upper).toBeGreaterThan(small.upper);
  });

  it('rejects bad arguments, naming them', () => {
    expect(() => wilsonInterval(1, 0)).toThrow(/wilsonInterval: 'trials' must be an integer >= 1, got 0/);
    expect(() => wilsonInterval(11, 10)).toThrow(/'successes' must be an integer >= 0 and <= 10, got 11/);
    expect(() => wilsonInterval(-1, 10)).toThrow(/'successes'/);
    expect(() => wilsonInterval(2.5, 10)).toThrow(/'successes' must be an integer/);
    expect(() => wilsonInterval(1, 10, 1)).toThrow(/'level' must be a number > 0 and < 1, got 1/);
    expect(() => wilsonInterval(1, 10, 0)).toThrow(/'level'/);
  });
});
