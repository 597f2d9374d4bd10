/**
 * Chapter 04 cases: the ε-greedy choice, the UCB1 index, the Hamming kernel, the posterior of a
 * small zero-mean GP, Expected Improvement, and one BO step (the argmax of EI over the unevaluated
 * candidates). Points follow difficulty: a one-line formula is worth 1, EI (its std = 0 case) 2,
 * the GP posterior and the BO step 3. Public expected values were worked out by hand
 * from the formulas (the GP cases use lengthscales that make every kernel entry a power of 1/2, so
 * the linear algebra is exact fractions) and cross-checked with an independent Python script,
 * never by running the solution.
 */
import type { Rng } from '../../core/rng';
import type { Case, CaseInput, ChapterCases } from '../types';
import { roundTo } from './draw';

const LN2 = Math.log(2);

const EPSILON_HINT =
  'Decide first between exploring and exploiting from u and ε; when exploiting, think about ties.';
const EPSILON_MORE =
  'u below ε means explore: the arm drawn for exploration is returned as it is. Otherwise exploit: the arm with the largest estimated mean, the first such arm on a tie. u equal to ε exploits.';
const UCB_HINT =
  'The bonus uses the total number of pulls and this arm\'s own pulls: check which goes where, and which logarithm.';
const UCB_MORE =
  'UCB1\'s index is the arm\'s mean plus c times the square root of 2·ln(total pulls) / (this arm\'s pulls), with the natural logarithm. The bonus shrinks as this arm is pulled more, grows slowly with the total, and vanishes when the total is 1 (ln 1 = 0).';
const KERNEL_HINT =
  'The kernel depends on the fraction of coordinates that differ, not on their count alone.';
const KERNEL_MORE =
  'Let h be the number of positions where the two architectures differ and d the number of positions. The kernel is variance·exp(−h/(lengthscale·d)): identical inputs give exactly the variance, and it decays as more positions differ, more slowly for a larger lengthscale.';
const GP_HINT =
  'Check where the noise goes (the covariance of the training points only) and what the prior mean is.';
const GP_MORE =
  'The posterior at x* comes from A = K + noise·I over the training points and the vector k* of kernel values between each training point and x*. The mean is k*ᵀA⁻¹y with a prior mean of 0 (y is used as it is); the variance is k(x*, x*) − k*ᵀA⁻¹k*, with no noise added. Solving with the Cholesky factor of A is steadier than inverting A.';
const EI_HINT =
  'Expected Improvement is never negative; look at what happens when the standard deviation is 0.';
const EI_MORE =
  'With the improvement g = mean − best − ξ and z = g/σ, EI = g·Φ(z) + σ·φ(z), where Φ and φ are the standard normal CDF and density. With σ = 0 there is no uncertainty left: EI is the improvement if it is positive, else 0. A candidate whose mean is below the best still has a positive EI when σ > 0.';

const BO_STEP_HINT =
  'Candidates already evaluated are skipped, and the answer is an index into the candidates.';
const BO_STEP_MORE =
  'For every candidate that is not already an observed row, take the GP posterior, then its Expected Improvement with σ the square root of the posterior variance and \'best\' the largest observed y. Return the index of the candidate with the largest EI, the first one on a tie.';

