/**
 * Chapter 05 cases: the soft-threshold, the root of the projection's dual, the sparse projection
 * composed from them, and the ℓ_min path DP. Points follow difficulty: the soft-threshold 1, the
 * composition 1, the dual root 3 (breakpoints and a linear piece), the DP 3. Public expected
 * values were worked out by hand (the arithmetic is in each case's name); hidden cases draw
 * weights and small DAGs from the seed.
 */
import type { Rng } from '../../core/rng';
import type { Case, CaseInput, ChapterCases } from '../types';
import { roundTo } from './draw';

const THRESHOLD_HINT =
  'Three cases: x > λ gives x − λ, x < −λ gives x + λ, anything in between gives 0. With λ = 0 it is x itself.';
const MULTIPLIER_HINT =
  'Sort the 2n breakpoints cᵢ − λ and cᵢ + λ. The sum Σ S_λ(cᵢ − μ) falls as μ grows: find neighbouring breakpoints ' +
  'where it goes from >= 1 to < 1 (or below the smallest one), take μ in between to learn which cᵢ − μ are above λ (P) and ' +
  'below −λ (N), then solve Σ_P (cᵢ − λ − μ) + Σ_N (cᵢ + λ − μ) = 1 for μ. With λ = 0, μ = (Σc − 1)/n.';
const PROJECTION_HINT =
  'μ = projectionMultiplier(c, λ), then βᵢ = softThreshold(cᵢ − μ, λ). The result sums to 1; entries with |cᵢ − μ| <= λ are exactly 0.';
const PATH_HINT =
  'Keep best[v][k]: the largest Σ log w of a path from node 0 to v with k counted (non-skip) operations, k capped at lMin ' +
  '(start best[0][0] = 0, everything else −Infinity). Visit edges by increasing source node; along an edge try every ' +
  "operation with a positive weight except 'none': skip keeps k, any other moves to min(k + 1, lMin). Answer best[nodes − 1][lMin].";

const LN = Math.log;
/** The weights DARTS often ends with on NAS-Bench-201: skip dominates every edge. */
const collapsedEdge = { none: 0.05, skip: 0.6, conv1x1: 0.1, conv3x3: 0.15, avgpool3x3: 0.1 };
const NB201_SHAPE = [[0, 1], [0, 2], [1, 2], [0, 3], [1, 3], [2, 3]];
const collapsed = NB201_SHAPE.map(([from, to]) => ({ from, to, weights: collapsedEdge }));
const tiny = [
  { from: 0, to: 1, weights: { skip: 0.9, conv3x3: 0.1 } },
  { from: 1, to: 2, weights: { skip: 0.8, conv1x1: 0.2 } },
  { from: 0, to: 2, weights: { skip: 0.7, conv3x3: 0.15 } },
];

