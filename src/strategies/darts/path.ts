/**
 * The constrained-path repair of a DARTS result. DARTS tends to collapse onto parameter-free
 * skip connections (Zela et al. 2020); one remedy is to demand that the architecture keep an
 * input-to-output path with at least ℓ_min non-skip operations, and to pick, among such paths, the
 * one the learned weights like best: the path and the operation on each of its edges that
 * maximise Σ log wₑ(op).
 *
 * Dynamic programming over the cell DAG solves this exactly. The state is (node, k) with k the
 * number of non-skip operations on the way so far, capped at ℓ_min (beyond ℓ_min the constraint
 * is met and more does not matter); best(v, k) is the largest log-weight of a path from the input
 * to v in state k. Along an edge a path either uses the edge's best counted operation (k grows by
 * one, up to the cap) or its best uncounted one (skip; k stays). The answer is best(output, ℓ_min).
 * O(nodes · edges · ℓ_min).
 *
 * `none` never sits on a path: a zero carries nothing from the input to the output.
 */
import { checkArray, checkInt, checkNumber, checkOneOf, describe } from '../../core/checks';
import { CELL_OPS, checkCellArch, type CellArch, type CellEdge, type CellOp } from '../../tensor/arch';
import { NB201_EDGES, NB201_NODES, NB201_OPS, type Nb201Cell, type Nb201Op } from '../../spaces/nb201';

/** One edge of a cell DAG with a weight (for example a softmax of DARTS's α) per operation. */
export interface WeightedEdge {
  from: number;
  to: number;
  /** Weight >= 0 of each candidate operation; a missing operation or a 0 weight cannot be chosen. */
  weights: Readonly<Partial<Record<CellOp, number>>>;
}

/** A cell DAG: node 0 the input, node `nodes - 1` the output, each edge with weighted operations. */
export interface WeightedDag {
  nodes: number;
  edges: readonly WeightedEdge[];
}

/** Options of {@link bestConstrainedPath}. */
export interface ConstrainedPathOptions {
  /** Operations that count towards ℓ_min (default: every operation but 'skip' and 'none'). */
  counted?: readonly CellOp[];
  /** What the repaired cell puts on edges off the path: 'none' (default) or each edge's argmax without 'none'. */
  others?: 'none' | 'argmax';
}

/** The best path with at least ℓ_min counted operations, and the cell it repairs. */
export interface ConstrainedPath {
  /** The path's edges from input to output, each with the operation chosen on it. */
  path: CellEdge[];
  /** Σ log w of the chosen operations. */
  logWeight: number;
  /** Counted operations on the path (>= ℓ_min). */
  counted: number;
  /** Every edge of the DAG: the path's operations on the path, `others` off it. */
  cell: CellArch;
}

const DEFAULT_UNCOUNTED: readonly CellOp[] = ['skip', 'none'];

function checkDag(dag: unknown, caller: string): WeightedDag {
  if (typeof dag !== 'object' || dag === null || Array.isArray(dag)) {
    throw new TypeError(`${caller}: 'dag' must be { nodes, edges: [{ from, to, weights }] }, got ${describe(dag)}`);
  }
  const d = dag as Record<string, unknown>;
  const edges = checkArray<Record<string, unknown>>('dag.edges', d.edges, {}, caller);
  // The shape (endpoints, no loops, no repeated edge, no cycle) is a cell's: reuse its check.
  try {
    checkCellArch({ kind: 'cell', nodes: d.nodes, edges: edges.map((e) => ({ from: e?.from, to: e?.to, op: 'none' })) }, caller);
  } catch (err) {
    // The cell check names its argument 'arch'; here it is 'dag'.
    const error = err as Error;
    error.message = error.message.replace(/'arch(?=[.'])/g, "'dag");
    throw error;
  }
  edges.forEach((e, i) => {
    const w = e.weights;
    if (typeof w !== 'object' || w === null || Array.isArray(w)) {
      throw new TypeError(`${caller}: 'dag.edges[${i}].weights' must be an object { op: weight }, got ${describe(w)}`);
    }
    for (const [op, value] of Object.entries(w)) {
      checkOneOf(`dag.edges[${i}].weights key`, op, CELL_OPS, caller);
      checkNumber(`dag.edges[${i}].weights.${op}`, value, { min: 0 }, caller);
    }
  });
  return dag as WeightedDag;
}

