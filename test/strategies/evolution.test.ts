import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import { GeneticAlgorithm } from '../../src/strategies/evolution/genetic';
import { mutateGenes, onePointCrossover, penalizedFitness, tournamentSelect } from '../../src/strategies/evolution/operators';
import { nb201Space, widthSpace } from '../../src/spaces';
import { runSearch } from '../../src/strategies/types';
import { describeStrategy, toyScore } from './describeStrategy';

describeStrategy('GeneticAlgorithm', (dedupe) => new GeneticAlgorithm({ space: nb201Space({ dedupe }), population: 8, tournament: 3 }));

describe('penalizedFitness', () => {
  it('is A − λS, and λ = 0 is the accuracy alone', () => {
    expect(penalizedFitness(0.95, 12.5, 0.002)).toBeCloseTo(0.925, 15);
    expect(penalizedFitness(0.95, 1e6, 0)).toBe(0.95);
  });
  it('rejects λ < 0 and a negative complexity, naming the argument', () => {
    expect(() => penalizedFitness(0.9, 10, -0.1)).toThrow("penalizedFitness: 'lambda' must be a number >= 0, got -0.1");
    expect(() => penalizedFitness(0.9, -1, 0.1)).toThrow("penalizedFitness: 'complexity' must be a number >= 0, got -1");
    expect(() => penalizedFitness(NaN, 1, 0.1)).toThrow(/'accuracy' must be a finite number/);
  });
});

describe('tournamentSelect', () => {
  const pop = [5, 1, 9, 3, 7].map((score, i) => ({ arch: `m${i}`, score }));
  it('a tournament of the whole population always returns the best; of 1, every member about equally often', () => {
    const rng = createRng(1);
    for (let i = 0; i < 20; i++) expect(tournamentSelect(pop, 5, rng).arch).toBe('m2');
    const counts = new Map<string, number>();
    for (let i = 0; i < 5000; i++) {
      const w = tournamentSelect(pop, 1, rng).arch;
      counts.set(w, (counts.get(w) ?? 0) + 1);
    }
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(120);
  });
  it('the probability of winning a size-k tournament matches the rank formula C(r-1, k-1)/C(n, k)', () => {
    // Member of rank r (1 = worst) wins when it is drawn and the other k-1 are worse: C(r-1,k-1)/C(5,k).
    const rng = createRng(2);
    const wins = new Map<string, number>();
    const N = 20000;
    for (let i = 0; i < N; i++) {
      const w = tournamentSelect(pop, 2, rng).arch;
      wins.set(w, (wins.get(w) ?? 0) + 1);
    }
    // Ranks (worst first): m1 (1), m3 (3), m0 (5), m4 (7), m2 (9); C(r-1,1)/C(5,2) = (r-1)/10.
    const expected: Record<string, number> = { m1: 0, m3: 0.1, m0: 0.2, m4: 0.3, m2: 0.4 };
    for (const [m, p] of Object.entries(expected)) expect(Math.abs((wins.get(m) ?? 0) / N - p)).toBeLessThan(0.015);
  });
  it('rejects a tournament larger than the population, naming both', () => {
    expect(() => tournamentSelect(pop, 6, createRng(0))).toThrow("tournamentSelect: 'size' (the tournament) must be at most the population (5), got 6");
    expect(() => tournamentSelect(pop, 0, createRng(0))).toThrow(/'size' must be an integer >= 1/);
    expect(() => tournamentSelect([], 1, createRng(0))).toThrow(/'population' must be a non-empty array/);
  });
});

describe('onePointCrossover', () => {
  it('children are a head of one parent and the tail of the other, and together keep every gene', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer(), (d, seed) => {
        const a = Array.from({ length: d }, (_, i) => i);
        const b = Array.from({ length: d }, (_, i) => 100 + i);
        const [c1, c2] = onePointCrossover(a, b, createRng(seed));
        const cut = c1.findIndex((g) => g >= 100);
        if (d === 1) return c1[0] === a[0] && c2[0] === b[0];
        // A real cut: 1..d-1, the same for both children.
        return cut >= 1 && cut < d && c1.every((g, i) => g === (i < cut ? a[i] : b[i])) && c2.every((g, i) => g === (i < cut ? b[i] : a[i]));
      }),
    );
  });
  it('every cut point occurs', () => {
    const rng = createRng(3);
    const cuts = new Set<number>();
    for (let i = 0; i < 200; i++) cuts.add(onePointCrossover([0, 0, 0, 0], [1, 1, 1, 1], rng)[0].indexOf(1));
    expect([...cuts].sort()).toEqual([1, 2, 3]);
  });
  it('rejects parents of different lengths', () => {
    expect(() => onePointCrossover([1, 2], [1, 2, 3], createRng(0))).toThrow("onePointCrossover: 'a' and 'b' must have the same length, got 2 and 3");
  });
});

