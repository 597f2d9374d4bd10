import { describe, it, expect } from 'vitest';
import { createRng, Rng } from '../../src/core/rng';
import { checkGrammarCell, createCellGrammar, grammarCellIndex } from '../../src/spaces/grammar';
import { isValidGrammarCell } from '../../src/spaces/grammarValidity';
import {
  rejectionSamplingExperiment,
  sampleGrammarCell,
  sampleValidCell,
  trialsToFirstSuccessCdf,
  trialsToFirstSuccessPmf,
} from '../../src/spaces/grammarSampling';

const OPS = ['conv3x3', 'conv1x1', 'maxpool3x3'];
const free3 = createCellGrammar({ kind: 'free', nodes: 3, ops: OPS });
const acyclic3 = createCellGrammar({ kind: 'acyclic', nodes: 3, ops: OPS });
const ZOPS = ['none', 'conv3x3', 'maxpool3x3'];
const acyclicZero3 = createCellGrammar({ kind: 'acyclic', nodes: 3, ops: ZOPS, zeroOp: 'none' });

describe('sampleGrammarCell', () => {
  it('draws cells of the grammar, the same ones for the same seed', () => {
    const draw = (seed: number) => Array.from({ length: 20 }, ((rng: Rng) => () => sampleGrammarCell(free3, rng))(createRng(seed)));
    const a = draw(7);
    expect(draw(7)).toEqual(a);
    expect(draw(8)).not.toEqual(a);
    for (const c of a) expect(checkGrammarCell(free3, c, 't')).toBe(c);
  });

  it('is uniform over the cells: each of the 3 cells of a 1-node grammar about a third of 3000 draws', () => {
    const g = createCellGrammar({ kind: 'free', nodes: 1, ops: ['a'] }); // sources I0, I1, n0
    const rng = createRng(1);
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[grammarCellIndex(g, sampleGrammarCell(g, rng))]++;
    // Binomial(3000, 1/3): sd ≈ 25.8, so ±100 is about 4 sd.
    for (const n of counts) expect(Math.abs(n - 1000)).toBeLessThan(100);
  });

  it('checks its arguments', () => {
    expect(() => sampleGrammarCell(free3, undefined as unknown as Rng)).toThrow(/sampleGrammarCell: 'rng' must be an Rng/);
    expect(() => sampleGrammarCell({ ...free3, nodes: 0 }, createRng(0))).toThrow(/sampleGrammarCell: 'grammar.nodes' must be an integer >= 1, got 0/);
  });
});

describe('sampleValidCell', () => {
  it('returns a valid cell and the number of draws, reproducibly per seed', () => {
    const runs = [0, 1, 2, 3, 4, 5].map((s) => sampleValidCell(free3, createRng(s)));
    expect([0, 1, 2, 3, 4, 5].map((s) => sampleValidCell(free3, createRng(s)))).toEqual(runs);
    for (const r of runs) {
      expect(isValidGrammarCell(free3, r.cell)).toBe(true);
      expect(Number.isInteger(r.trials) && r.trials >= 1).toBe(true);
    }
    // Different seeds do not all give the same cell.
    expect(new Set(runs.map((r) => JSON.stringify(r.cell))).size).toBeGreaterThan(1);
  });

  it('needs exactly one draw when every cell is valid', () => {
    for (let s = 0; s < 20; s++) expect(sampleValidCell(acyclic3, createRng(s)).trials).toBe(1);
  });

  it('the first cell the stream draws is returned when valid, otherwise a later one', () => {
    // Rejection sampling consumes the same stream as sampleGrammarCell, draw by draw.
    for (let s = 0; s < 10; s++) {
      const rng = createRng(s);
      const draws = Array.from({ length: 50 }, () => sampleGrammarCell(free3, rng));
      const first = draws.findIndex((c) => isValidGrammarCell(free3, c));
      expect(sampleValidCell(free3, createRng(s))).toEqual({ cell: draws[first], trials: first + 1 });
    }
  });

  it('stops with an error when no valid cell turns up', () => {
    const hopeless = createCellGrammar({ kind: 'acyclic', nodes: 2, ops: ['none'], zeroOp: 'none' });
    expect(() => sampleValidCell(hopeless, createRng(0), { maxTrials: 50 })).toThrow(/sampleValidCell: no valid cell in 50 draws/);
    expect(() => sampleValidCell(free3, createRng(0), { maxTrials: 0 })).toThrow(/'opts.maxTrials' must be an integer >= 1, got 0/);
  });
});

