import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  bootstrapCI,
  kendallTauB,
  rankAgreement,
  mean,
  meanCI,
  median,
  pairedBootstrapCI,
  pearson,
  quantile,
  rankAverage,
  spearman,
  std,
  variance,
} from '../../src/core/stats';
import { createRng } from '../../src/core/rng';

describe('mean, variance, std, median', () => {
  it('computes hand-checked values', () => {
    expect(mean([1, 2, 3, 6])).toBe(3);
    // Deviations from the mean 5: 9, 1, 1, 1, 0, 0, 4, 16 -> 32; sample variance divides by n - 1 = 7.
    expect(variance([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(32 / 7, 15);
    // The population std of this set would be 2; the sample std is sqrt(32/7).
    expect(std([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 15);
    expect(std([1, 3])).toBeCloseTo(Math.SQRT2, 15);
    expect(median([5, 1, 4, 2])).toBe(3);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([7])).toBe(7);
  });

  it('keeps precision when values share a large offset (two-pass variance)', () => {
    expect(variance([1e9 + 1, 1e9 + 2, 1e9 + 3])).toBeCloseTo(1, 9);
  });

  it('does not modify its input', () => {
    const xs = [3, 1, 2];
    median(xs);
    quantile(xs, 0.3);
    expect(xs).toEqual([3, 1, 2]);
  });

  it('rejects empty, short and non-finite input, naming the function and argument', () => {
    expect(() => mean([])).toThrow("mean: 'values' must have at least 1 item, got an empty array");
    expect(() => variance([1])).toThrow("variance: 'values' must have at least 2 items, got length 1");
    expect(() => std([1])).toThrow("std: 'values' must have at least 2 items");
    expect(() => median([1, NaN])).toThrow("median: 'values' must hold only finite numbers, got NaN at index 1");
    expect(() => mean([1, Infinity])).toThrow(TypeError);
    expect(() => mean('abc' as unknown as number[])).toThrow("mean: 'values' must be an array");
  });
});

describe('quantile (type 7, as numpy.quantile)', () => {
  it('matches numpy on small examples', () => {
    // numpy.quantile([1, 2, 3, 4], 0.25) == 1.75: h = 3 * 0.25 = 0.75 -> 1 + 0.75 * (2 - 1).
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    // Sorted [1, 2, 3, 4, 7, 10], h = 5 * 0.9 = 4.5 -> 7 + 0.5 * 3 = 8.5 (numpy: 8.5).
    expect(quantile([10, 7, 4, 3, 2, 1], 0.9)).toBe(8.5);
    // numpy: [1, 2.6666666666666665, 3.5, 10] for p = 0, 1/3, 0.5, 1.
    expect(quantile([10, 7, 4, 3, 2, 1], 0)).toBe(1);
    expect(quantile([10, 7, 4, 3, 2, 1], 1 / 3)).toBeCloseTo(8 / 3, 14);
    expect(quantile([10, 7, 4, 3, 2, 1], 0.5)).toBe(3.5);
    expect(quantile([10, 7, 4, 3, 2, 1], 1)).toBe(10);
    expect(quantile([3.5, -1, 2], 0.7)).toBeCloseTo(2.6, 14);
    expect(quantile([42], 0.3)).toBe(42);
  });

  it('is monotone in p and stays within [min, max]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (xs, p1, p2) => {
          const [a, b] = p1 <= p2 ? [p1, p2] : [p2, p1];
          const qa = quantile(xs, a);
          const qb = quantile(xs, b);
          return qa <= qb && qa >= Math.min(...xs) && qb <= Math.max(...xs);
        },
      ),
      { seed: 20240501 },
    );
  });

  it('rejects p outside [0, 1]', () => {
    expect(() => quantile([1, 2], 1.5)).toThrow("quantile: 'p' must be a number >= 0 and <= 1, got 1.5");
    expect(() => quantile([1, 2], NaN)).toThrow(TypeError);
  });
});

