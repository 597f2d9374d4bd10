import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import { meanCI } from '../../src/core/stats';
import { bandSeparation, bestSoFarBand, comparisonRows, compareStrategies, curveBand, evaluationsToTarget, hittingSummary, repeatSearch, runSearchUntil, topThreshold, type CurveBand } from '../../src/strategies/compare';
import { RandomSearch } from '../../src/strategies/random';
import { nb201Space } from '../../src/spaces';
import { runSearch } from '../../src/strategies/types';
import { toyScore } from './describeStrategy';

const space = nb201Space();
const random = () => new RandomSearch({ space });

describe('comparing strategies over seeds', () => {
  it('repeatSearch: run s is runSearch with createRng(prefix-s)', () => {
    const runs = repeatSearch(random, toyScore, { seeds: 3, trials: 10, seedPrefix: 'x' });
    expect(runs.length).toBe(3);
    expect(runs[1]).toEqual(runSearch(random(), toyScore, { trials: 10, rng: createRng('x-1') }));
  });
  it('bestSoFarBand is the per-evaluation mean with its t interval, and never decreases for the best score', () => {
    const runs = repeatSearch(random, toyScore, { seeds: 8, trials: 20 });
    const band = bestSoFarBand(runs);
    const at5 = meanCI(runs.map((r) => r[4].bestScore));
    expect([band.mean[4], band.lower[4], band.upper[4]]).toEqual([at5.estimate, at5.lower, at5.upper]);
    for (let t = 1; t < 20; t++) expect(band.mean[t]).toBeGreaterThanOrEqual(band.mean[t - 1]);
    const regret = bestSoFarBand(runs, { value: (b) => 20 - b });
    expect(regret.mean[19]).toBeCloseTo(20 - band.mean[19], 12);
  });
  it('topThreshold is the ceil(fN)-th best score', () => {
    expect(topThreshold([1, 5, 3, 4], 0.5)).toEqual({ threshold: 4, count: 2 });
    expect(topThreshold([1, 5, 3, 4], 0.01)).toEqual({ threshold: 5, count: 1 });
  });
  it('runSearchUntil stops at the first hit; evaluationsToTarget counts misses as budget + 1', () => {
    const full = runSearch(random(), toyScore, { trials: 50, rng: createRng('run-0') });
    const threshold = full[30].score;
    const first = full.findIndex((t) => t.score >= threshold) + 1;
    expect(runSearchUntil(random(), toyScore, { threshold, budget: 50, rng: createRng('run-0') })).toBe(first);
    const never = evaluationsToTarget(random, toyScore, { threshold: 1e9, budget: 5, seeds: 3 });
    expect(never).toMatchObject({ evaluations: [6, 6, 6], median: 6, missed: 3, budget: 5 });
  });
  it('rejects too few runs and unequal runs, naming the argument', () => {
    const runs = repeatSearch(random, toyScore, { seeds: 2, trials: 5 });
    expect(() => bestSoFarBand([runs[0]])).toThrow(/'runs' must hold at least two histories/);
    expect(() => bestSoFarBand([runs[0], runs[1].slice(0, 3)])).toThrow("bestSoFarBand: every run must have 5 trials, run 1 has 3");
    expect(() => topThreshold([1, 2], 0)).toThrow(/'fraction' must be a number > 0/);
  });
});

describe('compareStrategies', () => {
  it('is bestSoFarBand over repeatSearch and evaluationsToTarget, per strategy, with the given seed prefixes', () => {
    const threshold = 5;
    const [r] = compareStrategies([['random', random]], toyScore, { seeds: 4, trials: 10, threshold, budget: 50, seedPrefix: (n) => `p-${n}` });
    expect(r.name).toBe('random');
    expect(r.band).toEqual(bestSoFarBand(repeatSearch(random, toyScore, { seeds: 4, trials: 10, seedPrefix: 'p-random' })));
    expect(r.hit).toEqual(evaluationsToTarget(random, toyScore, { threshold, budget: 50, seeds: 4, seedPrefix: 'p-random' }));
  });
});

