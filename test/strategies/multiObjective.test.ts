/**
 * Several objectives through the one loop: a toy NSGA-style strategy written against it, a
 * single-objective strategy run unchanged through a stated scalarisation, the history's front
 * flags, compareStrategies on hypervolume, and the named errors.
 */
import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../src/core/rng';
import { nonDominated } from '../../src/pareto/dominance';
import { nb201Space } from '../../src/spaces';
import type { Nb201Cell } from '../../src/spaces/nb201';
import { compareStrategies } from '../../src/strategies/compare';
import { EpsilonGreedy } from '../../src/strategies/bandit/epsilonGreedy';
import { BayesOpt } from '../../src/strategies/bayesopt/bayesopt';
import { GeneticAlgorithm } from '../../src/strategies/evolution/genetic';
import { RegularizedEvolution } from '../../src/strategies/evolution/regularized';
import { scalarized, weightedScalarization, type MultiObjectiveStrategy, type Objective, type Scores } from '../../src/strategies/objectives';
import { RandomSearch } from '../../src/strategies/random';
import { runSearch, runSearchAsync } from '../../src/strategies/types';
import { toyScore } from './describeStrategy';

const objectives: Objective[] = [
  { name: 'quality', direction: 'maximize' },
  { name: 'convs', direction: 'minimize' },
];
/** Two objectives in conflict: toyScore rewards conv3x3 edges, the second counts convolutions. */
const evaluate = (c: Nb201Cell): Scores => ({ quality: toyScore(c), convs: c.ops.filter((op) => op.startsWith('conv')).length });

/**
 * A toy NSGA-style strategy written only against the interface: random until `warmup` trials,
 * then a random neighbour of a random member of the current front.
 */
class FrontMutation implements MultiObjectiveStrategy<Nb201Cell> {
  readonly objectives = objectives;
  private readonly told: { arch: Nb201Cell; scores: Scores }[] = [];
  private readonly space = nb201Space();
  ask(rng: Rng): Nb201Cell {
    if (this.told.length < 10) return this.space.sample(rng);
    return rng.choice(this.space.neighbours(rng.choice(this.front()).arch));
  }
  tell(arch: Nb201Cell, scores: Scores): void {
    this.told.push({ arch, scores });
  }
  front() {
    const points = this.told.map((t) => [t.scores.quality, t.scores.convs]);
    return nonDominated(points, { directions: ['maximize', 'minimize'] }).map((i) => this.told[i]);
  }
}

const keyOf = (c: Nb201Cell) => c.ops.join(',');

describe('the multi-objective loop', () => {
  it('drives a toy NSGA-style strategy: scores recorded, front flags match a brute-force check, seeds repeat', () => {
    const h = runSearch(new FrontMutation(), evaluate, { trials: 60, rng: createRng(3) });
    expect(h).toHaveLength(60);
    h.forEach((t, i) => {
      expect(t.scores).toEqual(evaluate(t.arch));
      const upTo = h.slice(0, i + 1).map((u) => [u.scores.quality, u.scores.convs]);
      expect(t.nonDominated).toBe(nonDominated(upTo, { directions: ['maximize', 'minimize'] }).includes(i));
    });
    const again = runSearch(new FrontMutation(), evaluate, { trials: 60, rng: createRng(3) });
    expect(again.map((t) => keyOf(t.arch))).toEqual(h.map((t) => keyOf(t.arch)));
    // The front spans the trade-off: from no convolution to the best quality found.
    const front = new Set(h.filter((t) => t.nonDominated).map((t) => t.scores.convs));
    expect(front.size).toBeGreaterThanOrEqual(3);
  });

  it('runs a single-objective strategy unchanged through a stated scalarisation (same asks as the scalar loop)', () => {
    const scalar = weightedScalarization(objectives, [1, 0.5]);
    const multi = runSearch(scalarized(new RegularizedEvolution({ space: nb201Space(), population: 8, sample: 3 }), { objectives, scalarize: scalar }), evaluate, { trials: 50, rng: createRng(11) });
    const single = runSearch(new RegularizedEvolution({ space: nb201Space(), population: 8, sample: 3 }), (c) => scalar(evaluate(c)), { trials: 50, rng: createRng(11) });
    expect(multi.map((t) => keyOf(t.arch))).toEqual(single.map((t) => keyOf(t.arch)));
    expect(scalar({ quality: 10, convs: 4 })).toBe(10 - 0.5 * 4);
  });

  it('the async loop takes several objectives too', async () => {
    const h = await runSearchAsync(new FrontMutation(), async (c) => evaluate(c), { trials: 15, rng: createRng(3) });
    const sync = runSearch(new FrontMutation(), evaluate, { trials: 15, rng: createRng(3) });
    expect(h).toEqual(sync);
  });

  it('compareStrategies compares multi-objective strategies on hypervolume over the same seeds', () => {
    const box = { objectives, ideal: [14, 0], reference: [-6, 6] };
    const [toy, random] = compareStrategies(
      [
        ['front mutation', () => new FrontMutation()],
        ['random (scalarised)', () => scalarized(new RandomSearch({ space: nb201Space() }), { objectives, scalarize: weightedScalarization(objectives, [1, 1]) })],
      ],
      evaluate,
      { seeds: 8, trials: 60, threshold: 0.5, budget: 80, box },
    );
    expect(toy.band.mean).toHaveLength(60);
    for (const { band } of [toy, random]) band.mean.forEach((m, t) => t > 0 && expect(m).toBeGreaterThanOrEqual(band.mean[t - 1] - 1e-12));
    expect(toy.band.mean[59]).toBeGreaterThan(random.band.mean[59]);
    expect(toy.hit.evaluations).toHaveLength(8);
    expect(toy.hit.median).toBeLessThanOrEqual(random.hit.median);
  });
});

