/**
 * Chapter 06 cases: the two aggregations of per-operation times over an operation graph, and the
 * least-squares latency model. Points: the sum 1, the depth-max 2 (depths, in any list order), the
 * fit 3 (the normal equations). Public expected values were worked out by hand (see the names);
 * hidden cases draw graphs in shuffled order and noisy measurements from the seed.
 */
import type { Rng } from '../../core/rng';
import type { Case, CaseInput, ChapterCases } from '../types';
import { roundTo } from './draw';

const SUM_HINT = 'Add up op.time over every operation; the graph does not matter on a sequential processor.';
const DEPTH_HINT =
  'depth(i) = 1 + max(depth(j) for j in ops[i].inputs), with depth(-1) = 0. The list is not in order, so compute depths ' +
  'recursively with a memo (or repeat a pass until nothing changes). Then, for each depth, keep the LARGEST time, and add those maxima.';
const FIT_HINT =
  'Build A = XᵀX (3 x 3, entries Σ rᵢ·rⱼ over rows r = [M, S, 1]) and v = Xᵀy (Σ r·ms). Solve A·[a, b, c] = v, for example by ' +
  "Cramer's rule: coefficient k = det(A with column k replaced by v) / det(A). Return { a, b, c }: a multiplies macs, b outputSize.";

const op = (inputs: number[], time: number) => ({ inputs, time });
const chain = [op([-1], 1), op([0], 2), op([1], 3), op([2], 4)];
const diamond = [op([-1], 3), op([-1], 5), op([0, 1], 1)];
const uneven = [op([-1], 2), op([0], 2), op([-1], 7), op([1, 2], 1)];
const unordered = [op([1, 2], 1), op([-1], 3), op([-1], 5)];
/** A reduction-like block beside a skip branch whose op costs 0. */
const withSkip = [op([-1], 1), op([0], 0), op([0], 6), op([2], 2), op([1, 3], 0.5)];
const s = (macs: number, outputSize: number, ms: number) => ({ macs, outputSize, ms });

const publicCases: Case[] = [
  { name: 'sequentialLatency(chain 1, 2, 3, 4) = 10', fn: 'sequentialLatency', args: [chain], expected: 10, tolerance: 1e-12, points: 1, hint: SUM_HINT },
  { name: 'sequentialLatency(branches 3 and 5, then add 1) = 9', fn: 'sequentialLatency', args: [diamond], expected: 9, tolerance: 1e-12, points: 1, hint: SUM_HINT },
  { name: 'sequentialLatency(a skip branch of time 0) = 9.5', fn: 'sequentialLatency', args: [withSkip], expected: 9.5, tolerance: 1e-12, points: 1, hint: SUM_HINT },
  { name: 'depthMaxLatency(chain): the sum again, 10', fn: 'depthMaxLatency', args: [chain], expected: 10, tolerance: 1e-12, points: 2, hint: DEPTH_HINT },
  { name: 'depthMaxLatency(branches 3 and 5, then add 1) = 5 + 1', fn: 'depthMaxLatency', args: [diamond], expected: 6, tolerance: 1e-12, points: 2, hint: DEPTH_HINT },
  { name: 'depthMaxLatency(branches of 2 ops and 1 op) = max(2, 7) + 2 + 1', fn: 'depthMaxLatency', args: [uneven], expected: 10, tolerance: 1e-12, points: 2, hint: DEPTH_HINT },
  { name: 'depthMaxLatency(the same diamond listed out of order) = 6', fn: 'depthMaxLatency', args: [unordered], expected: 6, tolerance: 1e-12, points: 2, hint: DEPTH_HINT },
  { name: 'depthMaxLatency(skip beside a conv: levels 1 | 6 | 2 | 0.5) = 9.5', fn: 'depthMaxLatency', args: [withSkip], expected: 9.5, tolerance: 1e-12, points: 2, hint: DEPTH_HINT },
  { name: 'fitLatency(three points, three unknowns) = { a: 0.1, b: 0.5, c: 0.5 }', fn: 'fitLatency', args: [[s(0, 1, 1), s(10, 1, 2), s(0, 3, 2)]], expected: { a: 0.1, b: 0.5, c: 0.5 }, tolerance: 1e-9, points: 3, hint: FIT_HINT },
  {
    name: 'fitLatency(exact data from a = 0.01, b = 0.1, c = 1)',
    fn: 'fitLatency',
    args: [[s(0, 10, 2), s(100, 10, 3), s(200, 20, 5), s(100, 30, 5)]],
    expected: { a: 0.01, b: 0.1, c: 1 },
    tolerance: 1e-9,
    points: 3,
    hint: FIT_HINT,
  },
  {
    name: 'fitLatency(a square with residuals ±0.25) = { a: 1.5, b: 1.5, c: 0.75 }',
    fn: 'fitLatency',
    args: [[s(0, 0, 1), s(1, 0, 2), s(0, 1, 2), s(1, 1, 4)]],
    expected: { a: 1.5, b: 1.5, c: 0.75 },
    tolerance: 1e-9,
    points: 3,
    hint: FIT_HINT,
  },
];

/** A random operation graph (each op reads earlier ones or the input), listed in a shuffled order. */
function randomGraph(rng: Rng, n: number): { inputs: number[]; time: number }[] {
  const inOrder = Array.from({ length: n }, (_, i) => {
    const k = i === 0 ? 1 : rng.int(1, 3);
    const inputs = [...new Set(Array.from({ length: k }, () => rng.int(-1, i)))];
    return { inputs, time: roundTo(rng.uniform(0, 5), 2) };
  });
  const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  const where = new Map(order.map((original, position) => [original, position]));
  return order.map((original) => ({ inputs: inOrder[original].inputs.map((j) => (j === -1 ? -1 : (where.get(j) as number))), time: inOrder[original].time }));
}

function hiddenInputs(rng: Rng): CaseInput[] {
  const out: CaseInput[] = [];
  for (let i = 0; i < 4; i++) {
    const g = randomGraph(rng, rng.int(3, 12));
    out.push({ name: `sequentialLatency(${g.length} ops) #${i + 1}`, fn: 'sequentialLatency', args: [g], tolerance: 1e-9, points: 1 });
    out.push({ name: `depthMaxLatency(${g.length} ops) #${i + 1}`, fn: 'depthMaxLatency', args: [g], tolerance: 1e-9, points: 2 });
  }
  for (let i = 0; i < 4; i++) {
    const [a, b, c] = [rng.uniform(1e-4, 1e-2), rng.uniform(1e-3, 1e-1), rng.uniform(0.05, 1)];
    const samples = Array.from({ length: rng.int(5, 15) }, () => {
      const macs = rng.int(0, 2000);
      const outputSize = rng.int(1, 200);
      return s(macs, outputSize, roundTo(Math.max(0, a * macs + b * outputSize + c + rng.normal(0, 0.05)), 4));
    });
    out.push({ name: `fitLatency(${samples.length} noisy measurements) #${i + 1}`, fn: 'fitLatency', args: [samples], tolerance: 1e-6, points: 3 });
  }
  return out;
}

export const cases: ChapterCases = {
  chapter: '06',
  slug: 'latency',
  functions: ['sequentialLatency', 'depthMaxLatency', 'fitLatency'],
  publicCases,
  hiddenInputs,
};
