/**
 * Chapter 03 cases: penalized fitness, the winner of a tournament, one-point crossover at a given
 * cut, the parameter count of a dense MLP, the aging step, one-gene mutation and one whole
 * generation of regularized evolution. Points follow difficulty: a formula is worth 1, a loop or
 * a convention to get right 2, the generation that composes the pieces 3. Public
 * expected values were worked out by hand (the arithmetic is in each case's name or hint), not by
 * running the solution; hidden cases draw small populations, genomes and networks from the seed.
 */
import type { Rng } from '../../core/rng';
import type { Case, CaseInput, ChapterCases } from '../types';
import { roundTo } from './draw';

const FITNESS_HINT =
  'F = accuracy − lambda × complexity: subtract the penalty, do not divide or multiply the accuracy. ' +
  'With lambda = 0 the fitness is the accuracy; a large penalty may make it negative, which is fine.';
const TOURNAMENT_HINT =
  'Only the drawn contestants compete: loop over `contestants` (not over all of `scores`) and keep the index ' +
  'with the highest scores[i]. Start from the FIRST contestant (not from index 0 or score 0: scores may be negative), ' +
  'and replace it only on a strictly higher score, so the first drawn wins a tie. Return the population index.';
const CROSSOVER_HINT =
  'Child 1 = a.slice(0, cut) followed by b.slice(cut); child 2 = b.slice(0, cut) followed by a.slice(cut). ' +
  'Positions before the cut come from one parent, positions from the cut on from the other; cut = 0 or cut = length is allowed.';
const PARAMS_HINT =
  'List the layer sizes [inputs, ...widths, classes]. Each consecutive pair (m, n) is a dense layer with m·n weights ' +
  'and n biases (one per output unit). Do not forget the output layer, nor the biases; with no hidden layers there is one layer.';
const AGING_HINT =
  'The population is ordered oldest first. Put the child at the END, then remove from the FRONT while more than ' +
  'capacity members remain. Scores play no part: the oldest leaves even when it is the best. Return a new array.';

const MUTATE_HINT =
  'Copy the genes first (genes.slice()). The new value skips the current one: values below it keep their index, ' +
  'values above shift by one, so new = other < current ? other : other + 1. The new value is never the current one.';
const GENERATION_HINT =
  'Compose your functions: parent = population[tournamentWinner(population.map((m) => m.score), contestants)], ' +
  'genes = mutateGene(parent.genes, position, other), score = table[genes.join("-")], then ' +
  'agingStep(population, { genes, score }, capacity). The parent is not removed; the OLDEST member is.';

const m = (genes: number[], score: number) => ({ genes, score });

/** A small fitness table over two genes with values 0..3, keyed like the exercise: '2-0'. */
const TABLE_4x4: Record<string, number> = {
  '0-0': 0.5, '0-1': 0.9, '0-2': 0.2, '0-3': 0.35,
  '1-0': 0.6, '1-1': 0.8, '1-2': 0.7, '1-3': 0.15,
  '2-0': 0.45, '2-1': 0.25, '2-2': 0.95, '2-3': 0.3,
  '3-0': 0.55, '3-1': 0.65, '3-2': 0.1, '3-3': 0.5,
};

