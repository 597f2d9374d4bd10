/**
 * Chapter 07 cases: the rank model's mixing weight, prediction, rank correlation and curve, and a
 * sub-network evaluated with the supernet's shared weights.
 * Points: the formulas 1 each, the rank correlation 2 (the constant-prediction case), the curve 1,
 * the sub-network 3 (a walk over the cell's DAG with weights looked up, not owned).
 * Public expected values were worked out by hand (see the names); hidden cases draw accuracies,
 * biases, budgets and λ from the seed.
 */
import type { Rng } from '../../core/rng';
import type { Case, CaseInput, ChapterCases } from '../types';
import { roundTo } from './draw';

const ALPHA_HINT = 'α(E) = E / (E + λ): with E = 0 it is 0, with E = λ it is exactly 1/2.';
const PREDICTION_HINT = 'Compute α once, then pᵢ = α·sᵢ + (1 − α)·qᵢ for every architecture i. At E = 0, p is q itself.';
const RHO_HINT =
  'p = supernetPrediction(s, q, E, λ); if every pᵢ equals p₀ return 0, else return spearman(p, s) (p first or second: Spearman is symmetric). ' +
  'Ranks, not values, matter: ρ(0) is Spearman(q, s), and a large E/λ gives 1.';
const SUBNET_HINT =
  'Keep one vector per node, h[0] = x. For j = 1 … n−1 start hⱼ at zeros and add every incoming edge i→j: skip adds hᵢ as it is (no relu), ' +
  'none adds nothing, any other op adds relu(W·hᵢ) with W = shared["i->j"][op], the one matrix every sub-network that picks op there uses.';
const CURVE_HINT = 'One ρ per budget, each from the rank correlation you wrote for a single budget, in the order the budgets are given.';