const publicCases: Case[] = [
  { name: 'epsilonGreedyChoice(u = 0.05 < ε = 0.1: explore)', fn: 'epsilonGreedyChoice', args: [[0.2, 0.9, 0.5], 0.1, 0.05, 2], expected: 2, points: 1, hint: EPSILON_HINT, fullHint: EPSILON_MORE },
  { name: 'epsilonGreedyChoice(u = 0.5 >= ε: exploit arm 1)', fn: 'epsilonGreedyChoice', args: [[0.2, 0.9, 0.5], 0.1, 0.5, 2], expected: 1, points: 1, hint: EPSILON_HINT, fullHint: EPSILON_MORE },
  { name: 'epsilonGreedyChoice(tie between arms 0 and 2: the first)', fn: 'epsilonGreedyChoice', args: [[0.7, 0.3, 0.7], 0.2, 0.9, 1], expected: 0, points: 1, hint: EPSILON_HINT, fullHint: EPSILON_MORE },
  { name: 'epsilonGreedyChoice(u = ε exactly: exploit)', fn: 'epsilonGreedyChoice', args: [[1, 5, 2], 0.3, 0.3, 0], expected: 1, points: 1, hint: EPSILON_HINT, fullHint: EPSILON_MORE },
  { name: 'epsilonGreedyChoice(ε = 1: always explore)', fn: 'epsilonGreedyChoice', args: [[0, 0, 9, 0], 1, 0.999, 3], expected: 3, points: 1, hint: EPSILON_HINT, fullHint: EPSILON_MORE },
  { name: 'ucb1Index(total = 1: no bonus)', fn: 'ucb1Index', args: [0.5, 1, 1, 1], expected: 0.5, tolerance: 1e-12, points: 1, hint: UCB_HINT, fullHint: UCB_MORE },
  { name: 'ucb1Index(0.4, 2 of 10 pulls, c = 1) = 0.4 + √ln 10', fn: 'ucb1Index', args: [0.4, 2, 10, 1], expected: 1.9174271293851466, tolerance: 1e-12, points: 1, hint: UCB_HINT, fullHint: UCB_MORE },
  { name: 'ucb1Index(0.7, 8 of 100 pulls, c = 0.5)', fn: 'ucb1Index', args: [0.7, 8, 100, 0.5], expected: 1.2364915065723368, tolerance: 1e-12, points: 1, hint: UCB_HINT, fullHint: UCB_MORE },
  { name: 'ucb1Index(c = 0: the mean)', fn: 'ucb1Index', args: [0.3, 3, 50, 0], expected: 0.3, tolerance: 1e-12, points: 1, hint: UCB_HINT, fullHint: UCB_MORE },
  { name: 'hammingKernel(identical, σ² = 2)', fn: 'hammingKernel', args: [[0, 1, 2], [0, 1, 2], 1, 2], expected: 2, tolerance: 1e-12, points: 1, hint: KERNEL_HINT, fullHint: KERNEL_MORE },
  { name: 'hammingKernel(h = 1 of 6, ℓ = 1/6) = e^-1', fn: 'hammingKernel', args: [[0, 1, 2, 3, 4, 0], [0, 1, 2, 3, 4, 1], 1 / 6, 1], expected: 0.36787944117144233, tolerance: 1e-12, points: 1, hint: KERNEL_HINT, fullHint: KERNEL_MORE },
  { name: 'hammingKernel(h = 2 of 3, ℓ = 1/3, σ² = 0.5) = 0.5·e^-2', fn: 'hammingKernel', args: [[0, 0, 0], [1, 2, 0], 1 / 3, 0.5], expected: 0.06766764161830635, tolerance: 1e-12, points: 1, hint: KERNEL_HINT, fullHint: KERNEL_MORE },
  {
    name: 'gpPosterior(one observation, x* = it, noise 1): mean 2/2, variance 1 − 1/2',
    fn: 'gpPosterior',
    args: [[[0, 0]], [2], [0, 0], 1, 1, 1],
    expected: { mean: 1, variance: 0.5 },
    tolerance: 1e-9,
    points: 3,
    hint: GP_HINT, fullHint: GP_MORE,
  },
  {
    name: 'gpPosterior(one observation one edge away, k* = 1/2, no noise)',
    fn: 'gpPosterior',
    args: [[[0, 1]], [3], [0, 0], 1 / (2 * LN2), 1, 0],
    expected: { mean: 1.5, variance: 0.75 },
    tolerance: 1e-9,
    points: 3,
    hint: GP_HINT, fullHint: GP_MORE,
  },
  {
    name: 'gpPosterior(two observations, no noise, x* observed: interpolates)',
    fn: 'gpPosterior',
    args: [[[0], [1]], [3, 1], [0], 1 / LN2, 1, 0],
    expected: { mean: 3, variance: 0 },
    tolerance: 1e-9,
    points: 3,
    hint: GP_HINT, fullHint: GP_MORE,
  },
  {
    name: 'gpPosterior(two observations, x* new: mean 4/3, variance 2/3)',
    fn: 'gpPosterior',
    args: [[[0], [1]], [3, 1], [2], 1 / LN2, 1, 0],
    expected: { mean: 4 / 3, variance: 2 / 3 },
    tolerance: 1e-9,
    points: 3,
    hint: GP_HINT, fullHint: GP_MORE,
  },
  {
    name: 'gpPosterior(three accuracies, σ² = 4, noise 0.25: mean 0.32·210, variance 4 − 1.92)',
    fn: 'gpPosterior',
    args: [[[0, 1, 2], [0, 0, 0], [2, 1, 0]], [80, 60, 70], [0, 1, 0], 1 / (3 * LN2), 4, 0.25],
    expected: { mean: 67.2, variance: 2.08 },
    tolerance: 1e-9,
    points: 3,
    hint: GP_HINT, fullHint: GP_MORE,
  },
  { name: 'expectedImprovement(N(0, 1), best 0) = φ(0)', fn: 'expectedImprovement', args: [0, 1, 0, 0], expected: 0.3989422804014327, tolerance: 1e-9, points: 2, hint: EI_HINT, fullHint: EI_MORE },
  { name: 'expectedImprovement(N(1, 1), best 0) = Φ(1) + φ(1)', fn: 'expectedImprovement', args: [1, 1, 0, 0], expected: 1.0833154705876864, tolerance: 1e-9, points: 2, hint: EI_HINT, fullHint: EI_MORE },
  { name: 'expectedImprovement(mean 80 below best 82, std 2)', fn: 'expectedImprovement', args: [80, 2, 82, 0], expected: 0.16663094117537258, tolerance: 1e-9, points: 2, hint: EI_HINT, fullHint: EI_MORE },
  { name: 'expectedImprovement(ξ = 1 cancels the gain: 2·φ(0))', fn: 'expectedImprovement', args: [1, 2, 0, 1], expected: 0.7978845608028654, tolerance: 1e-9, points: 2, hint: EI_HINT, fullHint: EI_MORE },
  { name: 'expectedImprovement(std = 0, gain 1.5)', fn: 'expectedImprovement', args: [5, 0, 3, 0.5], expected: 1.5, tolerance: 1e-12, points: 2, hint: EI_HINT, fullHint: EI_MORE },
  { name: 'expectedImprovement(std = 0, below best: 0)', fn: 'expectedImprovement', args: [2, 0, 3, 0], expected: 0, tolerance: 1e-12, points: 2, hint: EI_HINT, fullHint: EI_MORE },
  { name: 'boStep: the only unevaluated candidate', fn: 'boStep', args: [[[0], [1]], [3, 1], [[0], [1], [2]], 0.7, 1, 0, 0], expected: 2, points: 3, hint: BO_STEP_HINT, fullHint: BO_STEP_MORE },
  {
    name: 'boStep: next to a good observation (EI 0.152 one edge away, 0.122 two edges away)',
    fn: 'boStep',
    args: [[[0, 0]], [1], [[0, 0], [0, 1], [1, 1]], 1 / (2 * LN2), 1, 0, 0],
    expected: 1,
    points: 3,
    hint: BO_STEP_HINT, fullHint: BO_STEP_MORE,
  },
  {
    name: 'boStep: away from a bad observation (EI 0.652 one edge away, 0.872 two edges away)',
    fn: 'boStep',
    args: [[[0, 0]], [-1], [[0, 0], [0, 1], [1, 1]], 1 / (2 * LN2), 1, 0, 0],
    expected: 2,
    points: 3,
    hint: BO_STEP_HINT, fullHint: BO_STEP_MORE,
  },
  {
    name: 'boStep: two candidates of equal EI, the first wins',
    fn: 'boStep',
    args: [[[0, 0]], [1], [[1, 0], [0, 1], [0, 0]], 1 / (2 * LN2), 1, 0, 0],
    expected: 0,
    points: 3,
    hint: BO_STEP_HINT, fullHint: BO_STEP_MORE,
  },
];