describe('rankAverage', () => {
  it('averages tied ranks (as scipy.stats.rankdata)', () => {
    expect(rankAverage([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
    // rankdata([3, 1, 3, 3, 2]) == [4, 1, 4, 4, 2]: the three 3s share ranks 3, 4, 5.
    expect(rankAverage([3, 1, 3, 3, 2])).toEqual([4, 1, 4, 4, 2]);
    expect(rankAverage([])).toEqual([]);
  });

  it('ranks sum to n(n+1)/2 for any input', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 40 }), (xs) => {
        const total = rankAverage(xs).reduce((s, r) => s + r, 0);
        return Math.abs(total - (xs.length * (xs.length + 1)) / 2) < 1e-9;
      }),
      { seed: 7 },
    );
  });
});

describe('pearson, spearman, kendallTauB', () => {
  it('pearson matches a hand computation', () => {
    // x deviations -1, 0, 1; y = [2, 4, 7] has mean 13/3, deviations -7/3, -1/3, 8/3.
    // Sxy = 7/3 + 8/3 = 5, Sxx = 2, Syy = 114/9, so r = 5 / sqrt(228/9) (scipy: 0.9933992677987828).
    expect(pearson([1, 2, 3], [2, 4, 7])).toBeCloseTo(5 / Math.sqrt(228 / 9), 15);
    expect(pearson([1, 2, 3, 4], [3, 5, 7, 9])).toBeCloseTo(1, 15);
    expect(pearson([1, 2, 3, 4], [9, 7, 5, 3])).toBeCloseTo(-1, 15);
  });

  it('spearman with ties: a hand-computed example', () => {
    // x = [1, 2, 2, 3] -> ranks [1, 2.5, 2.5, 4]; y = [1, 3, 2, 2] -> ranks [1, 4, 2.5, 2.5].
    // Both rank vectors have mean 2.5; deviations dx = [-1.5, 0, 0, 1.5], dy = [-1.5, 1.5, 0, 0].
    // Sxy = 2.25, Sxx = Syy = 4.5, so rho = 2.25 / 4.5 = 0.5 (scipy.stats.spearmanr agrees).
    // The no-ties shortcut 1 - 6*sum(d^2)/(n(n^2-1)) would give 1 - 6*4.5/60 = 0.55: wrong here.
    expect(spearman([1, 2, 2, 3], [1, 3, 2, 2])).toBeCloseTo(0.5, 15);
  });

  it('spearman matches the scipy documentation example', () => {
    // scipy.stats.spearmanr([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]) -> 0.8207826816681233 = 8 / sqrt(95).
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(0.8207826816681233, 15);
  });

  it('kendall tau-b with ties: a hand-computed example', () => {
    // Pairs of x = [1, 2, 2, 3], y = [1, 3, 2, 2]:
    // (0,1) (0,2) (0,3) concordant; (1,2) tied in x; (1,3) discordant; (2,3) tied in y.
    // C = 3, D = 1, n0 = 6, n1 = n2 = 1: tau-b = (3 - 1) / sqrt(5 * 5) = 0.4.
    expect(kendallTauB([1, 2, 2, 3], [1, 3, 2, 2])).toBeCloseTo(0.4, 15);
  });

  it('kendall tau-b matches the scipy documentation example', () => {
    // scipy.stats.kendalltau([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]) -> -0.47140452079103173.
    // By hand: C = 2, D = 6, n0 = 10, 2 pairs tied in x, 1 tied in y: -4 / sqrt(8 * 9) = -sqrt(2)/3.
    expect(kendallTauB([12, 2, 1, 12, 2], [1, 4, 7, 1, 0])).toBeCloseTo(-Math.SQRT2 / 3, 15);
  });

  it('kendall tau-b (merge-sort counting) equals counting every pair, with many ties', () => {
    const direct = (x: number[], y: number[]): number => {
      let [c, d, tx, ty] = [0, 0, 0, 0];
      for (let i = 0; i < x.length; i++) for (let j = i + 1; j < x.length; j++) {
        const s = Math.sign(x[i] - x[j]) * Math.sign(y[i] - y[j]);
        if (x[i] === x[j]) tx++;
        if (y[i] === y[j]) ty++;
        if (s > 0) c++;
        else if (s < 0) d++;
      }
      const n0 = (x.length * (x.length - 1)) / 2;
      return (c - d) / Math.sqrt((n0 - tx) * (n0 - ty));
    };
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })), { minLength: 2, maxLength: 60 }), (pairs) => {
        const [x, y] = [pairs.map((p) => p[0]), pairs.map((p) => p[1])];
        if (x.every((v) => v === x[0]) || y.every((v) => v === y[0])) return true;
        return Math.abs(kendallTauB(x, y) - direct(x, y)) < 1e-12;
      }),
      { seed: 12 },
    );
  });

  it('rankAgreement: both correlations with intervals around them, deterministic, named errors', () => {
    const rng = createRng(4);
    const x = Array.from({ length: 300 }, () => rng.normal());
    const y = x.map((v) => v + rng.normal());
    const a = rankAgreement(x, y, { rng: createRng('r'), resamples: 200 });
    expect(a.n).toBe(300);
    expect(a.spearman.estimate).toBe(spearman(x, y));
    expect(a.kendall.estimate).toBe(kendallTauB(x, y));
    // For a bivariate normal with r = 1/√2: τ = (2/π) asin(r) = 0.5, ρ_s = (6/π) asin(r/2) ≈ 0.683.
    expect(a.kendall.lower).toBeLessThan(0.5);
    expect(a.kendall.upper).toBeGreaterThan(0.5);
    expect(a.spearman.lower).toBeLessThan(0.683);
    expect(a.spearman.upper).toBeGreaterThan(0.683);
    expect(a.kendall.upper - a.kendall.lower).toBeLessThan(a.spearman.upper - a.spearman.lower); // τ is the smaller scale
    expect(rankAgreement(x, y, { rng: createRng('r'), resamples: 200 })).toEqual(a);
    expect(() => rankAgreement(x, y.slice(1), { rng: createRng(1) })).toThrow(/rankAgreement/);
    expect(() => rankAgreement(x, y, { rng: 3 as never })).toThrow(/'opts.rng'/);
  });

  it('rank correlations ignore monotone transforms; all stay in [-1, 1]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -20, max: 20 }), fc.integer({ min: -20, max: 20 })), { minLength: 3, maxLength: 25 }),
        (pairs) => {
          const x = pairs.map((p) => p[0]);
          const y = pairs.map((p) => p[1]);
          if (x.every((v) => v === x[0]) || y.every((v) => v === y[0])) return true;
          const xt = x.map((v) => Math.exp(v / 4)); // strictly increasing transform
          const s = spearman(x, y);
          const k = kendallTauB(x, y);
          return (
            Math.abs(spearman(xt, y) - s) < 1e-12 &&
            Math.abs(kendallTauB(xt, y) - k) < 1e-12 &&
            Math.abs(kendallTauB(y, x) - k) < 1e-12 &&
            Math.abs(kendallTauB(x, y.map((v) => -v)) + k) < 1e-12 &&
            Math.abs(s) <= 1 &&
            Math.abs(k) <= 1 &&
            Math.abs(pearson(x, y)) <= 1
          );
        },
      ),
      { seed: 11 },
    );
  });

  it('without ties, spearman equals the 1 - 6 sum d^2 / (n(n^2 - 1)) formula', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 30 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const rng = createRng(seed);
        const x = rng.shuffle(Array.from({ length: n }, (_, i) => i * 1.5));
        const y = rng.shuffle(Array.from({ length: n }, (_, i) => i - 7));
        const rx = rankAverage(x);
        const ry = rankAverage(y);
        const d2 = rx.reduce((s, r, i) => s + (r - ry[i]) ** 2, 0);
        return Math.abs(spearman(x, y) - (1 - (6 * d2) / (n * (n * n - 1)))) < 1e-12;
      }),
      { seed: 3 },
    );
  });

  it('throws on constant input, different lengths, short or non-finite input', () => {
    for (const [name, f] of [
      ['pearson', pearson],
      ['spearman', spearman],
      ['kendallTauB', kendallTauB],
    ] as const) {
      expect(() => f([1, 2, 3], [4, 4, 4])).toThrow(
        `${name}: 'y' must not be constant (all 3 values are 4); a correlation with a constant is undefined`,
      );
      expect(() => f([0.1, 0.1, 0.1], [1, 2, 3])).toThrow(`${name}: 'x' must not be constant`);
      expect(() => f([1, 2, 3], [1, 2])).toThrow(`${name}: 'x' and 'y' must have the same length, got 3 and 2`);
      expect(() => f([1], [2])).toThrow(`${name}: 'x' must have at least 2 items, got length 1`);
      expect(() => f([], [])).toThrow(`${name}: 'x' must have at least 2 items, got an empty array`);
      expect(() => f([1, NaN], [1, 2])).toThrow(`${name}: 'x' must hold only finite numbers, got NaN at index 1`);
    }
  });
});