const publicCases: Case[] = [
  { name: 'penalizedFitness(0.95, 12.5, 0.002) = 0.95 − 0.025', fn: 'penalizedFitness', args: [0.95, 12.5, 0.002], expected: 0.925, tolerance: 1e-12, points: 1, hint: FITNESS_HINT },
  { name: 'penalizedFitness(λ = 0): the accuracy alone', fn: 'penalizedFitness', args: [0.9862, 9.53, 0], expected: 0.9862, tolerance: 1e-12, points: 1, hint: FITNESS_HINT },
  { name: 'penalizedFitness(0.95, 1.79, 0.02) = 0.95 − 0.0358', fn: 'penalizedFitness', args: [0.95, 1.79, 0.02], expected: 0.9142, tolerance: 1e-12, points: 1, hint: FITNESS_HINT },
  { name: 'penalizedFitness(0.5, 20, 0.05): a negative fitness', fn: 'penalizedFitness', args: [0.5, 20, 0.05], expected: -0.5, tolerance: 1e-12, points: 1, hint: FITNESS_HINT },
  { name: 'tournamentWinner: the best member was not drawn', fn: 'tournamentWinner', args: [[0.5, 0.9, 0.7], [0, 2]], expected: 2, points: 1, hint: TOURNAMENT_HINT },
  { name: 'tournamentWinner: a tie goes to the first drawn', fn: 'tournamentWinner', args: [[0.5, 0.9, 0.7, 0.9], [3, 0, 1]], expected: 3, points: 1, hint: TOURNAMENT_HINT },
  { name: 'tournamentWinner: one contestant', fn: 'tournamentWinner', args: [[0.2, 0.8], [0]], expected: 0, points: 1, hint: TOURNAMENT_HINT },
  { name: 'tournamentWinner: negative scores', fn: 'tournamentWinner', args: [[-0.3, -0.1, -0.2], [0, 2]], expected: 2, points: 1, hint: TOURNAMENT_HINT },
  { name: 'onePointCrossover([1,1,1], [2,2,2], cut 1)', fn: 'onePointCrossover', args: [[1, 1, 1], [2, 2, 2], 1], expected: [[1, 2, 2], [2, 1, 1]], points: 1, hint: CROSSOVER_HINT },
  { name: 'onePointCrossover([0,1,2,3], [4,5,6,7], cut 2)', fn: 'onePointCrossover', args: [[0, 1, 2, 3], [4, 5, 6, 7], 2], expected: [[0, 1, 6, 7], [4, 5, 2, 3]], points: 1, hint: CROSSOVER_HINT },
  { name: 'onePointCrossover(cut = length): copies', fn: 'onePointCrossover', args: [[3, 0, 4], [1, 2, 2], 3], expected: [[3, 0, 4], [1, 2, 2]], points: 1, hint: CROSSOVER_HINT },
  { name: 'onePointCrossover(cut = 0): swapped copies', fn: 'onePointCrossover', args: [[3, 0, 4], [1, 2, 2], 0], expected: [[1, 2, 2], [3, 0, 4]], points: 1, hint: CROSSOVER_HINT },
  {
    name: 'mlpParameterCount(64, [32, 16, 8], 10) = 2080 + 528 + 136 + 90',
    fn: 'mlpParameterCount',
    args: [64, [32, 16, 8], 10],
    expected: 2834,
    points: 2,
    hint: PARAMS_HINT,
  },
  { name: 'mlpParameterCount(64, [4, 4, 4], 10) = 260 + 20 + 20 + 50', fn: 'mlpParameterCount', args: [64, [4, 4, 4], 10], expected: 350, points: 2, hint: PARAMS_HINT },
  { name: 'mlpParameterCount(64, [64, 64, 64], 10) = 3·4160 + 650', fn: 'mlpParameterCount', args: [64, [64, 64, 64], 10], expected: 13130, points: 2, hint: PARAMS_HINT },
  { name: 'mlpParameterCount(2, [], 3): no hidden layer', fn: 'mlpParameterCount', args: [2, [], 3], expected: 9, points: 2, hint: PARAMS_HINT },
  { name: 'mlpParameterCount(784, [100], 10) = 78500 + 1010', fn: 'mlpParameterCount', args: [784, [100], 10], expected: 79510, points: 2, hint: PARAMS_HINT },
  {
    name: 'agingStep: the oldest leaves although it is the best',
    fn: 'agingStep',
    args: [[m([0], 0.9), m([1], 0.1)], m([2], 0.5), 2],
    expected: [m([1], 0.1), m([2], 0.5)],
    points: 2,
    hint: AGING_HINT,
  },
  {
    name: 'agingStep: a full population of 3 keeps its worst and the weak child',
    fn: 'agingStep',
    args: [[m([1, 1], 0.95), m([2, 2], 0.8), m([0, 3], 0.85)], m([4, 4], 0.1), 3],
    expected: [m([2, 2], 0.8), m([0, 3], 0.85), m([4, 4], 0.1)],
    points: 2,
    hint: AGING_HINT,
  },
  {
    name: 'agingStep: below capacity nobody leaves',
    fn: 'agingStep',
    args: [[m([0], 0.3), m([1], 0.6), m([2], 0.2)], m([3], 0.4), 5],
    expected: [m([0], 0.3), m([1], 0.6), m([2], 0.2), m([3], 0.4)],
    points: 2,
    hint: AGING_HINT,
  },
  { name: 'agingStep: an empty population', fn: 'agingStep', args: [[], m([7, 7], 0.5), 1], expected: [m([7, 7], 0.5)], points: 2, hint: AGING_HINT },
  { name: 'mutateGene([2,0,4], position 0, other 2): 3 (values other than 2: 0, 1, 3, 4)', fn: 'mutateGene', args: [[2, 0, 4], 0, 2], expected: [3, 0, 4], points: 2, hint: MUTATE_HINT },
  { name: 'mutateGene([2,0,4], position 0, other 1): below the current value', fn: 'mutateGene', args: [[2, 0, 4], 0, 1], expected: [1, 0, 4], points: 2, hint: MUTATE_HINT },
  { name: 'mutateGene([2,0,4], position 1, other 0): the current 0 is skipped', fn: 'mutateGene', args: [[2, 0, 4], 1, 0], expected: [2, 1, 4], points: 2, hint: MUTATE_HINT },
  { name: 'mutateGene([1,1,1], position 2, other 1): other = current gives current + 1', fn: 'mutateGene', args: [[1, 1, 1], 2, 1], expected: [1, 1, 2], points: 2, hint: MUTATE_HINT },
  {
    name: 'agingGeneration: parent [1,1] wins, child [0,1] (0.9) joins, the oldest leaves',
    fn: 'agingGeneration',
    args: [[m([0, 0], 0.5), m([1, 1], 0.8)], [0, 1], 0, 0, TABLE_4x4, 2],
    expected: [m([1, 1], 0.8), m([0, 1], 0.9)],
    points: 3,
    hint: GENERATION_HINT,
  },
  {
    name: 'agingGeneration: the best member was not drawn, and dies of age',
    fn: 'agingGeneration',
    args: [[m([2, 2], 0.95), m([0, 2], 0.2), m([1, 0], 0.6)], [1, 2], 1, 1, TABLE_4x4, 3],
    expected: [m([0, 2], 0.2), m([1, 0], 0.6), m([1, 2], 0.7)],
    points: 3,
    hint: GENERATION_HINT,
  },
  {
    name: 'agingGeneration: a tie goes to the first drawn; below capacity nobody leaves',
    fn: 'agingGeneration',
    args: [[m([0, 0], 0.5), m([1, 3], 0.15), m([3, 3], 0.5)], [2, 0], 0, 2, TABLE_4x4, 4],
    expected: [m([0, 0], 0.5), m([1, 3], 0.15), m([3, 3], 0.5), m([2, 3], 0.3)],
    points: 3,
    hint: GENERATION_HINT,
  },
];


