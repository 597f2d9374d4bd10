/**
 * Chapter 08 cases: SynFlow's per-weight saliency on a dense chain, the jacob_cov score of given
 * Jacobian rows, and Spearman's rank correlation with ties. Points: Spearman 2 (ties), jacob_cov 2,
 * SynFlow 3 (a forward and a backward pass). Public expected values were worked out by hand (the
 * reasoning is in each case's name); hidden cases draw small networks, Jacobian rows and samples
 * with ties from the seed. Jacobian rows are drawn with fewer rows than columns - 1, so every
 * eigenvalue is clear of zero and the score does not hinge on rounding.
 */
import type { Rng } from '../../core/rng';
import type { Case, CaseInput, ChapterCases } from '../types';
import { roundTo } from './draw';

const SF_HINT = 'Take |W| first. A forward pass of ones gives each layer its input h; a backward pass from ones at the output gives each layer its output gradient g.';
const SF_MORE =
  'With h₀ = ones and h_l = |W_l|·h_(l−1), R = Σ h_L. The gradient of R with respect to h_L is all ones, and g_(l−1) = |W_l|ᵀ·g_l. ' +
  'The saliency of weight (i, j) of layer l is g_l[i]·|W_l[i][j]|·h_(l−1)[j]. Each layer\'s saliencies add up to R (Tanaka et al.\'s conservation law): a check on your answer.';
const JC_HINT = 'Centre each row and divide it by its norm; the dot products of those rows are the correlations. Then the eigenvalues (symmetricEigen), clamped at 0.';
const JC_MORE =
  'corr[a][b] = Σ_t (x_at − mean_a)(x_bt − mean_b) / (‖x_a − mean_a‖·‖x_b − mean_b‖), 1 on the diagonal. For two rows with correlation r the eigenvalues are 1 − r and 1 + r. ' +
  'Score = −Σ_i [log(λ_i + 1e-5) + 1/(λ_i + 1e-5)]: rows that are nearly the same make an eigenvalue near 0 and the score very negative.';
const SP_HINT = 'Rank each list (1 = smallest); tied values share the average of the ranks they span. Then Pearson\'s r of the two rank lists. Sort a copy, not the input.';
const SP_MORE =
  'For [10, 20, 20, 5] the ranks are [2, 3.5, 3.5, 1]: the two 20s span ranks 3 and 4. Pearson r = Σ(a − ā)(b − b̄) / √(Σ(a − ā)²·Σ(b − b̄)²). ' +
  'The textbook 1 − 6Σd²/(n(n² − 1)) equals it only without ties.';

/** −Σ [log(λ + k) + 1/(λ + k)] for the given eigenvalues (the public cases' values by hand). */
const score = (...lambdas: number[]) => -lambdas.reduce((s, l) => s + Math.log(l + 1e-5) + 1 / (l + 1e-5), 0);