describe('meanCI (Student-t interval)', () => {
  it('matches a hand computation', () => {
    // mean 3, s = sqrt(2.5), se = s / sqrt(5) = sqrt(0.5); t_{0.975, 4} = 2.7764451051977935.
    const ci = meanCI([1, 2, 3, 4, 5]);
    const half = 2.7764451051977935 * Math.sqrt(0.5);
    expect(ci.estimate).toBe(3);
    expect(ci.level).toBe(0.95);
    expect(ci.lower).toBeCloseTo(3 - half, 12);
    expect(ci.upper).toBeCloseTo(3 + half, 12);
  });

  it('uses the requested level', () => {
    // numpy: mean 3.357142857142857, 90% interval [2.402488337948547, 4.311797376337168]
    // with t_{0.95, 6} = 1.9431802805153026.
    const ci = meanCI([2.1, 3.4, 1.9, 5.6, 4.4, 3.3, 2.8], 0.9);
    expect(ci.estimate).toBeCloseTo(3.357142857142857, 14);
    expect(ci.lower).toBeCloseTo(2.402488337948547, 12);
    expect(ci.upper).toBeCloseTo(4.311797376337168, 12);
  });

  it('is a point for constant data (no NaN)', () => {
    expect(meanCI([2, 2, 2])).toEqual({ estimate: 2, lower: 2, upper: 2, level: 0.95 });
  });

  it('rejects bad input', () => {
    expect(() => meanCI([1])).toThrow("meanCI: 'values' must have at least 2 items, got length 1");
    expect(() => meanCI([1, 2], 1)).toThrow("meanCI: 'level' must be a number > 0 and < 1, got 1");
  });
});