function hiddenInputs(rng: Rng): CaseInput[] {
  const out: CaseInput[] = [];
  for (let i = 0; i < 3; i++) {
    const args = [roundTo(rng.uniform(0.1, 1), 4), roundTo(rng.uniform(0, 20), 3), rng.choice([0, 0.001, 0.005, 0.01, 0.02, 0.05, 0.1])];
    out.push({ name: `penalizedFitness #${i + 1}`, fn: 'penalizedFitness', args, tolerance: 1e-12, points: 1 });
  }
  for (let i = 0; i < 4; i++) {
    // Scores on a coarse grid (and sometimes negative), so ties between contestants are common.
    const n = rng.int(2, 10);
    const shift = i % 2 === 0 ? 0 : -0.5;
    const scores = Array.from({ length: n }, () => roundTo(rng.int(0, 5) / 10 + shift, 1));
    const contestants = rng.sample(Array.from({ length: n }, (_, k) => k), rng.int(1, n + 1));
    out.push({ name: `tournamentWinner (${n} members, ${contestants.length} drawn) #${i + 1}`, fn: 'tournamentWinner', args: [scores, contestants], points: 1 });
  }
  for (let i = 0; i < 3; i++) {
    const d = rng.int(1, 7);
    const a = Array.from({ length: d }, () => rng.int(0, 5));
    const b = Array.from({ length: d }, () => rng.int(0, 5));
    out.push({ name: `onePointCrossover (length ${d}) #${i + 1}`, fn: 'onePointCrossover', args: [a, b, rng.int(0, d + 1)], points: 1 });
  }
  for (let i = 0; i < 3; i++) {
    const widths = Array.from({ length: rng.int(0, 5) }, () => rng.int(1, 129));
    out.push({ name: `mlpParameterCount (${widths.length} hidden layers) #${i + 1}`, fn: 'mlpParameterCount', args: [rng.int(1, 100), widths, rng.int(1, 20)], points: 2 });
  }
  for (let i = 0; i < 3; i++) {
    const capacity = rng.int(1, 6);
    const member = () => ({ genes: Array.from({ length: 3 }, () => rng.int(0, 5)), score: roundTo(rng.uniform(), 3) });
    const population = Array.from({ length: rng.int(0, capacity + 1) }, member);
    out.push({ name: `agingStep (capacity ${capacity}, ${population.length} members) #${i + 1}`, fn: 'agingStep', args: [population, member(), capacity], points: 2 });
  }
  for (let i = 0; i < 3; i++) {
    const d = rng.int(1, 6);
    const genes = Array.from({ length: d }, () => rng.int(0, 5));
    out.push({ name: `mutateGene (length ${d}) #${i + 1}`, fn: 'mutateGene', args: [genes, rng.int(0, d), rng.int(0, 4)], points: 2 });
  }
  for (let i = 0; i < 3; i++) {
    // A full table over d genes with c values each, so every mutation lands on a scored genome.
    const d = rng.int(2, 4);
    const c = rng.int(3, 5);
    const keys: number[][] = [[]];
    for (let g = 0; g < d; g++) keys.splice(0, keys.length, ...keys.flatMap((k) => Array.from({ length: c }, (_, v) => [...k, v])));
    const table = Object.fromEntries(keys.map((k) => [k.join('-'), roundTo(rng.uniform(), 2)]));
    const capacity = rng.int(2, 6);
    const population = Array.from({ length: rng.int(1, capacity + 1) }, () => {
      const genes = rng.choice(keys);
      return { genes, score: table[genes.join('-')] };
    });
    const contestants = rng.sample(Array.from({ length: population.length }, (_, k) => k), rng.int(1, population.length + 1));
    out.push({
      name: `agingGeneration (${population.length} members, capacity ${capacity}) #${i + 1}`,
      fn: 'agingGeneration',
      args: [population, contestants, rng.int(0, d), rng.int(0, c - 1), table, capacity],
      points: 3,
    });
  }
  return out;
}

export const cases: ChapterCases = {
  chapter: '03',
  slug: 'evolution',
  functions: ['penalizedFitness', 'tournamentWinner', 'onePointCrossover', 'mlpParameterCount', 'agingStep', 'mutateGene', 'agingGeneration'],
  publicCases,
  hiddenInputs,
};
