import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../../src/core/rng';
import { NB201_EDGES, NB201_OPS } from '../../../src/spaces/nb201';
import { bestConstrainedPath, nb201ConstrainedPath, type WeightedDag, type WeightedEdge } from '../../../src/strategies/darts/path';
import { CELL_OPS, type CellOp } from '../../../src/tensor/arch';

const COUNTED = (op: CellOp): boolean => op !== 'skip' && op !== 'none';

/** Every input-to-output path of the DAG, by depth-first search. */
function allPaths(dag: WeightedDag): WeightedEdge[][] {
  const out: WeightedEdge[][] = [];
  const walk = (v: number, sofar: WeightedEdge[]): void => {
    if (v === dag.nodes - 1) out.push(sofar);
    for (const e of dag.edges) if (e.from === v) walk(e.to, [...sofar, e]);
  };
  walk(0, []);
  return out;
}

/** The reference: every path, every assignment of a usable operation to each of its edges. */
function bruteForce(dag: WeightedDag, lMin: number): number {
  let best = -Infinity;
  for (const path of allPaths(dag)) {
    const options = path.map((e) => CELL_OPS.filter((op) => op !== 'none' && (e.weights[op] ?? 0) > 0));
    const assign = (i: number, score: number, counted: number): void => {
      if (i === path.length) {
        if (counted >= lMin) best = Math.max(best, score);
        return;
      }
      for (const op of options[i]) assign(i + 1, score + Math.log(path[i].weights[op] as number), counted + (COUNTED(op) ? 1 : 0));
    };
    assign(0, 0, 0);
  }
  return best;
}

/** The complete DAG on n nodes restricted to the edges whose bit is set in `mask`, random weights (some 0, some missing). */
function subDag(n: number, mask: number, rng: Rng): WeightedDag {
  const edges: WeightedEdge[] = [];
  let bit = 0;
  for (let to = 1; to < n; to++) {
    for (let from = 0; from < to; from++, bit++) {
      if (!(mask & (1 << bit))) continue;
      const weights: Partial<Record<CellOp, number>> = {};
      for (const op of CELL_OPS) {
        const u = rng.uniform();
        if (u < 0.1) continue;
        weights[op] = u < 0.15 ? 0 : rng.uniform();
      }
      edges.push({ from, to, weights });
    }
  }
  return { nodes: n, edges };
}

function longest(dag: WeightedDag): number {
  return Math.max(-1, ...allPaths(dag).map((p) => p.length));
}

