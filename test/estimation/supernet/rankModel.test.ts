import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/rng';
import { spearman } from '../../../src/core/stats';
import {
  correlatedBias,
  fitRankModel,
  fitRankModelLambda,
  mixingWeight,
  rankCorrelation,
  rankCorrelationCurve,
  supernetPrediction,
} from '../../../src/estimation/supernet/rankModel';

const rng = createRng('rank-model');
/** 300 stand-alone accuracies in [60, 95]. */
const s = Array.from({ length: 300 }, () => 60 + 35 * rng.uniform());

describe('the rank model p(E) = α(E)s + (1 − α(E))q', () => {
  it('α(E) = E/(E + λ): 0 untrained, 1/2 at E = λ, towards 1', () => {
    expect(mixingWeight(0, 3)).toBe(0);
    expect(mixingWeight(3, 3)).toBe(0.5);
    expect(mixingWeight(3000, 3)).toBeCloseTo(0.999, 3);
    expect(supernetPrediction([90, 80], [70, 95], 5, 5)).toEqual([80, 87.5]);
  });
  it('q = s: ρ = 1 at every budget', () => {
    for (const e of [0, 0.5, 3, 100]) expect(rankCorrelation(s, s, e, 2)).toBeCloseTo(1, 12);
  });
  it('q = −s: ρ = −1 before E = λ, 0 at E = λ (every architecture tied), 1 after', () => {
    const q = s.map((x) => -x);
    expect(rankCorrelationCurve(s, q, [0, 1, 1.99, 2, 2.01, 50], 2)).toEqual([-1, -1, -1, 0, 1, 1]);
  });
  it('ρ(0) = Spearman(q, s), whatever λ; ρ starts negative exactly when q is anti-correlated in rank', () => {
    const r = createRng('biases');
    for (let t = 0; t < 50; t++) {
      const q = correlatedBias(s, r.uniform(-1, 1), r);
      const rho0 = rankCorrelation(s, q, 0, r.uniform(0.1, 10));
      expect(rho0).toBe(spearman(q, s));
      expect(rho0 < 0).toBe(spearman(q, s) < 0);
    }
  });
  it('the ranking depends on E/λ only: (E, λ) and (kE, kλ) give the same ρ', () => {
    const q = correlatedBias(s, -0.6, createRng(1));
    for (const [e, lambda] of [[1, 2], [5, 3], [0.2, 7]]) {
      for (const k of [0.1, 3, 40]) expect(rankCorrelation(s, q, k * e, k * lambda)).toBeCloseTo(rankCorrelation(s, q, e, lambda), 12);
    }
  });
  it('λ → 0 ranks like s as soon as E > 0; λ → ∞ stays at ρ(q, s)', () => {
    const q = correlatedBias(s, -0.5, createRng(2));
    expect(rankCorrelation(s, q, 1, 1e-9)).toBeCloseTo(1, 12);
    expect(rankCorrelation(s, q, 1000, 1e12)).toBeCloseTo(spearman(q, s), 12);
  });
  it('with a negatively correlated bias, ρ rises from negative to near 1 as training grows', () => {
    const q = correlatedBias(s, -0.7, createRng(3));
    const curve = rankCorrelationCurve(s, q, [0, 1, 2, 4, 8, 16, 64, 1024], 4);
    expect(curve[0]).toBeLessThan(-0.5);
    curve.slice(1).forEach((rho, i) => expect(rho).toBeGreaterThanOrEqual(curve[i] - 0.02));
    expect(curve[curve.length - 1]).toBeGreaterThan(0.99);
  });
  it('correlatedBias has Pearson correlation r with s and s\'s spread', () => {
    for (const r of [-1, -0.3, 0, 0.8, 1]) {
      const q = correlatedBias(s, r, createRng(4));
      const m = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const cov = m(q.map((x, i) => (x - m(q)) * (s[i] - m(s))));
      const sd = (xs: number[]) => Math.sqrt(m(xs.map((x) => (x - m(xs)) ** 2)));
      expect(cov / (sd(q) * sd(s))).toBeCloseTo(r, 10);
      expect(sd(q)).toBeCloseTo(sd(s), 8);
    }
  });
  it('fitRankModelLambda recovers λ from a curve the model made (to 25%, near-zero error)', () => {
    const q = correlatedBias(s, -0.4, createRng(5));
    const epochs = [0, 1, 2, 4, 8, 16, 32];
    for (const lambda of [0.5, 3, 20]) {
      const fit = fitRankModelLambda({ epochs, rho: rankCorrelationCurve(s, q, epochs, lambda), s }, q);
      expect(fit.sse).toBeLessThan(1e-4);
      expect(fit.lambda / lambda).toBeGreaterThan(0.8);
      expect(fit.lambda / lambda).toBeLessThan(1.25);
    }
  });
  it('fitRankModel recovers both λ and the bias correlation from a curve of the same model family', () => {
    const q = correlatedBias(s, -0.5, createRng(6));
    const epochs = [0, 1, 2, 4, 8, 16, 32];
    const fit = fitRankModel({ epochs, rho: rankCorrelationCurve(s, q, epochs, 5), s }, { rng: createRng(7) });
    expect(fit.biasCorrelation).toBeCloseTo(spearman(q, s), 1);
    expect(fit.lambda).toBeGreaterThan(3);
    expect(fit.lambda).toBeLessThan(8);
    expect(fit.sse).toBeLessThan(0.01);
    expect(fitRankModel({ epochs, rho: rankCorrelationCurve(s, q, epochs, 5), s }, { rng: createRng(7) })).toEqual(fit);
  });
  it('rejects E < 0, λ <= 0, s and q of different lengths, and a bad curve', () => {
    expect(() => rankCorrelation([1, 2], [2, 1], -1, 1)).toThrow("supernetPrediction: 'epochs' must be a number >= 0, got -1");
    expect(() => rankCorrelation([1, 2], [2, 1], 1, 0)).toThrow("supernetPrediction: 'lambda' must be a number > 0, got 0");
    expect(() => mixingWeight(1, -2)).toThrow("mixingWeight: 'lambda' must be a number > 0, got -2");
    expect(() => rankCorrelation([1, 2, 3], [2, 1], 1, 1)).toThrow("supernetPrediction: 's' and 'q' must have the same length, got 3 and 2");
    expect(() => rankCorrelationCurve([1, 2], [2, 1], [0, -3], 1)).toThrow("rankCorrelationCurve: 'epochs[1]' must be a number >= 0, got -3");
    expect(() => fitRankModelLambda({ epochs: [0, 1], rho: [0.5], s: [1, 2] }, [2, 1])).toThrow("fitRankModelLambda: 'curve.epochs' and 'curve.rho' must have the same length, got 2 and 1");
    expect(() => fitRankModelLambda({ epochs: [0], rho: [1.5], s: [1, 2] }, [2, 1])).toThrow("fitRankModelLambda: 'curve.rho[0]' must be a number >= -1 and <= 1, got 1.5");
    expect(() => fitRankModel({ epochs: [0], rho: [0.5], s: [1, 2, 3] }, {} as never)).toThrow("fitRankModel: 'opts.rng' must be an Rng");
    expect(() => correlatedBias([1, 1, 1], 0.5, createRng(0))).toThrow("correlatedBias: 's' must not be constant");
  });
});
