/**
 * Chapter 09 cases: dominance with directions, the non-dominated set, and the weighted-sum choice.
 * Points follow difficulty: dominance 1, the front 2 (duplicates, directions), the weighted sum 3
 * (normalisation, signs, ties). Public expected values were worked out by hand (the reasoning is
 * in each case's name); hidden cases draw small integer sets, with ties and duplicates, from the
 * seed, and leave out weighted sums whose two best candidates are closer than rounding could split.
 */
import type { Rng } from '../../core/rng';
import type { Case, CaseInput, ChapterCases } from '../types';

type Dir = 'maximize' | 'minimize';
const MAX: Dir = 'maximize';
const MIN: Dir = 'minimize';

const DOM_HINT = 'Compare objective by objective, and turn the comparison around for a maximised objective. Equal candidates do not dominate.';
const DOM_MORE =
  'a dominates b when, for every objective j, a is at least as good as b (>= for maximize, <= for minimize) and for at least one j strictly better. Return false as soon as a is worse somewhere; remember whether it was strictly better anywhere.';
const FRONT_HINT = 'A candidate belongs to the front when no OTHER candidate dominates it; a duplicate does not dominate its twin.';
const FRONT_MORE =
  'For each i, look at every k ≠ i and ask whether points[k] dominates points[i] (use your dominates, with the directions). Keep i when none does, and return the kept indices in increasing order. Two equal points on the front are both kept, because equal points do not dominate each other.';
const WS_HINT = 'Normalise each objective over the whole set first (min → 0, max → 1), then give a maximised objective a minus sign. Ties go to the smaller index.';
const WS_MORE =
  'For objective j take lo_j and hi_j over all candidates; ñ = (x − lo_j)/(hi_j − lo_j), or 0 when hi_j = lo_j. J(i) = Σ_j λ_j·s_j·ñ_ij with s_j = −1 for maximize and +1 for minimize. Return the index with the smallest J, keeping the first when a later one is only equal.';

const publicCases: Case[] = [
  { name: 'dominates([90, 3], [85, 3]), accuracy up, latency down: more accurate, as fast', fn: 'dominates', args: [[90, 3], [85, 3], [MAX, MIN]], expected: true, points: 1, hint: DOM_HINT, fullHint: DOM_MORE },
  { name: 'dominates([1, 2], [1, 2]): equal points do not dominate', fn: 'dominates', args: [[1, 2], [1, 2], [MIN, MIN]], expected: false, points: 1, hint: DOM_HINT, fullHint: DOM_MORE },
  { name: 'dominates([1, 3], [2, 2]): better in one, worse in the other', fn: 'dominates', args: [[1, 3], [2, 2], [MIN, MIN]], expected: false, points: 1, hint: DOM_HINT, fullHint: DOM_MORE },
  { name: 'dominates([85, 3], [90, 4]) with accuracy maximised: less accurate', fn: 'dominates', args: [[85, 3], [90, 4], [MAX, MIN]], expected: false, points: 1, hint: DOM_HINT, fullHint: DOM_MORE },
  { name: 'dominates([0.9, 2, 5], [0.9, 2, 6]): better only in energy', fn: 'dominates', args: [[0.9, 2, 5], [0.9, 2, 6], [MAX, MIN, MIN]], expected: true, points: 1, hint: DOM_HINT, fullHint: DOM_MORE },
  { name: 'nonDominatedIndices: (3, 3) is dominated by (2, 2)', fn: 'nonDominatedIndices', inputsUnchanged: true, args: [[[1, 5], [2, 2], [3, 3], [5, 1]], [MIN, MIN]], expected: [0, 1, 3], points: 2, hint: FRONT_HINT, fullHint: FRONT_MORE },
  { name: 'nonDominatedIndices: a duplicate on the front is kept', fn: 'nonDominatedIndices', inputsUnchanged: true, args: [[[2, 2], [1, 5], [2, 2], [4, 4]], [MIN, MIN]], expected: [0, 1, 2], points: 2, hint: FRONT_HINT, fullHint: FRONT_MORE },
  {
    name: 'nonDominatedIndices: accuracy maximised, latency and energy minimised',
    fn: 'nonDominatedIndices', inputsUnchanged: true,
    args: [[[0.95, 9, 4], [0.9, 3, 2], [0.8, 1, 3], [0.85, 3, 2], [0.95, 9, 5]], [MAX, MIN, MIN]],
    expected: [0, 1, 2],
    points: 2, hint: FRONT_HINT, fullHint: FRONT_MORE,
  },
  { name: 'nonDominatedIndices: one candidate is its own front', fn: 'nonDominatedIndices', inputsUnchanged: true, args: [[[3, 1]], [MAX, MAX]], expected: [0], points: 2, hint: FRONT_HINT, fullHint: FRONT_MORE },
  { name: 'weightedSumChoice λ = (0.5, 0.5): J = 0, −0.208, 0', fn: 'weightedSumChoice', inputsUnchanged: true, args: [[[0.95, 9], [0.9, 3], [0.8, 1]], [0.5, 0.5], [MAX, MIN]], expected: 1, points: 3, hint: WS_HINT, fullHint: WS_MORE },
  { name: 'weightedSumChoice λ = (1, 0, 0): the most accurate', fn: 'weightedSumChoice', inputsUnchanged: true, args: [[[0.9, 3, 2], [0.95, 9, 4], [0.8, 1, 3]], [1, 0, 0], [MAX, MIN, MIN]], expected: 1, points: 3, hint: WS_HINT, fullHint: WS_MORE },
  { name: 'weightedSumChoice λ = (0, 1, 0): the fastest', fn: 'weightedSumChoice', inputsUnchanged: true, args: [[[0.9, 3, 2], [0.95, 9, 4], [0.8, 1, 3]], [0, 1, 0], [MAX, MIN, MIN]], expected: 2, points: 3, hint: WS_HINT, fullHint: WS_MORE },
  {
    name: 'weightedSumChoice λ = (0.7, 0.2, 0.1): J = −0.7+0.2+0.067, −0.35+0.05+0, 0+0+0.1',
    fn: 'weightedSumChoice', inputsUnchanged: true,
    args: [[[0.95, 9, 3], [0.875, 3, 1], [0.8, 1, 4]], [0.7, 0.2, 0.1], [MAX, MIN, MIN]],
    expected: 0,
    points: 3, hint: WS_HINT, fullHint: WS_MORE,
  },
  { name: 'weightedSumChoice: a constant objective counts 0; a tie goes to the smaller index', fn: 'weightedSumChoice', inputsUnchanged: true, args: [[[5, 2], [5, 1], [5, 1]], [0.5, 0.5], [MAX, MIN]], expected: 1, points: 3, hint: WS_HINT, fullHint: WS_MORE },
];