describe('bestConstrainedPath', () => {
  it('matches brute-force enumeration on every sub-DAG of the 4- and 5-node complete DAGs, for every ℓ_min', () => {
    const rng = createRng('path-brute-force');
    let compared = 0;
    for (const n of [4, 5]) {
      const edgeCount = (n * (n - 1)) / 2;
      for (let mask = 0; mask < 2 ** edgeCount; mask++) {
        const dag = subDag(n, mask, rng);
        for (let lMin = 0; lMin <= n - 1; lMin++) {
          const ref = bruteForce(dag, lMin);
          if (ref === -Infinity) {
            expect(() => bestConstrainedPath(dag, lMin)).toThrow(RangeError);
            continue;
          }
          const found = bestConstrainedPath(dag, lMin);
          expect(Math.abs(found.logWeight - ref)).toBeLessThan(1e-12);
          // The path returned really is a path with that score and enough counted operations.
          const score = found.path.reduce((s, e, i) => {
            if (i > 0) expect(e.from).toBe(found.path[i - 1].to);
            const edge = dag.edges.find((d) => d.from === e.from && d.to === e.to) as WeightedEdge;
            return s + Math.log(edge.weights[e.op] as number);
          }, 0);
          expect(found.path[0].from).toBe(0);
          expect(found.path[found.path.length - 1].to).toBe(n - 1);
          expect(Math.abs(score - found.logWeight)).toBeLessThan(1e-12);
          expect(found.counted).toBeGreaterThanOrEqual(lMin);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(1500);
  });
  it('repairs a collapsed NAS-Bench-201 cell: skip everywhere becomes a path of convolutions', () => {
    const collapsed = Array.from({ length: 6 }, () => [0.05, 0.6, 0.1, 0.15, 0.1]);
    expect(nb201ConstrainedPath(collapsed, 0).cell.ops).toEqual(['none', 'none', 'none', 'skip', 'none', 'none']);
    const two = nb201ConstrainedPath(collapsed, 2);
    expect(two.cell.ops).toEqual(['conv3x3', 'none', 'none', 'none', 'conv3x3', 'none']);
    expect(two.logWeight).toBeCloseTo(2 * Math.log(0.15), 12);
    const three = nb201ConstrainedPath(collapsed, 3, { others: 'argmax' });
    expect(three.cell.ops).toEqual(['conv3x3', 'skip', 'conv3x3', 'skip', 'skip', 'conv3x3']);
    expect(three.counted).toBe(3);
  });
  it('ℓ_min = 0 is the best path by weight alone; counting only convolutions changes the choice', () => {
    const w = Array.from({ length: 6 }, () => [0.1, 0.2, 0.1, 0.1, 0.5]);
    expect(nb201ConstrainedPath(w, 1).path).toEqual([{ from: 0, to: 3, op: 'avgpool3x3' }]);
    expect(nb201ConstrainedPath(w, 1, { counted: ['conv1x1', 'conv3x3'] }).path).toEqual([{ from: 0, to: 3, op: 'conv1x1' }]);
  });
  it('agrees with the brute force on 300 random NAS-Bench-201 weight tables with zero weights (an edge with only none left is cut)', () => {
    const rng = createRng('nb201-paths');
    for (let t = 0; t < 300; t++) {
      const weights = NB201_EDGES.map(() => NB201_OPS.map(() => (rng.uniform() < 0.1 ? 0 : rng.uniform())));
      const dag: WeightedDag = { nodes: 4, edges: NB201_EDGES.map(({ from, to }, e) => ({ from, to, weights: Object.fromEntries(NB201_OPS.map((op, j) => [op, weights[e][j]])) })) };
      for (let lMin = 0; lMin <= 3; lMin++) {
        const ref = bruteForce(dag, lMin);
        if (ref === -Infinity) expect(() => nb201ConstrainedPath(weights, lMin)).toThrow(RangeError);
        else expect(Math.abs(nb201ConstrainedPath(weights, lMin).logWeight - ref)).toBeLessThan(1e-12);
      }
    }
  });
  it('rejects ℓ_min beyond the longest path, NaN weights, a DAG without an input-output path, and a cycle', () => {
    const chain: WeightedDag = { nodes: 3, edges: [{ from: 0, to: 1, weights: { conv3x3: 1 } }, { from: 1, to: 2, weights: { skip: 1 } }] };
    expect(longest(chain)).toBe(2);
    expect(() => bestConstrainedPath(chain, 3)).toThrow("bestConstrainedPath: 'lMin' must be <= 2, the longest input-to-output path, got 3");
    expect(() => nb201ConstrainedPath(Array.from({ length: 6 }, () => [0, 1, 1, 1, 1]), 4)).toThrow("nb201ConstrainedPath: 'lMin' must be <= 3, the longest input-to-output path, got 4");
    expect(() => bestConstrainedPath({ nodes: 2, edges: [{ from: 0, to: 1, weights: { conv3x3: Number.NaN } }] }, 0)).toThrow(
      "bestConstrainedPath: 'dag.edges[0].weights.conv3x3' must be a finite number >= 0, got NaN",
    );
    expect(() => nb201ConstrainedPath(Array.from({ length: 6 }, () => [0, 1, Number.NaN, 1, 1]), 1)).toThrow("nb201ConstrainedPath: 'weights[0][2]' must be a finite number >= 0, got NaN");
    expect(() => bestConstrainedPath({ nodes: 3, edges: [{ from: 0, to: 1, weights: { conv3x3: 1 } }] }, 0)).toThrow(
      "bestConstrainedPath: 'dag' must have a path from node 0 to node 2 through operations of positive weight, got none",
    );
    expect(() => bestConstrainedPath({ nodes: 2, edges: [{ from: 0, to: 1, weights: { none: 1 } }] }, 0)).toThrow(/must have a path from node 0 to node 1/);
    expect(() => bestConstrainedPath({ nodes: 2, edges: [{ from: 0, to: 1, weights: { skip: 1, conv3x3: 0 } }] }, 1)).toThrow(
      "bestConstrainedPath: 'dag' must have an input-to-output path with at least 1 counted operations of positive weight, got none",
    );
    const cyclic = { nodes: 4, edges: [{ from: 1, to: 2, weights: {} }, { from: 2, to: 1, weights: {} }] };
    expect(() => bestConstrainedPath(cyclic, 0)).toThrow("bestConstrainedPath: 'dag' must be acyclic, got the cycle 1 -> 2 -> 1");
    expect(() => bestConstrainedPath(chain, -1)).toThrow("bestConstrainedPath: 'lMin' must be an integer >= 0, got -1");
    expect(() => bestConstrainedPath({ nodes: 2, edges: [{ from: 0, to: 1, weights: { conv5x5: 1 } as never }] }, 0)).toThrow(/weights key' must be one of/);
  });
});
