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
  'The penalty is subtracted from the accuracy: check the sign, and which argument λ scales.';
const FITNESS_MORE =
  'F_λ(x) = A(x) − λ·S(x): the complexity is scaled by λ and taken away from the accuracy. With λ = 0 the fitness is the accuracy itself; a large λ may push it below zero, which is allowed.';
const TOURNAMENT_HINT =
  'Only the drawn contestants compete, and the answer is an index into the population. Look at ties and at negative scores.';
const TOURNAMENT_MORE =
  'Go through the contestants in the order they were drawn, remembering the best so far. Start from the first contestant itself (a starting score of 0, or index 0, is wrong when scores are negative or member 0 was not drawn), and a later one takes over only when it is strictly better, so the first drawn keeps a tie.';
const CROSSOVER_HINT =
  'Each child takes the genes before the cut from one parent and the genes from the cut on from the other; the parents stay as they were.';
const CROSSOVER_MORE =
  'With cut c, the first child is a\'s first c genes followed by b\'s genes from position c on, and the second child is the mirror image. c = 0 and c = length are legal and give the parents back, swapped or not. Build new arrays rather than writing into a or b.';
const PARAMS_HINT =
  'Count every dense layer, the output layer included, and the biases.';
const PARAMS_MORE =
  'The layer sizes run from the inputs through each hidden width to the classes. A dense layer from m units to n units has m·n weights and n biases; sum over consecutive pairs of sizes. With no hidden layer there is a single layer, from the inputs to the classes.';
const AGING_HINT =
  'In aging evolution the oldest member leaves, whatever its score; the population you were given must stay unchanged.';
const AGING_MORE =
  'The population is ordered oldest first, so the child joins at the young end and members leave from the old end until at most capacity remain. Scores play no part, which is what regularizes the search: even the best member dies of old age. Return a new array and leave the one you were given as it was.';

const MUTATE_HINT =
  'The new value must differ from the current one, and `other` counts among the values that remain; the genome you were given must stay unchanged.';
const MUTATE_MORE =
  'List the allowed values in increasing order with the current value left out: values below the current one keep their place in that list, values above it move down by one. The gene at `position` of a copy takes the value at place `other` of that list; the genome you were given is not changed.';
const GENERATION_HINT =
  'Compose the functions you wrote, in the order of one generation; the member who leaves is the oldest, not the parent.';
const GENERATION_MORE =
  'One generation picks a parent by a tournament among the drawn contestants, mutates one gene of a copy of its genome, looks the child\'s score up in the table (keyed by the genes joined with \'-\'), and then takes the aging step. The parent stays in the population; the oldest member leaves when the population is over capacity.';

const m = (genes: number[], score: number) => ({ genes, score });

/** A small fitness table over two genes with values 0..3, keyed like the exercise: '2-0'. */
const TABLE_4x4: Record<string, number> = {
  '0-0': 0.5, '0-1': 0.9, '0-2': 0.2, '0-3': 0.35,
  '1-0': 0.6, '1-1': 0.8, '1-2': 0.7, '1-3': 0.15,
  '2-0': 0.45, '2-1': 0.25, '2-2': 0.95, '2-3': 0.3,
  '3-0': 0.55, '3-1': 0.65, '3-2': 0.1, '3-3': 0.5,
};