describe('bootstrapCI', () => {
  const data = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5];

  it('is deterministic per seed and changes with the seed', () => {
    const a = bootstrapCI(data, mean, { rng: createRng(1), resamples: 500 });
    const b = bootstrapCI(data, mean, { rng: createRng(1), resamples: 500 });
    const c = bootstrapCI(data, mean, { rng: createRng(2), resamples: 500 });
    expect(a).toEqual(b);
    expect(c.lower === a.lower && c.upper === a.upper).toBe(false);
  });

  it('contains the estimate, which is the statistic on the full sample', () => {
    const ci = bootstrapCI(data, median, { rng: createRng(3) });
    expect(ci.estimate).toBe(4);
    expect(ci.lower).toBeLessThanOrEqual(ci.estimate);
    expect(ci.upper).toBeGreaterThanOrEqual(ci.estimate);
    expect(ci.level).toBe(0.95);
    const mci = bootstrapCI(data, mean, { rng: createRng(3) });
    expect(mci.estimate).toBeCloseTo(44 / 11, 14);
    expect(mci.lower).toBeLessThan(mci.estimate);
    expect(mci.upper).toBeGreaterThan(mci.estimate);
  });

  it('agrees with the t-interval for the mean of a large normal sample', () => {
    const rng = createRng(99);
    const xs = Array.from({ length: 400 }, () => rng.normal(10, 2));
    const t = meanCI(xs);
    const boot = bootstrapCI(xs, mean, { rng: createRng(5), resamples: 4000 });
    // Half-width is about 1.96 * 2 / 20 = 0.196; the two methods agree to a few percent of it.
    expect(t.upper - t.lower).toBeCloseTo(0.392, 1);
    expect(Math.abs(boot.lower - t.lower)).toBeLessThan(0.02);
    expect(Math.abs(boot.upper - t.upper)).toBeLessThan(0.02);
  });

  it('is narrower at a lower level', () => {
    const wide = bootstrapCI(data, mean, { rng: createRng(4), level: 0.95 });
    const narrow = bootstrapCI(data, mean, { rng: createRng(4), level: 0.5 });
    expect(narrow.upper - narrow.lower).toBeLessThan(wide.upper - wide.lower);
  });

  it('validates its arguments', () => {
    expect(() => bootstrapCI([1], mean, { rng: createRng(0) })).toThrow("bootstrapCI: 'values' must have at least 2 items");
    expect(() => bootstrapCI(data, mean, {} as never)).toThrow("bootstrapCI: 'opts.rng' must be an Rng (from createRng(seed)), got undefined");
    expect(() => bootstrapCI(data, mean, { rng: createRng(0), resamples: 5 })).toThrow(
      "bootstrapCI: 'opts.resamples' must be an integer >= 10, got 5",
    );
    expect(() => bootstrapCI(data, mean, { rng: createRng(0), level: 1 })).toThrow("bootstrapCI: 'opts.level' must be a number > 0 and < 1, got 1");
    expect(() => bootstrapCI(data, 'mean' as never, { rng: createRng(0) })).toThrow("bootstrapCI: 'statistic' must be a function");
    expect(() => bootstrapCI(data, () => NaN, { rng: createRng(0) })).toThrow(
      "bootstrapCI: 'statistic' must return a finite number on the full sample, got NaN",
    );
  });
});