describe('trials to the first success', () => {
  it('geometric pmf and cdf (hand-computed for p = 0.4)', () => {
    expect(trialsToFirstSuccessPmf(0.4, 1)).toBeCloseTo(0.4, 15);
    expect(trialsToFirstSuccessPmf(0.4, 2)).toBeCloseTo(0.24, 15);
    expect(trialsToFirstSuccessPmf(0.4, 3)).toBeCloseTo(0.144, 15);
    expect(trialsToFirstSuccessCdf(0.4, 3)).toBeCloseTo(1 - 0.216, 15);
    expect(trialsToFirstSuccessCdf(0.4, 0)).toBe(0);
    expect(trialsToFirstSuccessPmf(1, 1)).toBe(1);
    expect(() => trialsToFirstSuccessPmf(0, 1)).toThrow(/'p' must be a number > 0 and <= 1, got 0/);
    expect(() => trialsToFirstSuccessPmf(0.5, 0)).toThrow(/'t' must be an integer >= 1, got 0/);
  });
});

describe('rejectionSamplingExperiment', () => {
  it('free grammar, 200 seeds: the mean number of draws has 1/p = 2.5 inside its 95% interval', () => {
    const e = rejectionSamplingExperiment(free3, { seeds: 200 });
    expect(e.acceptance).toBe(0.4);
    expect(e.expected).toBe(2.5);
    expect(e.trials).toHaveLength(200);
    expect(e.lower).toBeLessThanOrEqual(2.5);
    expect(e.upper).toBeGreaterThanOrEqual(2.5);
    expect(e.agrees).toBe(true);
    // The interval is mean ± t·s/√n with t = t_{0.975, 199} = 1.97196 (scipy).
    expect((e.upper - e.lower) / 2).toBeCloseTo((1.9719565442517533 * e.std) / Math.sqrt(200), 6);
    expect(e.mean).toBeCloseTo(e.trials.reduce((a, b) => a + b, 0) / 200, 12);
    // Same seeds, same run.
    expect(rejectionSamplingExperiment(free3, { seeds: 200 })).toEqual(e);
  });

  it('zero-op acyclic grammar: mean draws near 1/p = 648/352 and a histogram that sums to 1', () => {
    const e = rejectionSamplingExperiment(acyclicZero3, { seeds: 200 });
    expect(e.expected).toBeCloseTo(648 / 352, 12);
    expect(e.agrees).toBe(true);
    const { t, observed, geometric } = e.histogram;
    expect(t[0]).toBe(1);
    expect(t[t.length - 1]).toBe(Math.max(...e.trials));
    expect(observed.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(geometric[0]).toBeCloseTo(352 / 648, 12);
  });

  it('every cell valid: all trials 1 and a zero-width interval at 1', () => {
    const e = rejectionSamplingExperiment(acyclic3, { seeds: 10 });
    expect(e).toMatchObject({ mean: 1, std: 0, lower: 1, upper: 1, expected: 1, agrees: true });
  });

  it('checks its options', () => {
    expect(() => rejectionSamplingExperiment(free3, { seeds: 1 })).toThrow(/'opts.seeds' must be an integer >= 2, got 1/);
    expect(() => rejectionSamplingExperiment(free3, { seeds: 10, level: 1 })).toThrow(/'opts.level' must be a number > 0 and < 1, got 1/);
    expect(() => rejectionSamplingExperiment(free3, { seeds: 10, rule: { inputs: 'all' } })).toThrow(/has no valid cell under this rule/);
  });
});
