import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import { NB201_SIZE, nb201FromIndex, type Nb201Cell } from '../../src/spaces/nb201';
import { GeneticAlgorithm } from '../../src/strategies/evolution/genetic';
import { expectedImprovement } from '../../src/strategies/bayesopt/acquisition';
import { BayesOpt } from '../../src/strategies/bayesopt/bayesopt';
import { GaussianProcess } from '../../src/strategies/bayesopt/gp';
import { RegularizedEvolution, RegularizedEvolutionNoRepeat } from '../../src/strategies/evolution/regularized';
import { RandomSearch } from '../../src/strategies/random';
import { nb201Space, restrictSpace } from '../../src/spaces';
import { evaluationsToReach, runSearch } from '../../src/strategies/types';
import type { SearchSpace } from '../../src/spaces/types';
import { describeStrategy, toyScore } from './describeStrategy';

describeStrategy('RandomSearch', (dedupe) => new RandomSearch({ space: nb201Space({ dedupe }) }));
describeStrategy('RegularizedEvolution', (dedupe) => new RegularizedEvolution({ space: nb201Space({ dedupe }), population: 5, sample: 2 }), 30, true);
describeStrategy('RegularizedEvolutionNoRepeat', (dedupe) => new RegularizedEvolutionNoRepeat({ space: nb201Space({ dedupe }), population: 5, sample: 2 }));
describeStrategy('BayesOpt (EI)', (dedupe) => new BayesOpt({ space: nb201Space({ dedupe }), initial: 3 }), 12);
describeStrategy('BayesOpt (one-hot Matérn kernel)', (dedupe) => new BayesOpt({ space: nb201Space({ dedupe }), initial: 3, kernel: 'onehot' }), 12);
describeStrategy('BayesOpt (UCB)', (dedupe) => new BayesOpt({ space: nb201Space({ dedupe }), initial: 3, acquisition: 'ucb' }), 12);

/** A 1-D space of 6 points 0..5 (neighbours ±1) to check exhaustion and the evolution mechanics. */
const line: SearchSpace<number> & { candidates(): number[]; encode(a: number): number[] } = {
  sample: (rng) => rng.int(0, 6),
  neighbours: (a) => [a - 1, a + 1].filter((b) => b >= 0 && b < 6),
  key: (a) => String(a),
  candidates: () => [0, 1, 2, 3, 4, 5],
  encode: (a) => [a],
};