const publicCases: Case[] = [
  { name: 'penalizedFitness(0.95, 12.5, 0.002) = 0.95 − 0.025', fn: 'penalizedFitness', args: [0.95, 12.5, 0.002], expected: 0.925, tolerance: 1e-12, points: 1, hint: FITNESS_HINT, fullHint: FITNESS_MORE },
  { name: 'penalizedFitness(λ = 0): the accuracy alone', fn: 'penalizedFitness', args: [0.9862, 9.53, 0], expected: 0.9862, tolerance: 1e-12, points: 1, hint: FITNESS_HINT, fullHint: FITNESS_MORE },
  { name: 'penalizedFitness(0.95, 1.79, 0.02) = 0.95 − 0.0358', fn: 'penalizedFitness', args: [0.95, 1.79, 0.02], expected: 0.9142, tolerance: 1e-12, points: 1, hint: FITNESS_HINT, fullHint: FITNESS_MORE },
  { name: 'penalizedFitness(0.5, 20, 0.05): a negative fitness', fn: 'penalizedFitness', args: [0.5, 20, 0.05], expected: -0.5, tolerance: 1e-12, points: 1, hint: FITNESS_HINT, fullHint: FITNESS_MORE },
  { name: 'tournamentWinner: the best member was not drawn', fn: 'tournamentWinner', args: [[0.5, 0.9, 0.7], [0, 2]], expected: 2, points: 1, hint: TOURNAMENT_HINT, fullHint: TOURNAMENT_MORE },
  { name: 'tournamentWinner: a tie goes to the first drawn', fn: 'tournamentWinner', args: [[0.5, 0.9, 0.7, 0.9], [3, 0, 1]], expected: 3, points: 1, hint: TOURNAMENT_HINT, fullHint: TOURNAMENT_MORE },
  { name: 'tournamentWinner: one contestant', fn: 'tournamentWinner', args: [[0.2, 0.8], [0]], expected: 0, points: 1, hint: TOURNAMENT_HINT, fullHint: TOURNAMENT_MORE },
  { name: 'tournamentWinner: negative scores', fn: 'tournamentWinner', args: [[-0.3, -0.1, -0.2], [0, 2]], expected: 2, points: 1, hint: TOURNAMENT_HINT, fullHint: TOURNAMENT_MORE },
  { name: 'onePointCrossover([1,1,1], [2,2,2], cut 1)', fn: 'onePointCrossover', inputsUnchanged: true, args: [[1, 1, 1], [2, 2, 2], 1], expected: [[1, 2, 2], [2, 1, 1]], points: 1, hint: CROSSOVER_HINT, fullHint: CROSSOVER_MORE },
  { name: 'onePointCrossover([0,1,2,3], [4,5,6,7], cut 2)', fn: 'onePointCrossover', inputsUnchanged: true, args: [[0, 1, 2, 3], [4, 5, 6, 7], 2], expected: [[0, 1, 6, 7], [4, 5, 2, 3]], points: 1, hint: CROSSOVER_HINT, fullHint: CROSSOVER_MORE },
  { name: 'onePointCrossover(cut = length): copies', fn: 'onePointCrossover', inputsUnchanged: true, args: [[3, 0, 4], [1, 2, 2], 3], expected: [[3, 0, 4], [1, 2, 2]], points: 1, hint: CROSSOVER_HINT, fullHint: CROSSOVER_MORE },
  { name: 'onePointCrossover(cut = 0): swapped copies', fn: 'onePointCrossover', inputsUnchanged: true, args: [[3, 0, 4], [1, 2, 2], 0], expected: [[1, 2, 2], [3, 0, 4]], points: 1, hint: CROSSOVER_HINT, fullHint: CROSSOVER_MORE },
  {
    name: 'mlpParameterCount(64, [32, 16, 8], 10) = 2080 + 528 + 136 + 90',
    fn: 'mlpParameterCount',
    args: [64, [32, 16, 8], 10],
    expected: 2834,
    points: 2,
    hint: PARAMS_HINT, fullHint: PARAMS_MORE,
  },
  { name: 'mlpParameterCount(64, [4, 4, 4], 10) = 260 + 20 + 20 + 50', fn: 'mlpParameterCount', args: [64, [4, 4, 4], 10], expected: 350, points: 2, hint: PARAMS_HINT, fullHint: PARAMS_MORE },
  { name: 'mlpParameterCount(64, [64, 64, 64], 10) = 3·4160 + 650', fn: 'mlpParameterCount', args: [64, [64, 64, 64], 10], expected: 13130, points: 2, hint: PARAMS_HINT, fullHint: PARAMS_MORE },
  { name: 'mlpParameterCount(2, [], 3): no hidden layer', fn: 'mlpParameterCount', args: [2, [], 3], expected: 9, points: 2, hint: PARAMS_HINT, fullHint: PARAMS_MORE },
  { name: 'mlpParameterCount(784, [100], 10) = 78500 + 1010', fn: 'mlpParameterCount', args: [784, [100], 10], expected: 79510, points: 2, hint: PARAMS_HINT, fullHint: PARAMS_MORE },
  {
    name: 'agingStep: the oldest leaves although it is the best',
    fn: 'agingStep', inputsUnchanged: true,
    args: [[m([0], 0.9), m([1], 0.1)], m([2], 0.5), 2],
    expected: [m([1], 0.1), m([2], 0.5)],
    points: 2,
    hint: AGING_HINT, fullHint: AGING_MORE,
  },
  {
    name: 'agingStep: a full population of 3 keeps its worst and the weak child',
    fn: 'agingStep', inputsUnchanged: true,
    args: [[m([1, 1], 0.95), m([2, 2], 0.8), m([0, 3], 0.85)], m([4, 4], 0.1), 3],
    expected: [m([2, 2], 0.8), m([0, 3], 0.85), m([4, 4], 0.1)],
    points: 2,
    hint: AGING_HINT, fullHint: AGING_MORE,
  },
  {
    name: 'agingStep: below capacity nobody leaves',
    fn: 'agingStep', inputsUnchanged: true,
    args: [[m([0], 0.3), m([1], 0.6), m([2], 0.2)], m([3], 0.4), 5],
    expected: [m([0], 0.3), m([1], 0.6), m([2], 0.2), m([3], 0.4)],
    points: 2,
    hint: AGING_HINT, fullHint: AGING_MORE,
  },
  { name: 'agingStep: an empty population', fn: 'agingStep', inputsUnchanged: true, args: [[], m([7, 7], 0.5), 1], expected: [m([7, 7], 0.5)], points: 2, hint: AGING_HINT, fullHint: AGING_MORE },
  { name: 'mutateGene([2,0,4], position 0, other 2): 3 (values other than 2: 0, 1, 3, 4)', fn: 'mutateGene', inputsUnchanged: true, args: [[2, 0, 4], 0, 2], expected: [3, 0, 4], points: 2, hint: MUTATE_HINT, fullHint: MUTATE_MORE },
  { name: 'mutateGene([2,0,4], position 0, other 1): below the current value', fn: 'mutateGene', inputsUnchanged: true, args: [[2, 0, 4], 0, 1], expected: [1, 0, 4], points: 2, hint: MUTATE_HINT, fullHint: MUTATE_MORE },
  { name: 'mutateGene([2,0,4], position 1, other 0): the current 0 is skipped', fn: 'mutateGene', inputsUnchanged: true, args: [[2, 0, 4], 1, 0], expected: [2, 1, 4], points: 2, hint: MUTATE_HINT, fullHint: MUTATE_MORE },
  { name: 'mutateGene([1,1,1], position 2, other 1): other = current gives current + 1', fn: 'mutateGene', inputsUnchanged: true, args: [[1, 1, 1], 2, 1], expected: [1, 1, 2], points: 2, hint: MUTATE_HINT, fullHint: MUTATE_MORE },
  {
    name: 'agingGeneration: parent [1,1] wins, child [0,1] (0.9) joins, the oldest leaves',
    fn: 'agingGeneration', inputsUnchanged: true,
    args: [[m([0, 0], 0.5), m([1, 1], 0.8)], [0, 1], 0, 0, TABLE_4x4, 2],
    expected: [m([1, 1], 0.8), m([0, 1], 0.9)],
    points: 3,
    hint: GENERATION_HINT, fullHint: GENERATION_MORE,
  },
  {
    name: 'agingGeneration: the best member was not drawn, and dies of age',
    fn: 'agingGeneration', inputsUnchanged: true,
    args: [[m([2, 2], 0.95), m([0, 2], 0.2), m([1, 0], 0.6)], [1, 2], 1, 1, TABLE_4x4, 3],
    expected: [m([0, 2], 0.2), m([1, 0], 0.6), m([1, 2], 0.7)],
    points: 3,
    hint: GENERATION_HINT, fullHint: GENERATION_MORE,
  },
  {
    name: 'agingGeneration: a tie goes to the first drawn; below capacity nobody leaves',
    fn: 'agingGeneration', inputsUnchanged: true,
    args: [[m([0, 0], 0.5), m([1, 3], 0.15), m([3, 3], 0.5)], [2, 0], 0, 2, TABLE_4x4, 4],
    expected: [m([0, 0], 0.5), m([1, 3], 0.15), m([3, 3], 0.5), m([2, 3], 0.3)],
    points: 3,
    hint: GENERATION_HINT, fullHint: GENERATION_MORE,
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
    out.push({ name: `onePointCrossover (length ${d}) #${i + 1}`, fn: 'onePointCrossover', inputsUnchanged: true, args: [a, b, rng.int(0, d + 1)], points: 1 });
  }
  for (let i = 0; i < 3; i++) {
    const widths = Array.from({ length: rng.int(0, 5) }, () => rng.int(1, 129));
    out.push({ name: `mlpParameterCount (${widths.length} hidden layers) #${i + 1}`, fn: 'mlpParameterCount', args: [rng.int(1, 100), widths, rng.int(1, 20)], points: 2 });
  }
  for (let i = 0; i < 3; i++) {
    const capacity = rng.int(1, 6);
    const member = () => ({ genes: Array.from({ length: 3 }, () => rng.int(0, 5)), score: roundTo(rng.uniform(), 3) });
    const population = Array.from({ length: rng.int(0, capacity + 1) }, member);
    out.push({ name: `agingStep (capacity ${capacity}, ${population.length} members) #${i + 1}`, fn: 'agingStep', inputsUnchanged: true, args: [population, member(), capacity], points: 2 });
  }
  for (let i = 0; i < 3; i++) {
    const d = rng.int(1, 6);
    const genes = Array.from({ length: d }, () => rng.int(0, 5));
    out.push({ name: `mutateGene (length ${d}) #${i + 1}`, fn: 'mutateGene', inputsUnchanged: true, args: [genes, rng.int(0, d), rng.int(0, 4)], points: 2 });
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
      fn: 'agingGeneration', inputsUnchanged: true,
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