const publicCases: Case[] = [
  { name: 'mixingWeight(10, 10) = 1/2', fn: 'mixingWeight', args: [10, 10], expected: 0.5, tolerance: 1e-12, points: 1, hint: ALPHA_HINT },
  { name: 'mixingWeight(0, 3): untrained, 0', fn: 'mixingWeight', args: [0, 3], expected: 0, tolerance: 1e-12, points: 1, hint: ALPHA_HINT },
  { name: 'mixingWeight(30, 10) = 30/40', fn: 'mixingWeight', args: [30, 10], expected: 0.75, tolerance: 1e-12, points: 1, hint: ALPHA_HINT },
  { name: 'supernetPrediction([90, 80], [70, 95], 5, 5) = [80, 87.5]', fn: 'supernetPrediction', args: [[90, 80], [70, 95], 5, 5], expected: [80, 87.5], tolerance: 1e-9, points: 1, hint: PREDICTION_HINT },
  { name: 'supernetPrediction(E = 0) = q', fn: 'supernetPrediction', args: [[90, 80, 85], [70, 95, 60], 0, 2], expected: [70, 95, 60], tolerance: 1e-9, points: 1, hint: PREDICTION_HINT },
  { name: 'supernetPrediction(E = 3λ): α = 3/4', fn: 'supernetPrediction', args: [[92, 84], [60, 88], 6, 2], expected: [84, 85], tolerance: 1e-9, points: 1, hint: PREDICTION_HINT },
  { name: 'rankCorrelation(q = reversed s, E = 0) = −1', fn: 'rankCorrelation', args: [[1, 2, 3], [3, 2, 1], 0, 1], expected: -1, tolerance: 1e-9, points: 2, hint: RHO_HINT },
  { name: 'rankCorrelation(q = reversed s, E = 3λ) = 1', fn: 'rankCorrelation', args: [[1, 2, 3], [3, 2, 1], 3, 1], expected: 1, tolerance: 1e-9, points: 2, hint: RHO_HINT },
  { name: 'rankCorrelation(q = [3, 1, 2], E = 0) = Spearman(q, s) = −0.5', fn: 'rankCorrelation', args: [[1, 2, 3], [3, 1, 2], 0, 1], expected: -0.5, tolerance: 1e-9, points: 2, hint: RHO_HINT },
  { name: 'rankCorrelation(q = 5 − s, E = λ): every p is 2.5, ρ = 0', fn: 'rankCorrelation', args: [[1, 2, 3, 4], [4, 3, 2, 1], 1, 1], expected: 0, tolerance: 1e-9, points: 2, hint: RHO_HINT },
  { name: 'rankCorrelationCurve([1, 2, 3], [3, 1, 2], [0, 10], 1) = [−0.5, 1]', fn: 'rankCorrelationCurve', args: [[1, 2, 3], [3, 1, 2], [0, 10], 1], expected: [-0.5, 1], tolerance: 1e-9, points: 1, hint: CURVE_HINT },
  { name: 'subnetOutput(one conv edge): relu([3, −4]) = [3, 0]', fn: 'subnetOutput', args: [{ '0->1': { conv: [[1, 0], [0, -1]] } }, { '0->1': 'conv' }, [3, 4]], expected: [3, 0], tolerance: 1e-9, points: 3, hint: SUBNET_HINT },
  { name: 'subnetOutput(skip): the input unchanged', fn: 'subnetOutput', args: [{ '0->1': { conv: [[5]] } }, { '0->1': 'skip' }, [2]], expected: [2], tolerance: 1e-9, points: 3, hint: SUBNET_HINT },
  { name: 'subnetOutput(conv3x3 of one shared table): relu(−1·−3) = 3', fn: 'subnetOutput', args: [{ '0->1': { conv1x1: [[2]], conv3x3: [[-1]] } }, { '0->1': 'conv3x3' }, [-3]], expected: [3], tolerance: 1e-9, points: 3, hint: SUBNET_HINT },
  { name: 'subnetOutput(conv1x1 of the same table): relu(2·−3) = 0', fn: 'subnetOutput', args: [{ '0->1': { conv1x1: [[2]], conv3x3: [[-1]] } }, { '0->1': 'conv1x1' }, [-3]], expected: [0], tolerance: 1e-9, points: 3, hint: SUBNET_HINT },
  { name: 'subnetOutput(3 nodes): h₁ = relu(2·1) = 2, h₂ = 1 + relu(0.5·2) = 2', fn: 'subnetOutput', args: [{ '0->1': { conv: [[2]] }, '0->2': { conv: [[1]] }, '1->2': { conv: [[0.5]] } }, { '0->1': 'conv', '0->2': 'skip', '1->2': 'conv' }, [1]], expected: [2], tolerance: 1e-9, points: 3, hint: SUBNET_HINT },
  { name: 'subnetOutput(skip, skip; the missing edge 0->2 is none): [1, −1] passes through', fn: 'subnetOutput', args: [{}, { '0->1': 'skip', '1->2': 'skip' }, [1, -1]], expected: [1, -1], tolerance: 1e-9, points: 3, hint: SUBNET_HINT },
  {
    name: 'subnetOutput(4 nodes, 6 edges): h₁ = [3, 2], h₂ = [1, 2], h₃ = [3, 2] + relu([2, −1]) = [5, 2]',
    fn: 'subnetOutput',
    args: [
      { '0->1': { conv: [[1, 1], [0, 1]] }, '0->2': { conv: [[9, 9], [9, 9]] }, '1->2': { conv: [[9, 9], [9, 9]] }, '0->3': { conv: [[9, 9], [9, 9]] }, '1->3': { conv: [[9, 9], [9, 9]] }, '2->3': { conv: [[0, 1], [-1, 0]] } },
      { '0->1': 'conv', '0->2': 'skip', '1->2': 'none', '0->3': 'none', '1->3': 'skip', '2->3': 'conv' },
      [1, 2],
    ],
    expected: [5, 2],
    tolerance: 1e-9,
    points: 3,
    hint: SUBNET_HINT,
  },
  { name: 'rankCorrelationCurve(q = s): 1 at every budget', fn: 'rankCorrelationCurve', args: [[5, 1, 4], [5, 1, 4], [0, 1, 100], 7], expected: [1, 1, 1], tolerance: 1e-9, points: 1, hint: CURVE_HINT },
];