const publicCases: Case[] = [
  { name: 'synflowSaliency(one layer [[2, -3]]): R = 5, saliency |θ|·1', fn: 'synflowSaliency', inputsUnchanged: true, args: [[[[2, -3]]]], expected: [[[2, 3]]], tolerance: 1e-9, points: 3, hint: SF_HINT, fullHint: SF_MORE },
  {
    name: 'synflowSaliency(2x2 then 1x2): h = [3, 7], R = 10, each layer sums to 10',
    fn: 'synflowSaliency', inputsUnchanged: true,
    args: [[[[1, 2], [3, 4]], [[1, -1]]]],
    expected: [[[1, 2], [3, 4]], [[3, 7]]],
    tolerance: 1e-9, points: 3, hint: SF_HINT, fullHint: SF_MORE,
  },
  {
    name: 'synflowSaliency(2x1, 2x2, 1x2): h = [1, 2], [3, 4.5], R = 13.5; g = [3, 1], [3.5, 5]',
    fn: 'synflowSaliency', inputsUnchanged: true,
    args: [[[[1], [2]], [[1, 1], [0.5, -2]], [[3, 1]]]],
    expected: [[[3.5], [10]], [[3, 6], [0.5, 4]], [[9, 4.5]]],
    tolerance: 1e-9, points: 3, hint: SF_HINT, fullHint: SF_MORE,
  },
  { name: 'jacobCovScore(uncorrelated rows): eigenvalues 1, 1', fn: 'jacobCovScore', args: [[[1, 0, -1, 0], [0, 1, 0, -1]]], expected: score(1, 1), tolerance: 1e-6, points: 2, hint: JC_HINT, fullHint: JC_MORE },
  { name: 'jacobCovScore(rows correlated −0.5): eigenvalues 0.5, 1.5', fn: 'jacobCovScore', args: [[[1, 0, 0], [0, 1, 0]]], expected: score(0.5, 1.5), tolerance: 1e-6, points: 2, hint: JC_HINT, fullHint: JC_MORE },
  { name: 'jacobCovScore(one row twice the other): eigenvalues 0, 2', fn: 'jacobCovScore', args: [[[1, 2, 3], [2, 4, 6]]], expected: score(0, 2), tolerance: 1e-6, points: 2, hint: JC_HINT, fullHint: JC_MORE },
  { name: 'jacobCovScore(three unit rows, every correlation −0.5): eigenvalues 0, 1.5, 1.5', fn: 'jacobCovScore', args: [[[1, 0, 0], [0, 1, 0], [0, 0, 1]]], expected: score(0, 1.5, 1.5), tolerance: 1e-6, points: 2, hint: JC_HINT, fullHint: JC_MORE },
  { name: 'spearman(increasing, increasing) = 1', fn: 'spearman', inputsUnchanged: true, args: [[1, 2, 3, 4], [10, 20, 30, 40]], expected: 1, tolerance: 1e-9, points: 2, hint: SP_HINT, fullHint: SP_MORE },
  { name: 'spearman(reversed, no ties) = −1', fn: 'spearman', inputsUnchanged: true, args: [[3, 1, 2], [1, 3, 2]], expected: -1, tolerance: 1e-9, points: 2, hint: SP_HINT, fullHint: SP_MORE },
  { name: 'spearman(ties in x: ranks 1.5, 1.5, 3.5, 3.5) = 4/√20', fn: 'spearman', inputsUnchanged: true, args: [[1, 1, 2, 2], [1, 2, 3, 4]], expected: 4 / Math.sqrt(20), tolerance: 1e-9, points: 2, hint: SP_HINT, fullHint: SP_MORE },
  { name: 'spearman(ties in y: two 7s share rank 3.5) = 8/√95', fn: 'spearman', inputsUnchanged: true, args: [[1, 2, 3, 4, 5], [5, 6, 7, 8, 7]], expected: 8 / Math.sqrt(95), tolerance: 1e-9, points: 2, hint: SP_HINT, fullHint: SP_MORE },
];

function drawChain(rng: Rng): number[][][] {
  const widths = Array.from({ length: rng.int(2, 6) }, () => rng.int(1, 5));
  return widths.slice(1).map((out, l) => Array.from({ length: out }, () => Array.from({ length: widths[l] }, () => roundTo(rng.uniform(-2, 2), 2))));
}

/** B rows of d > B + 1 columns, none constant. */
function drawJacobians(rng: Rng): number[][] {
  const b = rng.int(2, 5);
  const d = rng.int(b + 2, b + 6);
  const row = (): number[] => {
    const r = Array.from({ length: d }, () => roundTo(rng.normal(0, 1), 3));
    return r.every((x) => x === r[0]) ? row() : r;
  };
  return Array.from({ length: b }, row);
}

/** A sample of small integers (ties likely), redrawn while constant. */
function drawTied(rng: Rng, n: number): number[] {
  const xs = Array.from({ length: n }, () => rng.int(0, 6));
  return xs.every((x) => x === xs[0]) ? drawTied(rng, n) : xs;
}

function hiddenInputs(rng: Rng): CaseInput[] {
  const out: CaseInput[] = [];
  for (let i = 0; i < 5; i++) {
    const w = drawChain(rng);
    out.push({ name: `synflowSaliency (${w.length} layers) #${i + 1}`, fn: 'synflowSaliency', inputsUnchanged: true, args: [w], tolerance: 1e-9, points: 3 });
  }
  for (let i = 0; i < 5; i++) {
    const j = drawJacobians(rng);
    out.push({ name: `jacobCovScore (${j.length} rows of ${j[0].length}) #${i + 1}`, fn: 'jacobCovScore', args: [j], tolerance: 1e-6, points: 2 });
  }
  for (let i = 0; i < 5; i++) {
    const n = rng.int(3, 15);
    out.push({ name: `spearman (${n} pairs with ties) #${i + 1}`, fn: 'spearman', inputsUnchanged: true, args: [drawTied(rng, n), drawTied(rng, n)], tolerance: 1e-9, points: 2 });
  }
  return out;
}

export const cases: ChapterCases = {
  chapter: '08',
  slug: 'zero-cost',
  functions: ['synflowSaliency', 'jacobCovScore', 'spearman'],
  library: { forbid: ['rowCorrelations', 'jacobCov', 'synflowLogScore', 'rankAverage', 'pearson', 'kendallTauB'] },
  publicCases,
  hiddenInputs,
};
