/**
 * Chapter 07 cases: the rank model's mixing weight, prediction, rank correlation and curve.
 * Points: the formulas 1 each, the rank correlation 2 (the constant-prediction case), the curve 1.
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
  return out;
}

export const cases: ChapterCases = {
  chapter: '07',
  slug: 'supernets',
  functions: ['mixingWeight', 'supernetPrediction', 'rankCorrelation', 'rankCorrelationCurve'],
  publicCases,
  hiddenInputs,
};
