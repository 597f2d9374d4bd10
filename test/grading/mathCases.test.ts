/**
 * Chapters 05-08: the reference solutions agree with the library on every hidden case (one idea,
 * one answer), and the hidden cases are well posed (finite answers).
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import { depthMaxLatency, sequentialLatency } from '../../src/estimation/latency/aggregate';
import { fitLinearLatency } from '../../src/estimation/latency/fit';
import { rankCorrelation, supernetPrediction } from '../../src/estimation/supernet/rankModel';
import { chapterCases } from '../../src/grading/cases';
import { spearman } from '../../src/core/stats';
import { jacobCovScore } from '../../src/estimation/zerocost/jacobCov';
import { bestConstrainedPath, type WeightedDag } from '../../src/strategies/darts/path';
import { projectionMultiplier, sparseProjection } from '../../src/strategies/darts/projection';
import * as darts from '../../solutions/05-darts';
import * as latency from '../../solutions/06-latency';
import * as supernets from '../../solutions/07-supernets';
import * as zeroCost from '../../solutions/08-zero-cost';

const seeds = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const hidden = (chapter: string, fn: string) => seeds.flatMap((seed) => chapterCases(chapter).hiddenInputs(createRng(seed)).filter((k) => k.fn === fn));

describe('chapter 05 hidden cases: solution = library', () => {
  it('projection multiplier and weights', () => {
    for (const k of hidden('05', 'projectionMultiplier')) {
      const [c, lambda] = k.args as [number[], number];
      expect(darts.projectionMultiplier(c, lambda)).toBeCloseTo(projectionMultiplier(c, lambda), 9);
      darts.sparseProjection(c, lambda).forEach((b, i) => expect(b).toBeCloseTo(sparseProjection(c, lambda).beta[i], 9));
    }
  });
  it('the ℓ_min path: a finite best log-weight, equal to the library DP', () => {
    for (const k of hidden('05', 'constrainedPathLogWeight')) {
      const [nodes, edges, lMin] = k.args as [number, WeightedDag['edges'], number];
      const mine = darts.constrainedPathLogWeight(nodes, edges as never, lMin);
      expect(Number.isFinite(mine)).toBe(true);
      expect(mine).toBeCloseTo(bestConstrainedPath({ nodes, edges }, lMin).logWeight, 9);
    }
  });
});

describe('chapter 06 hidden cases: solution = library', () => {
  it('aggregations over shuffled graphs', () => {
    for (const k of hidden('06', 'depthMaxLatency')) {
      const [ops] = k.args as [{ inputs: number[]; time: number }[]];
      expect(latency.depthMaxLatency(ops)).toBeCloseTo(depthMaxLatency(ops), 9);
      expect(latency.sequentialLatency(ops)).toBeCloseTo(sequentialLatency(ops), 9);
    }
  });
  it('the least-squares fit', () => {
    for (const k of hidden('06', 'fitLatency')) {
      const [samples] = k.args as [{ macs: number; outputSize: number; ms: number }[]];
      const lib = fitLinearLatency(samples.map((s) => ({ op: 'x', ...s })));
      const mine = latency.fitLatency(samples);
      expect(lib.dropped).toEqual([]);
      expect(mine.a / lib.a).toBeCloseTo(1, 6);
      expect(mine.b / lib.b).toBeCloseTo(1, 6);
      expect(mine.c / lib.c).toBeCloseTo(1, 6);
    }
  });
});

describe('chapter 07 hidden cases: solution = library', () => {
  it('p(E) and ρ(E)', () => {
    for (const k of hidden('07', 'rankCorrelation')) {
      const [s, q, e, lambda] = k.args as [number[], number[], number, number];
      expect(supernets.rankCorrelation(s, q, e, lambda)).toBeCloseTo(rankCorrelation(s, q, e, lambda), 9);
      supernets.supernetPrediction(s, q, e, lambda).forEach((p, i) => expect(p).toBeCloseTo(supernetPrediction(s, q, e, lambda)[i], 9));
    }
  });
});

describe('chapter 08 hidden cases: solution = library', () => {
  it('jacob_cov of the drawn rows and Spearman of the drawn tied samples', () => {
    for (const k of hidden('08', 'jacobCovScore')) {
      const [rows] = k.args as [number[][]];
      expect(zeroCost.jacobCovScore(rows) / jacobCovScore(rows)).toBeCloseTo(1, 9);
    }
    for (const k of hidden('08', 'spearman')) {
      const [x, y] = k.args as [number[], number[]];
      expect(zeroCost.spearman(x, y)).toBeCloseTo(spearman(x, y), 9);
    }
  });
  it('SynFlow saliencies obey the conservation law: every layer sums to R = 1ᵀ|W_L|…|W_1|1', () => {
    for (const k of hidden('08', 'synflowSaliency')) {
      const [weights] = k.args as [number[][][]];
      let h = new Array<number>(weights[0][0].length).fill(1);
      for (const W of weights) h = W.map((row) => row.reduce((s, w, j) => s + Math.abs(w) * h[j], 0));
      const R = h.reduce((a, b) => a + b, 0);
      for (const layer of zeroCost.synflowSaliency(weights)) expect(layer.flat().reduce((a, b) => a + b, 0) / R).toBeCloseTo(1, 9);
    }
  });
});
