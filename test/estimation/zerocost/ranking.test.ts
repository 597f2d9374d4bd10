import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/rng';
import { kendallTauB, spearman } from '../../../src/core/stats';
import { proxyRanking, topFractionPrecision } from '../../../src/estimation/zerocost/ranking';

describe('topFractionPrecision', () => {
  it('counts the overlap of the two top sets', () => {
    expect(topFractionPrecision([4, 3, 2, 1], [1, 3, 2, 4], 0.5)).toBe(0.5);
    expect(topFractionPrecision([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.3)).toBe(1);
    expect(topFractionPrecision([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.3)).toBe(0);
    expect(() => topFractionPrecision([1, 2], [1, 2, 3])).toThrow(/topFractionPrecision/);
    expect(() => topFractionPrecision([1, 2], [1, 2], 0.1)).toThrow(/'fraction'/);
  });
});

describe('proxyRanking', () => {
  it('ranks on the defined cells, counts the undefined ones, and brackets each estimate', () => {
    const rng = createRng(9);
    const acc = Array.from({ length: 400 }, () => rng.uniform(0.5, 0.9));
    const scores: (number | null)[] = acc.map((a, i) => (i % 50 === 0 ? null : a + rng.normal(0, 0.1)));
    scores[7] = -Infinity;
    const r = proxyRanking(scores, acc, { rng: createRng('p'), resamples: 100 });
    const kept = scores.flatMap((s, i) => (s !== null && Number.isFinite(s) ? [i] : []));
    expect(r.undefinedCells).toBe(9);
    expect(r.n).toBe(391);
    expect(r.spearman.estimate).toBe(spearman(kept.map((i) => scores[i] as number), kept.map((i) => acc[i])));
    expect(r.kendall.estimate).toBe(kendallTauB(kept.map((i) => scores[i] as number), kept.map((i) => acc[i])));
    expect(r.spearman.estimate).toBeGreaterThan(0.5);
    expect(r.kendall.lower).toBeLessThan(r.kendall.estimate);
    expect(r.kendall.upper).toBeGreaterThan(r.kendall.estimate);
    expect(r.topPrecision).toBeGreaterThan(0.1); // better than chance (0.1)
    expect(() => proxyRanking([1, 'a' as never], [1, 2], { rng: createRng(1) })).toThrow(/'scores\[1\]'/);
    expect(() => proxyRanking([1, 2], [1], { rng: createRng(1) })).toThrow(/proxyRanking/);
  });
});