/** `n` distinct categorical rows of length d, categories 0..4. */
function distinctRows(rng: Rng, n: number, d: number): number[][] {
  const rows: number[][] = [];
  const keys = new Set<string>();
  while (rows.length < n) {
    const r = Array.from({ length: d }, () => rng.int(0, 5));
    if (!keys.has(r.join())) {
      keys.add(r.join());
      rows.push(r);
    }
  }
  return rows;
}

function hiddenInputs(rng: Rng): CaseInput[] {
  const out: CaseInput[] = [];
  for (let i = 0; i < 4; i++) {
    // Means on a coarse grid so that ties happen; u below ε half the time.
    const k = rng.int(2, 8);
    const means = Array.from({ length: k }, () => roundTo(rng.uniform(), 1));
    const epsilon = roundTo(rng.uniform(0, 0.5), 2);
    const u = roundTo(i % 2 === 0 ? rng.uniform(0, epsilon) : rng.uniform(epsilon, 1), 3);
    out.push({ name: `epsilonGreedyChoice(${k} arms, ε = ${epsilon}, u = ${u}) #${i + 1}`, fn: 'epsilonGreedyChoice', args: [means, epsilon, u, rng.int(0, k)], points: 1 });
  }
  for (let i = 0; i < 3; i++) {
    const total = rng.int(2, 500);
    const pulls = rng.int(1, total + 1);
    const args = [roundTo(rng.uniform(), 3), pulls, total, roundTo(rng.uniform(0, 2), 2)];
    out.push({ name: `ucb1Index(pulls ${pulls} of ${total}) #${i + 1}`, fn: 'ucb1Index', args, tolerance: 1e-9, points: 1 });
  }
  for (let i = 0; i < 3; i++) {
    const d = rng.int(2, 7);
    const [a, b] = distinctRows(rng, 2, d);
    const args = [a, b, roundTo(rng.uniform(0.13, 4), 2), roundTo(rng.uniform(0.5, 3), 2)];
    out.push({ name: `hammingKernel(d = ${d}) #${i + 1}`, fn: 'hammingKernel', args, tolerance: 1e-9, points: 1 });
  }
  for (let i = 0; i < 4; i++) {
    const n = rng.int(2, 7);
    const d = rng.int(2, 7);
    const X = distinctRows(rng, n + 1, d);
    // Half the queries ask at an observed point, half at a new one.
    const xStar = i % 2 === 0 ? X[rng.int(0, n)] : X[n];
    const y = Array.from({ length: n }, () => roundTo(rng.uniform(-2, 2), 2));
    const args = [X.slice(0, n), y, xStar, roundTo(rng.uniform(0.17, 2), 2), roundTo(rng.uniform(0.5, 2), 2), roundTo(rng.uniform(0.01, 0.5), 2)];
    out.push({ name: `gpPosterior(${n} observations, d = ${d}) #${i + 1}`, fn: 'gpPosterior', args, tolerance: 1e-6, points: 3 });
  }
  for (let i = 0; i < 4; i++) {
    const std = i === 3 ? 0 : roundTo(rng.uniform(0.1, 3), 2);
    const args = [roundTo(rng.uniform(70, 90), 2), std, roundTo(rng.uniform(75, 85), 2), i === 1 ? roundTo(rng.uniform(0, 1), 2) : 0];
    out.push({ name: `expectedImprovement(std ${std}) #${i + 1}`, fn: 'expectedImprovement', args, tolerance: 1e-9, points: 2 });
  }
  for (let i = 0; i < 3; i++) {
    const n = rng.int(2, 6);
    const d = rng.int(2, 5);
    const rows = distinctRows(rng, n + rng.int(2, 6), d);
    const X = rows.slice(0, n);
    // Candidates: the unevaluated rows plus, shuffled in, a few evaluated ones BO must skip.
    const candidates = rng.shuffle([...rows.slice(n), ...rng.sample(X, rng.int(1, n + 1))]);
    const y = Array.from({ length: n }, () => roundTo(rng.uniform(-2, 2), 2));
    const args = [X, y, candidates, roundTo(rng.uniform(0.17, 2), 2), roundTo(rng.uniform(0.5, 2), 2), roundTo(rng.uniform(0.01, 0.3), 2), i === 2 ? 0.1 : 0];
    out.push({ name: `boStep(${n} observations, ${candidates.length} candidates, d = ${d}) #${i + 1}`, fn: 'boStep', args, points: 3 });
  }
  return out;
}

export const cases: ChapterCases = {
  chapter: '04',
  slug: 'bandits-bo',
  functions: ['epsilonGreedyChoice', 'ucb1Index', 'hammingKernel', 'gpPosterior', 'expectedImprovement', 'boStep'],
  publicCases,
  hiddenInputs,
};