describe('mutateGenes', () => {
  it('rate 0 changes nothing; rate 1 changes every gene to another valid value', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 2, max: 6 }), { minLength: 1, maxLength: 6 }), fc.integer(), (cards, seed) => {
        const rng = createRng(seed);
        const genes = cards.map((c) => rng.int(0, c));
        const same = mutateGenes(genes, cards, 0, rng);
        const all = mutateGenes(genes, cards, 1, rng);
        return same.every((g, i) => g === genes[i]) && all.every((g, i) => g !== genes[i] && g >= 0 && g < cards[i] && Number.isInteger(g));
      }),
    );
  });
  it('a changed gene is uniform over the other values', () => {
    const rng = createRng(4);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 9000; i++) counts[mutateGenes([1], [4], 1, rng)[0]]++;
    expect(counts[1]).toBe(0);
    for (const c of [counts[0], counts[2], counts[3]]) expect(Math.abs(c - 3000)).toBeLessThan(200);
  });
  it('rejects a rate outside [0, 1] and genes outside their range', () => {
    expect(() => mutateGenes([0], [2], 1.5, createRng(0))).toThrow("mutateGenes: 'rate' must be a number >= 0 and <= 1, got 1.5");
    expect(() => mutateGenes([2], [2], 0.5, createRng(0))).toThrow("mutateGenes: 'genes[0]' must be an integer >= 0 and <= 1, got 2");
  });
});

describe('GeneticAlgorithm', () => {
  it('rejects a tournament larger than the population and bad rates, naming the argument', () => {
    const space = widthSpace();
    expect(() => new GeneticAlgorithm({ space, population: 4, tournament: 5 })).toThrow("GeneticAlgorithm: 'tournament' must be at most 'population' = 4, got 5");
    expect(() => new GeneticAlgorithm({ space, mutationRate: -0.1 })).toThrow(/'mutationRate' must be a number >= 0 and <= 1/);
    expect(() => new GeneticAlgorithm({ space, elites: 20, population: 20 })).toThrow(/'elites' must be an integer >= 0 and <= 19/);
    expect(() => new GeneticAlgorithm({ space: { sample: () => 1, neighbours: () => [], key: String } as never })).toThrow(
      "GeneticAlgorithm: 'space' lacks the 'genes' (cardinalities, encode, decode) capability this strategy needs; it has sample, neighbours, key",
    );
  });
  it('keeps the elites: the best score never leaves the population', () => {
    const ga = new GeneticAlgorithm({ space: nb201Space(), population: 6, elites: 1 });
    const rng = createRng(5);
    let bestSoFar = -Infinity;
    let generation = 0;
    let checked = 0;
    for (let t = 0; t < 60; t++) {
      const c = ga.ask(rng);
      ga.tell(c, toyScore(c));
      bestSoFar = Math.max(bestSoFar, toyScore(c));
      if (ga.generation > generation) {
        // A generation just completed: its fittest is the best of everything told.
        generation = ga.generation;
        expect(ga.population()[0].score).toBe(bestSoFar);
        expect(ga.population().length).toBe(6);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3);
  });
  it('selection pressure: over 20 seeds it beats random search on the structured objective', () => {
    let wins = 0;
    for (let seed = 0; seed < 20; seed++) {
      const ga = runSearch(new GeneticAlgorithm({ space: nb201Space(), population: 10 }), toyScore, { trials: 80, rng: createRng(seed) });
      const rs = runSearch(new GeneticAlgorithm({ space: nb201Space(), population: 10, tournament: 1, crossoverRate: 0, mutationRate: 1 }), toyScore, { trials: 80, rng: createRng(seed) });
      if (ga[79].bestScore > rs[79].bestScore) wins++;
    }
    expect(wins).toBeGreaterThanOrEqual(15);
  });
  it('on the width genome, a larger λ makes the winner smaller', () => {
    const space = widthSpace();
    // A stand-in accuracy that saturates with size, so the penalty decides: the real one is in chapter 03.
    const acc = (g: number[]) => 1 - 1 / Math.sqrt(space.params(g));
    const winner = (lambda: number) => {
      const ga = new GeneticAlgorithm({ space, population: 10 });
      runSearch(ga, (g) => penalizedFitness(acc(g), space.params(g) / 1000, lambda), { trials: 60, rng: createRng(1) });
      return space.params(ga.best()!.arch);
    };
    const sizes = [0, 0.001, 0.01, 0.1].map(winner);
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeLessThanOrEqual(sizes[i - 1]);
    expect(sizes[3]).toBeLessThan(sizes[0]);
  });
});
