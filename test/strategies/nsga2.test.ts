import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import { loadNasBench201 } from '../../src/benchmarks';
import { hypervolume, nonDominated, nonDominatedSort } from '../../src/pareto';
import { nb201Space } from '../../src/spaces';
import type { Nb201Cell } from '../../src/spaces/nb201';
import { RandomSearch } from '../../src/strategies/random';
import { RegularizedEvolution } from '../../src/strategies/evolution';
import { Nsga2 } from '../../src/strategies/nsga2';
import type { Objective, Scores } from '../../src/strategies/objectives';
import { compareParetoStrategies, hypervolumeCurve, runParetoSearch, weightedSumStrategy } from '../../src/strategies/paretoSearch';

const objectives: Objective[] = [
  { name: 'quality', direction: 'maximize' },
  { name: 'cost', direction: 'minimize' },
];
/** A toy trade-off: convolutions raise quality and cost; 'none' lowers both. */
function toy(cell: Nb201Cell): Scores {
  let quality = 0;
  let cost = 0;
  cell.ops.forEach((op, e) => {
    if (op === 'conv3x3') (quality += 3 + 0.1 * e), (cost += 9);
    if (op === 'conv1x1') (quality += 2), (cost += 1 + 0.05 * e);
    if (op === 'avgpool3x3') quality += 0.5;
    if (op === 'none') quality -= 1;
  });
  return { quality, cost };
}
const box = { objectives, ideal: [18.6, 0], reference: [-6, 54] };

describe('Nsga2', () => {
  it('same seed, same run; another seed, another run; no architecture evaluated twice', () => {
    const run = (seed: number) => runParetoSearch(new Nsga2({ space: nb201Space(), objectives, population: 8 }), toy, { trials: 60, rng: createRng(seed) });
    const key = (h: { arch: Nb201Cell }[]) => h.map((t) => t.arch.ops.join(','));
    expect(key(run(1))).toEqual(key(run(1)));
    expect(key(run(1))).not.toEqual(key(run(2)));
    expect(new Set(key(run(3))).size).toBe(60);
  });

  it('keeps μ survivors chosen by front then crowding, and reports the front of everything told', () => {
    const s = new Nsga2({ space: nb201Space(), objectives, population: 8 });
    const h = runParetoSearch(s, toy, { trials: 40, rng: createRng(5) });
    expect(s.generation).toBe(5); // the first population, then four of children
    const pop = s.population();
    expect(pop).toHaveLength(8);
    // Survivors' ranks are the fronts of the survivors' own union: rank 0 members are mutually non-dominated.
    const rank0 = pop.filter((m) => m.rank === 0).map((m) => [m.scores.quality, m.scores.cost]);
    expect(nonDominatedSort(rank0, { directions: ['maximize', 'minimize'] })).toHaveLength(1);
    const all = h.map((t) => [t.scores.quality, t.scores.cost]);
    const expected = nonDominated(all, { directions: ['maximize', 'minimize'] }).map((i) => h[i].arch.ops.join(','));
    expect(s.front().map((f) => f.arch.ops.join(','))).toEqual(expected);
  });

  it('finds more hypervolume than random search on the toy trade-off (20 seeds)', () => {
    const [nsga, random] = compareParetoStrategies(
      [
        ['NSGA-II', () => new Nsga2({ space: nb201Space(), objectives, population: 10 })],
        ['random', () => weightedSumStrategy(new RandomSearch({ space: nb201Space() }), { objectives, lambda: [1, 0], bounds: { lower: [-6, 0], upper: [18.6, 54] } })],
      ],
      toy,
      { box, seeds: 20, trials: 80 },
    );
    expect(nsga.final.estimate).toBeGreaterThan(random.final.estimate);
    expect(nsga.final.lower).toBeGreaterThan(random.final.estimate);
  });

  it('rejects bad options and scores, naming them', () => {
    expect(() => new Nsga2({ space: nb201Space(), objectives: [objectives[0]] })).toThrow("Nsga2: 'objectives' must have at least 2 items, got length 1");
    expect(() => new Nsga2({ space: nb201Space(), objectives: [objectives[0], { name: 'cost' } as never] })).toThrow(
      "Nsga2: 'objectives[1].direction' must be 'maximize' or 'minimize', got undefined",
    );
    expect(() => new Nsga2({ space: nb201Space(), objectives: [objectives[0], objectives[0]] })).toThrow("Nsga2: 'objectives' must have distinct names, \"quality\" appears twice");
    expect(() => new Nsga2({ space: { sample: () => 1, neighbours: () => [], key: String } as never, objectives })).toThrow("Nsga2: 'space' lacks the 'genes' (cardinalities, encode, decode) capability this strategy needs; it has sample, neighbours, key");
    const s = new Nsga2({ space: nb201Space(), objectives });
    expect(() => s.tell(s.ask(createRng(1)), { quality: 1 })).toThrow("Nsga2.tell: 'scores.cost' must be a finite number, got undefined");
    expect(() => s.tell(s.ask(createRng(1)), { quality: NaN, cost: 1 })).toThrow("Nsga2.tell: 'scores.quality' must be a finite number, got NaN");
  });
});