describe('multi-objective bad input, named', () => {
  it('an objective with no direction', () => {
    const broken = { ...new FrontMutation(), objectives: [objectives[0], { name: 'convs' }], ask: () => nb201Space().sample(createRng(0)), tell: () => undefined, front: () => [] };
    expect(() => runSearch(broken as never, evaluate, { trials: 1, rng: createRng(0) })).toThrow(
      "runSearch: strategy.objectives: 'objectives[1].direction' must be 'maximize' or 'minimize', got undefined",
    );
    expect(() => weightedScalarization([{ name: 'a' } as never], [1])).toThrow("weightedScalarization: 'objectives[0].direction' must be 'maximize' or 'minimize', got undefined");
  });
  it('scores missing an objective, and a scalarisation left unstated for several objectives', () => {
    expect(() => runSearch(new FrontMutation(), (c) => ({ quality: toyScore(c) }), { trials: 1, rng: createRng(0) })).toThrow(
      "runSearch (trial 0): 'scores.convs' must be a finite number, got undefined",
    );
    expect(() => scalarized(new RandomSearch({ space: nb201Space() }), { objectives })).toThrow(/'scalarize' must be given for 2 objectives/);
    expect(() => weightedScalarization(objectives, [1])).toThrow("weightedScalarization: 'weights' must have one entry per objective (2), got 1");
    expect(() => weightedScalarization(objectives, [1, -1])).toThrow("weightedScalarization: 'weights[1]' must be >= 0, got -1");
  });
});

describe('space capabilities', () => {
  /** Arms a bandit can pull: sampling only, no moves, no list. */
  const arms = { sample: (rng: Rng) => rng.int(0, 5), key: (a: number) => String(a) };
  it('a bandit needs only sampling: no fake neighbours', () => {
    const h = runSearch(new EpsilonGreedy({ space: arms, epsilon: 0.3 }), (a) => a / 4, { trials: 200, rng: createRng(1) });
    expect(h.filter((t) => t.arch === 4).length).toBeGreaterThan(100); // the best arm, pulled most once found
    expect(runSearch(new RandomSearch({ space: arms }), (a) => a, { trials: 3, rng: createRng(2) })).toHaveLength(3);
  });
  it('a strategy asked for a capability its space lacks names the capability', () => {
    expect(() => new RegularizedEvolution({ space: arms as never })).toThrow("RegularizedEvolution: 'space' lacks the 'neighbours' (neighbours) capability this strategy needs; it has sample, key");
    expect(() => new GeneticAlgorithm({ space: arms as never })).toThrow("GeneticAlgorithm: 'space' lacks the 'genes' (cardinalities, encode, decode) capability this strategy needs; it has sample, key");
    expect(() => new BayesOpt({ space: arms as never })).toThrow("BayesOpt: 'space' lacks the 'candidates' (candidates, encode) capability this strategy needs; it has sample, key");
    expect(() => new EpsilonGreedy({ space: { key: String } as never })).toThrow("EpsilonGreedy: 'space' lacks the 'sample' (sample, key) capability this strategy needs; it has key");
  });
});