/** The operation of largest positive weight among `ops` on an edge (first in CELL_OPS order on ties), or null. */
function bestOp(edge: WeightedEdge, allowed: (op: CellOp) => boolean): { op: CellOp; logWeight: number } | null {
  let best: { op: CellOp; logWeight: number } | null = null;
  for (const op of CELL_OPS) {
    const w = edge.weights[op];
    if (op === 'none' || !allowed(op) || w === undefined || w <= 0) continue;
    if (best === null || Math.log(w) > best.logWeight) best = { op, logWeight: Math.log(w) };
  }
  return best;
}

/** The longest input-to-output path in edges over edges with a usable operation, or −1 when there is none. */
function longestPath(n: number, usable: readonly WeightedEdge[]): number {
  const length = new Array<number>(n).fill(-Infinity);
  length[0] = 0;
  // A DAG's paths have at most n − 1 edges: n − 1 rounds of relaxation settle every node.
  for (let round = 0; round < n - 1; round++) {
    for (const e of usable) length[e.to] = Math.max(length[e.to], length[e.from] + 1);
  }
  return Number.isFinite(length[n - 1]) ? length[n - 1] : -1;
}

interface Step {
  edge: number;
  op: CellOp;
  prevK: number;
}

/**
 * The input-to-output path with at least ℓ_min counted (non-skip) operations that maximises the
 * sum of log-weights of its operations, by dynamic programming over (node, counted so far capped
 * at ℓ_min), and the repaired cell built from it.
 * @param dag the cell DAG with a weight >= 0 per candidate operation on each edge
 * @param lMin ℓ_min, the least number of counted operations on the path (integer >= 0)
 * @param opts which operations count (default: all but skip), what goes on edges off the path
 * @throws TypeError/RangeError for a malformed DAG (bad endpoints, a cycle), a NaN or negative
 *   weight, an unknown operation; RangeError when no path joins the input to the output, when ℓ_min
 *   exceeds the longest such path, or when no path with ℓ_min counted operations has positive weight
 * @example
 * bestConstrainedPath({ nodes: 3, edges: [
 *   { from: 0, to: 1, weights: { skip: 0.9, conv3x3: 0.1 } },
 *   { from: 1, to: 2, weights: { skip: 0.8, conv1x1: 0.2 } },
 *   { from: 0, to: 2, weights: { skip: 0.7, conv3x3: 0.15 } }] }, 1).path
 * // [{ from: 0, to: 1, op: 'skip' }, { from: 1, to: 2, op: 'conv1x1' }]: 0.9·0.2 = 0.18 beats 0.15 and 0.1·0.8
 */
export function bestConstrainedPath(dag: WeightedDag, lMin: number, opts: ConstrainedPathOptions = {}): ConstrainedPath {
  return constrainedPath(dag, lMin, opts, 'bestConstrainedPath');
}