describe('pairedBootstrapCI', () => {
  it('gives Spearman with an interval on correlated data, deterministically', () => {
    const rng = createRng(21);
    const x = Array.from({ length: 60 }, () => rng.normal());
    const y = x.map((v) => v + rng.normal(0, 0.3));
    const ci = pairedBootstrapCI(x, y, spearman, { rng: createRng(8), resamples: 1000 });
    expect(ci.estimate).toBe(spearman(x, y));
    expect(ci.lower).toBeLessThanOrEqual(ci.estimate);
    expect(ci.upper).toBeGreaterThanOrEqual(ci.estimate);
    expect(ci.lower).toBeGreaterThan(0.8);
    expect(ci.upper).toBeLessThanOrEqual(1);
    expect(pairedBootstrapCI(x, y, spearman, { rng: createRng(8), resamples: 1000 })).toEqual(ci);
  });

  it('keeps the pairing: an interval for independent data straddles 0', () => {
    const rng = createRng(22);
    const x = Array.from({ length: 80 }, () => rng.normal());
    const y = Array.from({ length: 80 }, () => rng.normal());
    const ci = pairedBootstrapCI(x, y, kendallTauB, { rng: createRng(9), resamples: 500 });
    expect(ci.lower).toBeLessThan(0);
    expect(ci.upper).toBeGreaterThan(0);
  });

  it('redraws resamples on which the correlation is undefined (tiny samples with ties)', () => {
    // With n = 4 and three equal x values, (3/4)^4 + (1/4)^4 ≈ 32% of resamples have constant x.
    let undefinedResamples = 0;
    const counted = (a: number[], b: number[]) => {
      try {
        return spearman(a, b);
      } catch (error) {
        undefinedResamples++;
        throw error;
      }
    };
    const ci = pairedBootstrapCI([1, 1, 1, 2], [1, 2, 3, 4], counted, { rng: createRng(1), resamples: 200 });
    expect(undefinedResamples).toBeGreaterThan(20);
    expect(Number.isFinite(ci.lower) && Number.isFinite(ci.upper)).toBe(true);
    // Ranks x: [2, 2, 2, 4], y: [1, 2, 3, 4]; Sxy = 3, Sxx = 3, Syy = 5, so rho = 3 / sqrt(15).
    expect(ci.estimate).toBeCloseTo(3 / Math.sqrt(15), 15);
  });

  it('gives up with a clear error when the statistic is almost never defined', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8];
    // Defined only on the original order, which a resample essentially never reproduces.
    const fragile = (a: number[]) => {
      if (a.some((v, i) => v !== x[i])) throw new Error('undefined here');
      return 1;
    };
    expect(() => pairedBootstrapCI(x, x, fragile, { rng: createRng(0), resamples: 20 })).toThrow(
      /pairedBootstrapCI: 'statistic' was undefined on 21 resamples while collecting 20 \(last problem: undefined here\)/,
    );
  });

  it('validates its arguments', () => {
    expect(() => pairedBootstrapCI([1, 2, 3], [1, 2], spearman, { rng: createRng(0) })).toThrow(
      "pairedBootstrapCI: 'x' and 'y' must have the same length, got 3 and 2",
    );
    expect(() => pairedBootstrapCI([1, 1, 1], [1, 2, 3], spearman, { rng: createRng(0) })).toThrow(
      "spearman: 'x' must not be constant",
    );
  });
});
