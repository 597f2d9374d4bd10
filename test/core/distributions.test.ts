import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  logGamma,
  normalCdf,
  normalPdf,
  normalQuantile,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTPdf,
  studentTQuantile,
} from '../../src/core/distributions';

// Reference values below were computed with mpmath at 30 significant digits (root-finding on the
// exact incomplete-beta CDF), not with scipy.stats.t.ppf, which is itself only good to ~1e-11.
const close = (actual: number, expected: number, rel = 1e-13) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));

describe('Student-t quantile', () => {
  it('matches textbook table values to 6 decimals', () => {
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.776445, 6);
    expect(studentTQuantile(0.975, 29)).toBeCloseTo(2.04523, 6);
    expect(studentTQuantile(0.975, 1e9)).toBeCloseTo(1.959964, 6);
    expect(studentTQuantile(0.975, Infinity)).toBeCloseTo(1.959964, 6);
  });

  it('matches 30-digit references to ~1e-13 relative', () => {
    close(studentTQuantile(0.975, 1), 12.706204736174693);
    close(studentTQuantile(0.975, 2), 4.302652729749462);
    close(studentTQuantile(0.975, 4), 2.7764451051977935);
    close(studentTQuantile(0.975, 29), 2.045229642132704);
    close(studentTQuantile(0.995, 10), 3.1692726726169507);
    close(studentTQuantile(0.025, 7.5), -2.3330396268649746);
    close(studentTQuantile(0.95, 3), 2.353363434801823);
    // Large df: Cornish-Fisher branch; the t quantile approaches the normal one from above.
    close(studentTQuantile(0.975, 1e6), 1.959966356814107, 1e-14);
  });

  it('is odd around p = 0.5 and inverts the CDF', () => {
    expect(studentTQuantile(0.5, 3)).toBe(0);
    fc.assert(
      fc.property(
        fc.double({ min: 1e-9, max: 1 - 1e-9, noNaN: true }),
        fc.constantFrom(1, 2, 3, 4.5, 10, 30, 300, 5000, 2e5, 1e7),
        (p, df) => {
          const t = studentTQuantile(p, df);
          const back = studentTCdf(t, df);
          // 1 - p rounds; 1 - (1 - p) is exact again, so compare the quantiles of p' and 1 - p'.
          const pc = 1 - p;
          const odd = Math.abs(studentTQuantile(pc, df) + studentTQuantile(1 - pc, df));
          return Math.abs(back - p) <= 1e-12 * Math.max(p, 1e-3) && odd <= 1e-14 * Math.abs(t) + 1e-300;
        },
      ),
      { seed: 5 },
    );
  });

  it('rejects p outside (0, 1) and non-positive df', () => {
    expect(() => studentTQuantile(1, 3)).toThrow("studentTQuantile: 'p' must be a number > 0 and < 1, got 1");
    expect(() => studentTQuantile(0.5, 0)).toThrow("studentTQuantile: 'df' must be a number > 0, got 0");
    expect(() => studentTQuantile(0.5, NaN)).toThrow(TypeError);
  });
});

describe('Student-t CDF and density', () => {
  it('matches closed forms and references', () => {
    // df = 1 is the Cauchy distribution: F(1) = 1/2 + atan(1)/π = 3/4.
    close(studentTCdf(1, 1), 0.75);
    // df = 2: F(t) = 1/2 + t / (2 sqrt(2 + t²)).
    close(studentTCdf(1, 2), 0.5 + 1 / (2 * Math.sqrt(3)));
    close(studentTCdf(-3, 3), 0.028834442811218654);
    close(studentTCdf(0.7, 29), 0.7552474256927582);
    expect(studentTCdf(0, 5)).toBe(0.5);
    close(studentTPdf(0, 1), 1 / Math.PI);
    // Γ(2) / (sqrt(3π) Γ(3/2)) · (1 + 1/3)^(-2)
    close(studentTPdf(1, 3), 0.20674833578317202);
    expect(studentTCdf(1.3, Infinity)).toBe(normalCdf(1.3));
  });
});

describe('normal distribution', () => {
  it('matches references, far into the tail', () => {
    close(normalQuantile(0.975), 1.959963984540054);
    close(normalQuantile(0.025), -1.959963984540054);
    expect(normalQuantile(0.5)).toBe(0);
    close(normalCdf(1), 0.8413447460685429);
    close(normalCdf(-5), 2.866515718791939e-7);
    close(normalCdf(-37), 5.725571222524577e-300, 1e-12);
    close(normalPdf(0), 0.3989422804014327);
  });

  it('quantile inverts the CDF', () => {
    // Rounding z by one ulp moves Φ(z) by a relative z²·ε, so that is the attainable accuracy
    // (2.8e-13 relative at p = 1e-300, where z ≈ -37).
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 0.5, noNaN: true }), (p) => {
        const z = normalQuantile(p);
        return Math.abs(normalCdf(z) - p) <= (2 + z * z) * 4e-16 * p;
      }),
      { seed: 9, examples: [[1e-300], [1e-100], [1e-20], [0.3]] },
    );
  });

  it('rejects bad input', () => {
    expect(() => normalQuantile(0)).toThrow("normalQuantile: 'p' must be a number > 0 and < 1, got 0");
    expect(() => normalCdf(NaN)).toThrow("normalCdf: 'z' must be a finite number, got NaN");
  });
});

describe('logGamma and the incomplete beta function', () => {
  it('matches references', () => {
    close(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-14);
    close(logGamma(5), Math.log(24), 1e-14);
    close(logGamma(100.5), 361.4355404677776, 1e-14);
    close(logGamma(1e-3), 6.907178885383854, 1e-14);
    // I_{1/2}(2, 3) = P(Binomial(4, 1/2) >= 2) = 11/16.
    close(regularizedIncompleteBeta(0.5, 2, 3), 0.6875);
    close(regularizedIncompleteBeta(0.01, 0.5, 30), 0.5606656310947488, 1e-12);
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
  });

  it('rejects arguments outside the domain', () => {
    expect(() => logGamma(0)).toThrow("logGamma: 'x' must be a number > 0, got 0");
    expect(() => regularizedIncompleteBeta(1.5, 1, 1)).toThrow("regularizedIncompleteBeta: 'x' must be a number >= 0 and <= 1, got 1.5");
    expect(() => regularizedIncompleteBeta(0.5, -1, 1)).toThrow("regularizedIncompleteBeta: 'a' must be a number > 0, got -1");
  });
});