function constrainedPath(dag: WeightedDag, lMin: number, opts: ConstrainedPathOptions, caller: string): ConstrainedPath {
  const { nodes: n, edges } = checkDag(dag, caller);
  const L = checkInt('lMin', lMin, { min: 0 }, caller);
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be an object { counted, others }, got ${describe(opts)}`);
  const uncounted = opts.counted === undefined ? DEFAULT_UNCOUNTED : CELL_OPS.filter((op) => !opts.counted?.includes(op));
  opts.counted?.forEach((op, i) => checkOneOf(`opts.counted[${i}]`, op, CELL_OPS, caller));
  const others = checkOneOf('opts.others', opts.others ?? 'none', ['none', 'argmax'] as const, caller);

  const choices = edges.map((e) => ({
    counted: bestOp(e, (op) => !uncounted.includes(op)),
    uncounted: bestOp(e, (op) => uncounted.includes(op)),
  }));
  const longest = longestPath(n, edges.filter((_, i) => choices[i].counted ?? choices[i].uncounted));
  if (longest < 0) throw new RangeError(`${caller}: 'dag' must have a path from node 0 to node ${n - 1} through operations of positive weight, got none`);
  if (L > longest) throw new RangeError(`${caller}: 'lMin' must be <= ${longest}, the longest input-to-output path, got ${L}`);

  const best = Array.from({ length: n }, () => new Array<number>(L + 1).fill(-Infinity));
  const via: (Step | null)[][] = Array.from({ length: n }, () => new Array<Step | null>(L + 1).fill(null));
  best[0][0] = 0;
  for (let round = 0; round < n - 1; round++) {
    edges.forEach((e, i) => {
      for (let k = 0; k <= L; k++) {
        if (best[e.from][k] === -Infinity) continue;
        for (const [choice, next] of [[choices[i].uncounted, k], [choices[i].counted, Math.min(k + 1, L)]] as const) {
          if (choice === null) continue;
          const score = best[e.from][k] + choice.logWeight;
          if (score > best[e.to][next]) {
            best[e.to][next] = score;
            via[e.to][next] = { edge: i, op: choice.op, prevK: k };
          }
        }
      }
    });
  }
  if (best[n - 1][L] === -Infinity) {
    throw new RangeError(`${caller}: 'dag' must have an input-to-output path with at least ${L} counted operations of positive weight, got none`);
  }
  const path = tracePath(via, n - 1, L, edges);
  const onPath = new Map(path.map((e) => [`${e.from}->${e.to}`, e.op]));
  const cellEdges = edges.map((e, i) => {
    const chosen = onPath.get(`${e.from}->${e.to}`);
    const argmax = bestOp(e, () => true);
    return { from: e.from, to: e.to, op: chosen ?? (others === 'argmax' && argmax ? argmax.op : 'none') } satisfies CellEdge;
  });
  return {
    path,
    logWeight: best[n - 1][L],
    counted: path.filter((e) => !uncounted.includes(e.op)).length,
    cell: { kind: 'cell', nodes: n, edges: cellEdges },
  };
}

function tracePath(via: (Step | null)[][], output: number, L: number, edges: readonly WeightedEdge[]): CellEdge[] {
  const path: CellEdge[] = [];
  let v = output;
  let k = L;
  while (v !== 0) {
    const step = via[v][k] as Step;
    const e = edges[step.edge];
    path.push({ from: e.from, to: e.to, op: step.op });
    v = e.from;
    k = step.prevK;
  }
  return path.reverse();
}

/** The repaired NAS-Bench-201 cell and the path it was built from. */
export interface Nb201ConstrainedPath extends Omit<ConstrainedPath, 'cell'> {
  cell: Nb201Cell;
}

/**
 * {@link bestConstrainedPath} on the NAS-Bench-201 cell, with weights as DARTS keeps them: one row
 * per edge of `NB201_EDGES`, one column per operation of `NB201_OPS` (for example the softmax of α).
 * The longest path (0 → 1 → 2 → 3) has 3 edges, so ℓ_min is at most 3.
 * @param weights 6 rows of 5 weights >= 0
 * @param lMin ℓ_min, 0..3
 * @param opts as bestConstrainedPath
 * @throws as bestConstrainedPath, and RangeError for a weight table of the wrong shape
 * @example nb201ConstrainedPath(Array(6).fill([0.05, 0.6, 0.1, 0.15, 0.1]), 2).cell.ops
 * // ['conv3x3', 'none', 'none', 'none', 'conv3x3', 'none']: the path 0 → 1 → 3 with two 3x3 convolutions,
 * // where the argmax (skip on every edge) would have none
 */
export function nb201ConstrainedPath(weights: readonly (readonly number[])[], lMin: number, opts: ConstrainedPathOptions = {}): Nb201ConstrainedPath {
  const caller = 'nb201ConstrainedPath';
  const rows = checkArray<unknown>('weights', weights, { length: NB201_EDGES.length }, caller);
  rows.forEach((row, e) => {
    checkArray<unknown>(`weights[${e}]`, row, { length: NB201_OPS.length }, caller).forEach((w, j) => checkNumber(`weights[${e}][${j}]`, w, { min: 0 }, caller));
  });
  const dag: WeightedDag = {
    nodes: NB201_NODES,
    edges: NB201_EDGES.map(({ from, to }, e) => ({
      from,
      to,
      weights: Object.fromEntries(NB201_OPS.map((op, j) => [op, (rows[e] as number[])[j]])),
    })),
  };
  const found = constrainedPath(dag, lMin, opts, caller);
  const ops = found.cell.edges.map((e) => e.op as Nb201Op);
  return { ...found, cell: { kind: 'nb201', ops } };
}