describe('runSearch', () => {
  it('returns one trial per evaluation with the running best', () => {
    const h = runSearch(new RandomSearch({ space: line }), (a) => [3, 1, 4, 1, 5, 9][a], { trials: 6, rng: createRng(1) });
    expect(h.map((t) => t.trial)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(h.map((t) => t.arch).sort()).toEqual([0, 1, 2, 3, 4, 5]); // exhausts the space without repeats
    expect(h[5].bestScore).toBe(9);
  });
  it('rejects bad options and a non-finite objective', () => {
    const s = new RandomSearch({ space: line });
    expect(() => runSearch(s, (a) => a, { trials: 0, rng: createRng(1) })).toThrow(/'opts.trials' must be an integer >= 1/);
    expect(() => runSearch(s, (a) => a, { trials: 2, rng: {} as never })).toThrow(/'rng' must be an Rng/);
    expect(() => runSearch({} as never, (a: number) => a, { trials: 2, rng: createRng(1) })).toThrow(/'strategy' must have ask, tell and best/);
    expect(() => runSearch(new RandomSearch({ space: line }), () => NaN, { trials: 2, rng: createRng(1) })).toThrow(/must return a finite number, got NaN at trial 0/);
  });
  it('evaluationsToReach counts evaluations up to the first score at or above the threshold', () => {
    const h = runSearch(new RandomSearch({ space: line }), (a) => a, { trials: 6, rng: createRng(2) });
    const first5 = h.findIndex((t) => t.score === 5) + 1;
    expect(evaluationsToReach(h, 5)).toBe(first5);
    expect(evaluationsToReach(h, 6)).toBeNull();
  });
  it('an exhausted space is a clear error', () => {
    const s = new RandomSearch({ space: line });
    runSearch(s, (a) => a, { trials: 6, rng: createRng(1) });
    expect(() => s.ask(createRng(1))).toThrow(/no unseen architecture left/);
  });
});

describe('RegularizedEvolution', () => {
  it('rejects a tournament larger than the population, naming both', () => {
    expect(() => new RegularizedEvolution({ space: line, population: 4, sample: 5 })).toThrow(/'sample' \(the tournament size\) must be at most 'population' = 4, got 5/);
    expect(() => new RegularizedEvolution({ space: line, population: 1 })).toThrow(/'population' must be an integer >= 2/);
    expect(() => new RegularizedEvolution({ space: line, sample: 0 })).toThrow(/'sample' must be an integer/);
    expect(() => new RegularizedEvolution({ space: {} as never })).toThrow(
      "RegularizedEvolution: 'space' lacks the 'sample' (sample, key) and 'neighbours' (neighbours) capabilities this strategy needs; it has no methods",
    );
  });
  it('first P asks are random, then each child is one mutation of a member; the oldest dies', () => {
    const space = nb201Space();
    const s = new RegularizedEvolution({ space, population: 4, sample: 4 });
    const rng = createRng(5);
    for (let i = 0; i < 4; i++) s.tell(s.ask(rng), i); // scores 0..3: the 4th is the best
    const pop = s.population();
    expect(pop.map((m) => [m.score, m.born])).toEqual([[0, 1], [1, 2], [2, 3], [3, 4]]);
    const child = s.ask(rng);
    expect(pop.some((m) => space.neighbours(m.arch).some((n) => space.key(n) === space.key(child)))).toBe(true);
    s.tell(child, -5);
    expect(s.population().map((m) => m.score)).toEqual([1, 2, 3, -5]); // score 0, the oldest, died (not -5, the worst)
  });
  it('the tournament draws S members with replacement (Real et al. 2019): the best of 4 is the parent with probability 1 − (3/4)^S', () => {
    const space = nb201Space();
    for (const S of [1, 2, 4]) {
      const s = new RegularizedEvolution({ space, population: 4, sample: S });
      const rng = createRng(`tournament-${S}`);
      for (let i = 0; i < 4; i++) s.tell(s.ask(rng), i);
      const pop = s.population();
      let fromBest = 0;
      const asks = 3000;
      for (let k = 0; k < asks; k++) {
        const child = space.key(s.ask(rng));
        const parents = pop.filter((m) => space.neighbours(m.arch).some((n) => space.key(n) === child));
        expect(parents.length).toBe(1); // these four random cells share no neighbour
        if (parents[0].score === 3) fromBest++;
      }
      expect(Math.abs(fromBest / asks - (1 - 0.75 ** S))).toBeLessThan(0.03);
    }
  });
  it('may evaluate an architecture again, as in the paper; the NoRepeat variant never does', () => {
    const repeats = (h: { arch: Nb201Cell }[]) => h.length - new Set(h.map((t) => t.arch.ops.join())).size;
    const real = runSearch(new RegularizedEvolution({ space: nb201Space(), population: 10, sample: 3 }), toyScore, { trials: 300, rng: createRng(2) });
    const noRepeat = runSearch(new RegularizedEvolutionNoRepeat({ space: nb201Space(), population: 10, sample: 3 }), toyScore, { trials: 300, rng: createRng(2) });
    expect(repeats(real)).toBeGreaterThan(0);
    expect(repeats(noRepeat)).toBe(0);
  });
  it('finds the optimum of the structured toy objective on NAS-Bench-201 cells', () => {
    const h = runSearch(new RegularizedEvolution({ space: nb201Space(), population: 10, sample: 3 }), toyScore, { trials: 400, rng: createRng(1) });
    const optimum = toyScore({ kind: 'nb201', ops: ['conv3x3', 'conv3x3', 'conv3x3', 'conv3x3', 'conv3x3', 'conv3x3'] });
    expect(h[h.length - 1].bestScore).toBe(optimum);
  });
});

describe('BayesOpt', () => {
  it('rejects bad options, naming the argument', () => {
    const space = nb201Space();
    expect(() => new BayesOpt({ space, initial: 0 })).toThrow(/'initial' must be an integer >= 1/);
    expect(() => new BayesOpt({ space, acquisition: 'pi' as never })).toThrow("BayesOpt: 'acquisition' must be a function (mean, std, best) => number, or 'ei' or 'ucb', got \"pi\"");
    expect(() => new BayesOpt({ space, kernel: 'rbf' as never })).toThrow(/BayesOpt: 'kernelType' must be one of/);
    expect(() => new BayesOpt({ space, noiseRatioBounds: [0, 1] })).toThrow(/BayesOpt: 'noiseRatioBounds' must be \[lowest, highest\] with 0 < lowest <= highest/);
    expect(() => new BayesOpt({ space: { sample: () => 0, neighbours: () => [], key: String } as never })).toThrow(
      "BayesOpt: 'space' lacks the 'candidates' (candidates, encode) capability this strategy needs; it has sample, neighbours, key",
    );
  });
  it('on a 1-D line it visits every point exactly once and then reports exhaustion', () => {
    const s = new BayesOpt({ space: line, initial: 2 });
    const h = runSearch(s, (a) => 5 - (a - 4) ** 2, { trials: 6, rng: createRng(1) });
    expect(h.map((t) => t.arch).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(s.best()).toEqual({ arch: 4, score: 5 });
    expect(() => s.ask(createRng(1))).toThrow(/no unseen architecture left|every candidate/);
  });
  it('beats random search on the toy objective within 25 evaluations (same seeds)', () => {
    const optimumGap = (h: { bestScore: number }[]) => h[h.length - 1].bestScore;
    let boWins = 0;
    for (let seed = 0; seed < 3; seed++) {
      const bo = runSearch(new BayesOpt({ space: nb201Space(), initial: 5 }), toyScore, { trials: 25, rng: createRng(seed) });
      const rs = runSearch(new RandomSearch({ space: nb201Space() }), toyScore, { trials: 25, rng: createRng(seed) });
      if (optimumGap(bo) > optimumGap(rs)) boWins++;
    }
    expect(boWins).toBe(3);
  });
  it('asks the unevaluated cell of largest EI under the marginal-likelihood GP (checked by brute force)', () => {
    const space = nb201Space();
    // 60 observations: enough that BayesOpt takes its Kronecker whole-grid path.
    const s = new BayesOpt({ space, initial: 100 });
    const h = runSearch(s, toyScore, { trials: 60, rng: createRng(9) });
    const chosen = new BayesOpt({ space, initial: 1 });
    h.forEach((t) => chosen.tell(t.arch, t.score));
    const asked = chosen.ask(createRng(0));

    const gp = new GaussianProcess().fit(h.map((t) => space.encode(t.arch)), h.map((t) => t.score));
    expect(chosen.lastModel()).toEqual(gp.fitted());
    const told = new Set(h.map((t) => space.key(t.arch)));
    const cands = space.candidates().filter((c) => !told.has(space.key(c)));
    const { mean, std } = gp.predict(cands.map((c) => space.encode(c)));
    const best = Math.max(...h.map((t) => t.score));
    const ei = cands.map((_, i) => expectedImprovement(mean[i], std[i], best));
    const top = Math.max(...ei);
    expect(top).toBeGreaterThan(0);
    expect(ei[cands.findIndex((c) => space.key(c) === space.key(asked))]).toBeCloseTo(top, 10);
  });
});

describe('BayesOpt with an acquisition passed as a function', () => {
  it('a greedy acquisition (the posterior mean) asks the unevaluated cell of largest mean', () => {
    const space = nb201Space();
    const h = runSearch(new RandomSearch({ space }), toyScore, { trials: 30, rng: createRng(4) });
    const greedy = new BayesOpt({ space, initial: 1, acquisition: (mean) => mean });
    h.forEach((t) => greedy.tell(t.arch, t.score));
    const asked = greedy.ask(createRng(0));
    const told = new Set(h.map((t) => space.key(t.arch)));
    const cands = space.candidates().filter((c) => !told.has(space.key(c)));
    const { mean } = new GaussianProcess().fit(h.map((t) => space.encode(t.arch)), h.map((t) => t.score)).predict(cands.map((c) => space.encode(c)));
    expect(mean[cands.findIndex((c) => space.key(c) === space.key(asked))]).toBeCloseTo(Math.max(...mean), 9);
  });
  it('an acquisition that returns NaN is a named error', () => {
    const s = new BayesOpt({ space: line, initial: 1, acquisition: () => NaN });
    s.tell(0, 1);
    expect(() => s.ask(createRng(0))).toThrow(/BayesOpt.ask: 'acquisition' returned NaN/);
  });
});

describe('restrictSpace', () => {
  it('samples, neighbours and candidates stay inside the kept set; searches never leave it', () => {
    const keep = (c: Nb201Cell) => !c.ops.includes('avgpool3x3');
    const space = restrictSpace(nb201Space(), keep);
    expect(space.candidates().length).toBe(4 ** 6);
    const h = runSearch(new RegularizedEvolution({ space, population: 5, sample: 2 }), toyScore, { trials: 60, rng: createRng(1) });
    expect(h.every((t) => keep(t.arch))).toBe(true);
    expect(space.neighbours(nb201FromIndex(0)).every(keep)).toBe(true);
    // Recombination can leave the kept set; the genetic algorithm breeds again when it does.
    expect(space.contains?.(nb201FromIndex(NB201_SIZE - 1))).toBe(false);
    const ga = runSearch(new GeneticAlgorithm({ space, population: 6 }), toyScore, { trials: 80, rng: createRng(2) });
    expect(ga.every((t) => keep(t.arch))).toBe(true);
  });
  it('rejects a filter that keeps nothing, and a space that cannot list itself', () => {
    expect(() => restrictSpace(nb201Space(), () => false)).toThrow("restrictSpace: 'keep' rejects every architecture of the space");
    expect(() => restrictSpace({} as never, () => true)).toThrow(/'space' must be a categorical space/);
  });
});