describe('weighted sums and hypervolume curves', () => {
  it('a weighted-sum strategy tells its inner strategy −J of the normalised scores', () => {
    const told: number[] = [];
    const inner = { ask: (rng: ReturnType<typeof createRng>) => nb201Space().sample(rng), tell: (_: Nb201Cell, score: number) => void told.push(score), best: () => null };
    const s = weightedSumStrategy(inner, { objectives, lambda: [0.5, 0.5], bounds: { lower: [0, 0], upper: [10, 20] } });
    s.tell(s.ask(createRng(1)), { quality: 10, cost: 5 });
    expect(told[0]).toBeCloseTo(-(0.5 * -1 + 0.5 * 0.25), 12);
    expect(() => weightedSumStrategy(inner, { objectives, lambda: [0.5, 0.6], bounds: { lower: [0, 0], upper: [1, 1] } })).toThrow(
      "weightedSumStrategy: 'lambda' must lie on the simplex (weights >= 0 summing to 1), got [0.5, 0.6] (sum 1.1)",
    );
  });

  it('the curve never falls, ends at the hypervolume of everything evaluated, and ignores trials beyond the reference', () => {
    const h = runParetoSearch(new Nsga2({ space: nb201Space(), objectives, population: 6 }), toy, { trials: 50, rng: createRng(9) });
    const curve = hypervolumeCurve(h, box);
    for (let t = 1; t < curve.length; t++) expect(curve[t]).toBeGreaterThanOrEqual(curve[t - 1]);
    const pts = h.map((t) => [t.scores.quality, t.scores.cost]);
    const dirs = ['maximize', 'minimize'] as const;
    expect(curve.at(-1)).toBeCloseTo(hypervolume(pts, box.reference, { directions: [...dirs] }) / hypervolume([box.ideal], box.reference, { directions: [...dirs] }), 12);
    const tight = hypervolumeCurve(h, { ...box, reference: [10, 20] });
    expect(tight.at(-1)).toBeGreaterThanOrEqual(0);
    expect(() => hypervolumeCurve(h, { ...box, ideal: [-10, 0] })).toThrow("hypervolumeCurve: 'box' must have ideal better than reference in every objective");
  });

  it('on NAS-Bench-201 (accuracy, parameters, FLOPs), NSGA-II ends with more hypervolume than random search over 20 seeds', () => {
    const t = loadNasBench201();
    const objs: Objective[] = [
      { name: 'accuracy', direction: 'maximize' },
      { name: 'params', direction: 'minimize' },
      { name: 'flops', direction: 'minimize' },
    ];
    const evaluate = (c: Nb201Cell): Scores => ({ accuracy: t.query(c, { dataset: 'cifar10', split: 'val' }), ...t.cost(c, { dataset: 'cifar10' }) });
    const b = { objectives: objs, ideal: [85, 7e4, 7.7e6], reference: [72, 3.5e5, 4.7e7] };
    const bounds = { lower: [9, 7e4, 7.7e6], upper: [85, 1.6e6, 2.3e8] };
    const [nsga, random, ws] = compareParetoStrategies(
      [
        ['NSGA-II', () => new Nsga2({ space: nb201Space(), objectives: objs, population: 10 })],
        ['random', () => weightedSumStrategy(new RandomSearch({ space: nb201Space() }), { objectives: objs, lambda: [1, 0, 0], bounds })],
        ['accuracy only', () => weightedSumStrategy(new RegularizedEvolution({ space: nb201Space() }), { objectives: objs, lambda: [1, 0, 0], bounds })],
      ],
      evaluate,
      { box: b, seeds: 20, trials: 150 },
    );
    expect(nsga.final.estimate).toBeGreaterThan(random.final.upper);
    expect(nsga.final.estimate).toBeGreaterThan(ws.final.upper);
  });
});