describe('one run per seed serves the curve and the hitting time', () => {
  it('gives the numbers of separate runs whether the hit comes before or after the curve ends', () => {
    for (const [trials, budget, at] of [[10, 50, 30], [40, 20, 5], [5, 5, 2]] as const) {
      const full = runSearch(random(), toyScore, { trials: 50, rng: createRng('q-random-0') });
      const threshold = full[at].score;
      const [r] = compareStrategies([['random', random]], toyScore, { seeds: 3, trials, threshold, budget, seedPrefix: 'q-random' });
      expect(r.band).toEqual(bestSoFarBand(repeatSearch(random, toyScore, { seeds: 3, trials, seedPrefix: 'q-random' })));
      expect(r.hit).toEqual(evaluationsToTarget(random, toyScore, { threshold, budget, seeds: 3, seedPrefix: 'q-random' }));
    }
  });
  it('hittingSummary counts misses and takes quantiles', () => {
    expect(hittingSummary([3, 5, 401], 400)).toMatchObject({ median: 5, missed: 1, budget: 400, evaluations: [3, 5, 401] });
    expect(() => hittingSummary([], 4)).toThrow(/'evaluations'/);
  });
});

describe('bandSeparation', () => {
  const band = (lower: number[], upper: number[]): CurveBand => ({ evaluations: lower.map((_, i) => i + 1), mean: lower, lower, upper, level: 0.95 });
  it('is the first evaluation from which one band stays under the other to the end', () => {
    expect(bandSeparation(band([0, 0, 0], [5, 2, 1]), band([4, 3, 2], [6, 6, 6]))).toBe(2);
    // Separated early but touching again later: only the final stretch counts.
    expect(bandSeparation(band([0, 0, 0, 0], [1, 1, 3, 1]), band([2, 2, 2, 2], [6, 6, 6, 6]))).toBe(4);
    expect(bandSeparation(band([0, 0], [3, 3]), band([2, 2], [6, 6]))).toBeNull();
    expect(bandSeparation(band([0], [1]), band([2], [3]))).toBe(1);
  });
  it('rejects bands of different lengths', () => {
    expect(() => bandSeparation(band([0], [1]), band([2, 2], [3, 3]))).toThrow(/same length, got 1 and 2/);
  });
});

describe('curveBand and comparisonRows', () => {
  it('curveBand is the per-point mean with its t interval; bestSoFarBand is curveBand of the best scores', () => {
    const band = curveBand([[1, 2], [3, 4], [5, 9]]);
    expect(band.mean).toEqual([3, 5]);
    expect([band.lower[0], band.upper[0]]).toEqual([meanCI([1, 3, 5]).lower, meanCI([1, 3, 5]).upper]);
    expect(() => curveBand([[1, 2], [3]])).toThrow("curveBand: every curve must have 2 points, curve 1 has 1");
    expect(() => curveBand([[1, 2], [3, 4]], 1)).toThrow(/'level'/);
  });
  it('comparisonRows reports the curve at the chosen evaluations and the hitting summary', () => {
    const results = compareStrategies([['random', random]], toyScore, { seeds: 4, trials: 10, threshold: 5, budget: 50 });
    const [row] = comparisonRows(results, [5, 10]);
    expect(row).toMatchObject({ strategy: 'random', 'mean @ 5': results[0].band.mean[4], 'mean @ 10': results[0].band.mean[9],
      '95% low @ 10': results[0].band.lower[9], 'evaluations to target: median': results[0].hit.median, missed: `${results[0].hit.missed} of 4` });
    expect(() => comparisonRows(results, [11])).toThrow(/comparisonRows: 'at\[\]' must be an integer/);
  });
});

describe('exactRandomHitting', () => {
  it('matches a brute-force count over all orders of a small space, and the closed-form mean', async () => {
    const { exactRandomHitting } = await import('../../src/strategies/compare');
    expect(exactRandomHitting(100, 1)).toEqual({ median: 50, mean: 50.5 });
    // N = 6, K = 2: P(first hit at t) for t = 1..5 from the 15 placements of the two targets.
    const N = 6, K = 2;
    const firsts: number[] = [];
    for (let a = 0; a < N; a++) for (let b = a + 1; b < N; b++) firsts.push(a + 1);
    const mean = firsts.reduce((s, x) => s + x, 0) / firsts.length;
    expect(exactRandomHitting(N, K).mean).toBeCloseTo(mean, 12);
    const sorted = firsts.slice().sort((x, y) => x - y);
    expect(exactRandomHitting(N, K).median).toBe(sorted.findIndex((_, i) => (i + 1) / sorted.length >= 0.5) >= 0 ? sorted[Math.ceil(sorted.length / 2) - 1] : NaN);
    expect(() => exactRandomHitting(5, 6)).toThrow(/'K' must be an integer/);
  });
});