/** n accuracies in [60, 95], rounded (so ties happen now and then), not all equal. */
function accuracies(rng: Rng, n: number): number[] {
  for (;;) {
    const xs = Array.from({ length: n }, () => roundTo(rng.uniform(60, 95), 0));
    if (xs.some((x) => x !== xs[0])) return xs;
  }
}

function hiddenInputs(rng: Rng): CaseInput[] {
  const out: CaseInput[] = [];
  for (let i = 0; i < 3; i++) {
    out.push({ name: `mixingWeight #${i + 1}`, fn: 'mixingWeight', args: [roundTo(rng.uniform(0, 50), 1), roundTo(rng.uniform(0.5, 20), 1)], tolerance: 1e-9, points: 1 });
  }
  for (let i = 0; i < 5; i++) {
    const n = rng.int(4, 15);
    const s = accuracies(rng, n);
    const q = accuracies(rng, n);
    const lambda = roundTo(rng.uniform(0.5, 20), 1);
    const e = roundTo(rng.uniform(0, 40), 1);
    out.push({ name: `supernetPrediction(n = ${n}) #${i + 1}`, fn: 'supernetPrediction', args: [s, q, e, lambda], tolerance: 1e-9, points: 1 });
    out.push({ name: `rankCorrelation(n = ${n}) #${i + 1}`, fn: 'rankCorrelation', args: [s, q, e, lambda], tolerance: 1e-9, points: 2 });
    const budgets = [0, 1, 2, 4, 8, 16, 32].slice(0, rng.int(3, 8));
    out.push({ name: `rankCorrelationCurve(n = ${n}, ${budgets.length} budgets) #${i + 1}`, fn: 'rankCorrelationCurve', args: [s, q, budgets, lambda], tolerance: 1e-9, points: 1 });
  }
  for (let i = 0; i < 4; i++) {
    const [shared, path, x] = drawSubnet(rng);
    out.push({ name: `subnetOutput(${Object.keys(shared).length} edges, ${x.length}-vectors) #${i + 1}`, fn: 'subnetOutput', args: [shared, path, x], tolerance: 1e-9, points: 3 });
  }
  return out;
}

const SUBNET_OPS = ['none', 'skip', 'conv1x1', 'conv3x3'];

/** A supernet cell on 2–4 nodes with a shared matrix per parametric candidate of every edge, one path through it, and an input. */
function drawSubnet(rng: Rng): [Record<string, Record<string, number[][]>>, Record<string, string>, number[]] {
  const nodes = rng.int(2, 5);
  const d = rng.int(1, 4);
  const matrix = () => Array.from({ length: d }, () => Array.from({ length: d }, () => roundTo(rng.uniform(-1.5, 1.5), 1)));
  const shared: Record<string, Record<string, number[][]>> = {};
  const path: Record<string, string> = {};
  for (let j = 1; j < nodes; j++) {
    for (let i = 0; i < j; i++) {
      shared[`${i}->${j}`] = { conv1x1: matrix(), conv3x3: matrix() };
      path[`${i}->${j}`] = rng.choice(SUBNET_OPS);
    }
  }
  return [shared, path, Array.from({ length: d }, () => roundTo(rng.uniform(-2, 2), 1))];
}

export const cases: ChapterCases = {
  chapter: '07',
  slug: 'supernets',
  functions: ['mixingWeight', 'supernetPrediction', 'rankCorrelation', 'rankCorrelationCurve', 'subnetOutput'],
  publicCases,
  hiddenInputs,
};