const publicCases: Case[] = [
  { name: 'softThreshold(1.5, 0.5) = 1', fn: 'softThreshold', args: [1.5, 0.5], expected: 1, tolerance: 1e-12, points: 1, hint: THRESHOLD_HINT },
  { name: 'softThreshold(-1.5, 0.5) = -1', fn: 'softThreshold', args: [-1.5, 0.5], expected: -1, tolerance: 1e-12, points: 1, hint: THRESHOLD_HINT },
  { name: 'softThreshold(0.3, 0.5): inside the band', fn: 'softThreshold', args: [0.3, 0.5], expected: 0, tolerance: 1e-12, points: 1, hint: THRESHOLD_HINT },
  { name: 'softThreshold(-0.2, 0): λ = 0 leaves x', fn: 'softThreshold', args: [-0.2, 0], expected: -0.2, tolerance: 1e-12, points: 1, hint: THRESHOLD_HINT },
  { name: 'projectionMultiplier([1, 2, 3], λ = 0) = (6 − 1)/3', fn: 'projectionMultiplier', args: [[1, 2, 3], 0], expected: 5 / 3, tolerance: 1e-9, points: 3, hint: MULTIPLIER_HINT },
  { name: 'projectionMultiplier([2, 0, 0], 0.5) = 2 − 0.5 − 1', fn: 'projectionMultiplier', args: [[2, 0, 0], 0.5], expected: 0.5, tolerance: 1e-9, points: 3, hint: MULTIPLIER_HINT },
  { name: 'projectionMultiplier([1, 0.6, 0.1], 0.3) = (0.7 + 0.3 − 1)/2', fn: 'projectionMultiplier', args: [[1, 0.6, 0.1], 0.3], expected: 0, tolerance: 1e-9, points: 3, hint: MULTIPLIER_HINT },
  { name: 'projectionMultiplier([3, 3, 3, 3], 1) = (4·2 − 1)/4', fn: 'projectionMultiplier', args: [[3, 3, 3, 3], 1], expected: 1.75, tolerance: 1e-9, points: 3, hint: MULTIPLIER_HINT },
  { name: 'projectionMultiplier([0.5, 0.3, 0.2], 0.1): a probability vector, μ = −λ', fn: 'projectionMultiplier', args: [[0.5, 0.3, 0.2], 0.1], expected: -0.1, tolerance: 1e-9, points: 3, hint: MULTIPLIER_HINT },
  { name: 'sparseProjection([1, 0.6, 0.1], 0.3) = [0.7, 0.3, 0]', fn: 'sparseProjection', args: [[1, 0.6, 0.1], 0.3], expected: [0.7, 0.3, 0], tolerance: 1e-9, points: 1, hint: PROJECTION_HINT },
  { name: 'sparseProjection([1, 2, 3], 0) = c − 5/3: signed weights', fn: 'sparseProjection', args: [[1, 2, 3], 0], expected: [-2 / 3, 1 / 3, 4 / 3], tolerance: 1e-9, points: 1, hint: PROJECTION_HINT },
  { name: 'sparseProjection([0.2, 1.4, -1], 100): a huge λ projects onto the simplex', fn: 'sparseProjection', args: [[0.2, 1.4, -1], 100], expected: [0, 1, 0], tolerance: 1e-9, points: 1, hint: PROJECTION_HINT },
  { name: 'constrainedPathLogWeight(3 nodes, lMin = 0): skip, skip = log 0.72', fn: 'constrainedPathLogWeight', args: [3, tiny, 0], expected: LN(0.72), tolerance: 1e-9, points: 3, hint: PATH_HINT },
  { name: 'constrainedPathLogWeight(3 nodes, lMin = 1): skip then conv1x1 = log 0.18', fn: 'constrainedPathLogWeight', args: [3, tiny, 1], expected: LN(0.18), tolerance: 1e-9, points: 3, hint: PATH_HINT },
  { name: 'constrainedPathLogWeight(3 nodes, lMin = 2): conv3x3 then conv1x1 = log 0.02', fn: 'constrainedPathLogWeight', args: [3, tiny, 2], expected: LN(0.02), tolerance: 1e-9, points: 3, hint: PATH_HINT },
  { name: 'constrainedPathLogWeight(collapsed NAS-Bench-201 cell, lMin = 0): one skip = log 0.6', fn: 'constrainedPathLogWeight', args: [4, collapsed, 0], expected: LN(0.6), tolerance: 1e-9, points: 3, hint: PATH_HINT },
  { name: 'constrainedPathLogWeight(collapsed cell, lMin = 1): conv3x3 on 3 <- 0 beats skip + conv', fn: 'constrainedPathLogWeight', args: [4, collapsed, 1], expected: LN(0.15), tolerance: 1e-9, points: 3, hint: PATH_HINT },
  { name: 'constrainedPathLogWeight(collapsed cell, lMin = 2) = 2·log 0.15', fn: 'constrainedPathLogWeight', args: [4, collapsed, 2], expected: 2 * LN(0.15), tolerance: 1e-9, points: 3, hint: PATH_HINT },
  { name: 'constrainedPathLogWeight(collapsed cell, lMin = 3) = 3·log 0.15', fn: 'constrainedPathLogWeight', args: [4, collapsed, 3], expected: 3 * LN(0.15), tolerance: 1e-9, points: 3, hint: PATH_HINT },
];

const OPS = ['none', 'skip', 'conv1x1', 'conv3x3', 'avgpool3x3'];

/** A DAG on n nodes that always holds the chain 0 → 1 → … → n−1 (so every lMin <= n − 1 is feasible), plus random extra edges. */
function randomDag(rng: Rng, n: number): { from: number; to: number; weights: Record<string, number> }[] {
  const edges: { from: number; to: number; weights: Record<string, number> }[] = [];
  for (let to = 1; to < n; to++) {
    for (let from = 0; from < to; from++) {
      if (from !== to - 1 && rng.uniform() < 0.4) continue;
      const weights: Record<string, number> = {};
      for (const op of OPS) if (rng.uniform() < 0.8) weights[op] = roundTo(rng.uniform(0.01, 1), 2);
      // Every chain edge keeps a counted operation, so a path with lMin counted operations exists.
      if (from === to - 1) weights.conv3x3 = roundTo(rng.uniform(0.01, 1), 2);
      edges.push({ from, to, weights });
    }
  }
  return rng.shuffle(edges);
}

function hiddenInputs(rng: Rng): CaseInput[] {
  const out: CaseInput[] = [];
  for (let i = 0; i < 3; i++) {
    const args = [roundTo(rng.uniform(-3, 3), 2), roundTo(rng.uniform(0, 1.5), 2)];
    out.push({ name: `softThreshold #${i + 1}`, fn: 'softThreshold', args, tolerance: 1e-9, points: 1 });
  }
  for (let i = 0; i < 5; i++) {
    const n = rng.int(2, 8);
    const c = Array.from({ length: n }, () => roundTo(rng.normal(0, 1.5), 2));
    const lambda = i === 0 ? 0 : roundTo(rng.uniform(0, 2), 2);
    out.push({ name: `projectionMultiplier(n = ${n}) #${i + 1}`, fn: 'projectionMultiplier', args: [c, lambda], tolerance: 1e-9, points: 3 });
    out.push({ name: `sparseProjection(n = ${n}) #${i + 1}`, fn: 'sparseProjection', args: [c, lambda], tolerance: 1e-9, points: 1 });
  }
  for (let i = 0; i < 5; i++) {
    const n = rng.int(3, 7);
    out.push({ name: `constrainedPathLogWeight(${n} nodes) #${i + 1}`, fn: 'constrainedPathLogWeight', args: [n, randomDag(rng, n), rng.int(0, n)], tolerance: 1e-9, points: 3 });
  }
  return out;
}

export const cases: ChapterCases = {
  chapter: '05',
  slug: 'darts',
  functions: ['softThreshold', 'projectionMultiplier', 'sparseProjection', 'constrainedPathLogWeight'],
  publicCases,
  hiddenInputs,
};