/** A small integer set: values 0..4 so ties and duplicates are common. */
function drawSet(rng: Rng, n: number, m: number): number[][] {
  return Array.from({ length: n }, () => Array.from({ length: m }, () => rng.int(0, 5)));
}

function drawDirections(rng: Rng, m: number): Dir[] {
  return Array.from({ length: m }, () => rng.choice([MAX, MIN]));
}

/** λ on the simplex in tenths. */
function drawLambda(rng: Rng, m: number): number[] {
  const cuts = Array.from({ length: m - 1 }, () => rng.int(0, 11)).sort((a, b) => a - b);
  const edges = [0, ...cuts, 10];
  return edges.slice(1).map((e, j) => (e - edges[j]) / 10);
}

/** Whether the two smallest weighted sums are far enough apart that any summation order agrees. */
function clearChoice(points: number[][], lambda: number[], dirs: Dir[]): boolean {
  const m = lambda.length;
  const lo = lambda.map((_, j) => Math.min(...points.map((p) => p[j])));
  const hi = lambda.map((_, j) => Math.max(...points.map((p) => p[j])));
  const J = points.map((p) => p.reduce((s, x, j) => s + lambda[j] * (dirs[j] === MAX ? -1 : 1) * (hi[j] === lo[j] ? 0 : (x - lo[j]) / (hi[j] - lo[j])), 0));
  const best = Math.min(...J);
  // Exact ties (equal points, zero weights) are fine; near-ties from rounding are not.
  return J.every((v) => v === best || Math.abs(v - best) > 1e-9) && m > 0;
}

function hiddenInputs(rng: Rng): CaseInput[] {
  const out: CaseInput[] = [];
  for (let i = 0; i < 6; i++) {
    const m = rng.int(1, 5);
    const [a, b] = drawSet(rng, 2, m);
    out.push({ name: `dominates (${m} objectives) #${i + 1}`, fn: 'dominates', args: [a, i % 3 === 0 ? a.slice() : b, drawDirections(rng, m)], points: 1 });
  }
  for (let i = 0; i < 5; i++) {
    const m = rng.int(2, 4);
    const pts = drawSet(rng, rng.int(1, 13), m);
    if (pts.length > 2) pts.push(pts[rng.int(0, pts.length)].slice()); // a duplicate
    out.push({ name: `nonDominatedIndices (${pts.length} points, ${m} objectives) #${i + 1}`, fn: 'nonDominatedIndices', inputsUnchanged: true, args: [pts, drawDirections(rng, m)], points: 2 });
  }
  for (let i = 0; i < 5; i++) {
    const m = rng.int(2, 4);
    let args: [number[][], number[], Dir[]];
    do {
      args = [drawSet(rng, rng.int(2, 10), m), drawLambda(rng, m), drawDirections(rng, m)];
    } while (!clearChoice(...args));
    out.push({ name: `weightedSumChoice (${args[0].length} points, λ = ${args[1].join(', ')}) #${i + 1}`, fn: 'weightedSumChoice', inputsUnchanged: true, args, points: 3 });
  }
  return out;
}

export const cases: ChapterCases = {
  chapter: '09',
  slug: 'pareto',
  functions: ['dominates', 'nonDominatedIndices', 'weightedSumChoice'],
  publicCases,
  hiddenInputs,
};
