/**
 * Architecture descriptions the model builder understands, as plain JSON values:
 *
 * - an MLP width genome `{ kind: 'mlp', widths: [n1, n2, n3] }`: hidden layers of n_i ReLU units;
 * - a cell `{ kind: 'cell', nodes, edges: [{ from, to, op }] }`: a DAG whose node 0 is the cell's
 *   input and whose last node is its output; each edge applies one operation of the
 *   NAS-Bench-201 set to its source node, and a node is the sum of its incoming edges.
 *
 * Search spaces (for example the NAS-Bench-201 cell in `spaces/nb201.ts`) convert their own
 * encodings to these descriptions; this file only knows graphs and operations. The network options
 * (channels, cells per stage, stages) say how a cell is stacked into a whole network.
 */
import { checkArray, checkInt, checkOneOf, describe } from '../core/checks';

/** The operations an edge of a cell can apply (the NAS-Bench-201 set). */
export const CELL_OPS = ['none', 'skip', 'conv1x1', 'conv3x3', 'avgpool3x3'] as const;

/** One operation of a cell edge: zero, identity, ReLU-Conv-BN (1x1 or 3x3), or 3x3 average pooling (stride 1). */
export type CellOp = (typeof CELL_OPS)[number];

/** An MLP given by the widths of its hidden layers (the chapter-03 genome (n1, n2, n3)). */
export interface MlpArch {
  kind: 'mlp';
  widths: number[];
}

/** One edge of a cell: node `to` receives `op(node from)`. */
export interface CellEdge {
  from: number;
  to: number;
  op: CellOp;
}

/** A cell: a DAG of `nodes` nodes, node 0 the input, node `nodes - 1` the output. */
export interface CellArch {
  kind: 'cell';
  nodes: number;
  edges: CellEdge[];
}

/**
 * A mixed edge of a supernet cell: node `to` receives a mixture of the candidates applied to node
 * `from` (a softmax-weighted sum in DARTS, one sampled candidate per step in SPOS).
 */
export interface MixedEdge {
  from: number;
  to: number;
  /** Distinct operations, at least one. */
  candidates: CellOp[];
}

/** A supernet cell: like a cell, but each edge carries either one operation or a list of candidates. */
export interface SupernetCell {
  kind: 'cell';
  nodes: number;
  edges: (CellEdge | MixedEdge)[];
}

/** Any architecture the model builder takes. */
export type Architecture = MlpArch | CellArch;

/** How a cell is stacked into a network (ignored for MLPs). */
export interface NetworkOptions {
  /** Channels of the first stage; each later stage doubles them (default 16). */
  channels?: number;
  /** Cells in each stage (default 1). */
  cellsPerStage?: number;
  /** Stages; a stride-2 residual reduction block sits between consecutive stages (default 3: 8x8, 4x4, 2x2). */
  stages?: number;
}

/** Network options with every field present. */
export type ResolvedNetworkOptions = Required<NetworkOptions>;

export const DEFAULT_NETWORK_OPTIONS: ResolvedNetworkOptions = { channels: 16, cellsPerStage: 1, stages: 3 };

/** Largest MLP width and channel count accepted: beyond it a typo is likelier than intent. */
const MAX_WIDTH = 65536;
const MAX_NODES = 64;

function checkObject(name: string, value: unknown, expected: string, caller: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${caller}: '${name}' must be ${expected}, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

/**
 * Checks an MLP genome and returns it (unchanged).
 * @param arch the value to check
 * @param caller the public function's name, for the error message
 * @throws TypeError/RangeError if `widths` is not a non-empty array of integers in 1..65536
 * @example checkMlpArch({ kind: 'mlp', widths: [32, 16, 8] }, 'f') // the same object
 */
export function checkMlpArch(arch: unknown, caller: string): MlpArch {
  const a = checkObject('arch', arch, "an MLP genome { kind: 'mlp', widths: [n1, n2, n3] }", caller);
  checkOneOf('arch.kind', a.kind, ['mlp'], caller);
  const widths = checkArray<unknown>('arch.widths', a.widths, { minLength: 1 }, caller);
  widths.forEach((w, i) => checkInt(`arch.widths[${i}]`, w, { min: 1, max: MAX_WIDTH }, caller));
  return arch as MlpArch;
}

/**
 * A topological order of the nodes 0..n-1 under `edges`, or the nodes of a cycle when there is one.
 * Kahn's algorithm, taking the smallest ready node first so the order is reproducible.
 */
function topologicalOrder(n: number, edges: readonly { from: number; to: number }[]): { order: number[]; cycle: number[] | null } {
  const indegree = new Array<number>(n).fill(0);
  const out: number[][] = Array.from({ length: n }, () => []);
  for (const e of edges) {
    indegree[e.to]++;
    out[e.from].push(e.to);
  }
  const ready = indegree.map((d, v) => (d === 0 ? v : -1)).filter((v) => v >= 0);
  const order: number[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => a - b);
    const v = ready.shift() as number;
    order.push(v);
    for (const w of out[v]) if (--indegree[w] === 0) ready.push(w);
  }
  if (order.length === n) return { order, cycle: null };
  // Every node left has an incoming edge from another node left: walk backwards until a node repeats.
  const left = new Set(indegree.map((d, v) => (d > 0 ? v : -1)).filter((v) => v >= 0));
  const pred = new Map<number, number>();
  for (const e of edges) if (left.has(e.from) && left.has(e.to) && !pred.has(e.to)) pred.set(e.to, e.from);
  const start = Math.min(...left);
  const seen: number[] = [];
  let v = start;
  while (!seen.includes(v)) {
    seen.push(v);
    v = pred.get(v) as number;
  }
  // The walk went against the edges: reverse it, then start at the smallest node for a stable message.
  const cycle = seen.slice(seen.indexOf(v)).reverse();
  const first = cycle.indexOf(Math.min(...cycle));
  const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
  return { order, cycle: [...rotated, rotated[0]] };
}

/**
 * Checks a cell and returns it (unchanged).
 * @param arch the value to check
 * @param caller the public function's name, for the error message
 * @throws TypeError/RangeError naming the problem: `nodes` not an integer in 2..64, an edge whose
 *   endpoint is out of range, a self-loop, an edge into node 0, an unknown operation, the same
 *   edge twice, or a cycle (listing its nodes)
 * @example checkCellArch({ kind: 'cell', nodes: 2, edges: [{ from: 0, to: 1, op: 'conv3x3' }] }, 'f')
 */
export function checkCellArch(arch: unknown, caller: string): CellArch {
  return checkCellGraph(arch, caller, false) as CellArch;
}

/**
 * Checks a supernet cell (each edge `{ from, to, op }` or `{ from, to, candidates }`) and returns it.
 * @param arch the value to check
 * @param caller the public function's name, for the error message
 * @throws TypeError/RangeError as checkCellArch, and for a mixed edge with no candidates, an unknown
 *   or repeated candidate, or an edge with both `op` and `candidates`
 * @example checkSupernetCell(withCandidates(cell, CELL_OPS), 'f') // the same object
 */
export function checkSupernetCell(arch: unknown, caller: string): SupernetCell {
  return checkCellGraph(arch, caller, true);
}

function checkCellGraph(arch: unknown, caller: string, mixed: boolean): SupernetCell {
  const edgeShape = mixed ? '{ from, to, op } or { from, to, candidates }' : '{ from, to, op }';
  const a = checkObject('arch', arch, `a cell { kind: 'cell', nodes, edges: [${edgeShape}] }`, caller);
  checkOneOf('arch.kind', a.kind, ['cell'], caller);
  const n = checkInt('arch.nodes', a.nodes, { min: 2, max: MAX_NODES }, caller);
  const edges = checkArray<unknown>('arch.edges', a.edges, {}, caller);
  const seen = new Set<string>();
  edges.forEach((edge, i) => {
    const e = checkObject(`arch.edges[${i}]`, edge, `an edge ${edgeShape}`, caller);
    const from = checkInt(`arch.edges[${i}].from`, e.from, { min: 0, max: n - 1 }, caller);
    const to = checkInt(`arch.edges[${i}].to`, e.to, { min: 1, max: n - 1 }, caller);
    if (from === to) throw new RangeError(`${caller}: 'arch.edges[${i}]' must join two different nodes, got a loop on node ${from}`);
    if (mixed && e.candidates !== undefined) {
      if (e.op !== undefined) throw new TypeError(`${caller}: 'arch.edges[${i}]' must have either 'op' or 'candidates', got both`);
      checkCandidates(`arch.edges[${i}].candidates`, e.candidates, caller);
    } else checkOneOf(`arch.edges[${i}].op`, e.op, CELL_OPS, caller);
    const key = `${from}->${to}`;
    if (seen.has(key)) throw new RangeError(`${caller}: 'arch.edges' must hold each edge once, got ${from} -> ${to} twice`);
    seen.add(key);
  });
  const { cycle } = topologicalOrder(n, edges as CellEdge[]);
  if (cycle) throw new RangeError(`${caller}: 'arch' must be acyclic, got the cycle ${cycle.join(' -> ')}`);
  return arch as SupernetCell;
}

/** Checks a list of candidate operations: non-empty, known, distinct. */
function checkCandidates(name: string, value: unknown, caller: string): CellOp[] {
  const candidates = checkArray<unknown>(name, value, {}, caller);
  if (candidates.length === 0) throw new RangeError(`${caller}: '${name}' must list at least one operation of ${CELL_OPS.join(', ')}, got an empty array`);
  candidates.forEach((op, j) => checkOneOf(`${name}[${j}]`, op, CELL_OPS, caller));
  if (new Set(candidates).size !== candidates.length) throw new RangeError(`${caller}: '${name}' must list each operation once, got ${describe(candidates)}`);
  return candidates as CellOp[];
}

/** True for an edge that carries a list of candidates rather than one operation. */
export function isMixedEdge(edge: CellEdge | MixedEdge): edge is MixedEdge {
  return (edge as MixedEdge).candidates !== undefined;
}

/**
 * The supernet cell with every edge of `cell` turned into a mixed edge over `candidates`.
 * @param cell a cell (its operations are ignored) or a supernet cell
 * @param candidates the operations every edge chooses among (default: all of CELL_OPS)
 * @throws TypeError/RangeError for an invalid cell or candidate list
 * @example withCandidates(nb201CellArch(cell), ['skip', 'conv3x3']).edges[0]
 * // { from: 0, to: 1, candidates: ['skip', 'conv3x3'] }
 */
export function withCandidates(cell: CellArch | SupernetCell, candidates: readonly CellOp[] = CELL_OPS): SupernetCell {
  const caller = 'withCandidates';
  checkSupernetCell(cell, caller);
  checkCandidates('candidates', candidates, caller);
  return { kind: 'cell', nodes: cell.nodes, edges: cell.edges.map((e) => ({ from: e.from, to: e.to, candidates: [...candidates] })) };
}

/**
 * Checks any architecture (MLP genome or cell) and returns it.
 * @throws TypeError/RangeError as checkMlpArch or checkCellArch, or for an unknown `kind`
 * @example checkArchitecture({ kind: 'mlp', widths: [8] }, 'f')
 */
export function checkArchitecture(arch: unknown, caller: string): Architecture {
  const a = checkObject('arch', arch, "an architecture ({ kind: 'mlp', ... } or { kind: 'cell', ... })", caller);
  checkOneOf('arch.kind', a.kind, ['mlp', 'cell'], caller);
  return a.kind === 'mlp' ? checkMlpArch(arch, caller) : checkCellArch(arch, caller);
}

/**
 * Network options with defaults filled in and checked.
 * @param opts channels (1..65536), cellsPerStage (>= 1), stages (1..6)
 * @param caller the public function's name, for the error message
 * @param prefix prepended to option names in messages ('network.' when the options are nested)
 * @throws TypeError/RangeError naming the bad option
 * @example resolveNetworkOptions({ channels: 8 }, 'f') // { channels: 8, cellsPerStage: 1, stages: 3 }
 */
export function resolveNetworkOptions(opts: NetworkOptions | undefined, caller: string, prefix = ''): ResolvedNetworkOptions {
  const o = opts === undefined ? {} : checkObject(prefix.replace(/\.$/, '') || 'opts', opts, 'an object { channels, cellsPerStage, stages }', caller);
  const d = DEFAULT_NETWORK_OPTIONS;
  return {
    channels: checkInt(`${prefix}channels`, o.channels ?? d.channels, { min: 1, max: MAX_WIDTH }, caller),
    cellsPerStage: checkInt(`${prefix}cellsPerStage`, o.cellsPerStage ?? d.cellsPerStage, { min: 1, max: 64 }, caller),
    stages: checkInt(`${prefix}stages`, o.stages ?? d.stages, { min: 1, max: 6 }, caller),
  };
}

/** The part of a cell that can affect its output, in evaluation order. */
export interface LiveCell<E extends CellEdge | MixedEdge = CellEdge> {
  /** Live nodes in topological order, node 0 first (unless the cell is zero) and the output last. */
  order: number[];
  /** Live edges (never 'none', nor a mixed edge of 'none' alone), each on a path from node 0 to the output. */
  edges: E[];
  /** True when no path of non-'none' edges joins the input to the output: the cell outputs zeros. */
  zero: boolean;
}

/**
 * The live part of a cell: an edge is live when its operation is not 'none', its source can be
 * reached from the input and its target reaches the output, through non-'none' edges. Everything
 * else cannot change the output (a node with no live inputs is zero, and an operation applied to
 * zeros adds at most a constant), so the builder drops it and the cost counts only what is built.
 * @param arch a cell (checked)
 * @throws as checkCellArch
 * @example liveCell({ kind: 'cell', nodes: 3, edges: [{ from: 0, to: 1, op: 'none' }, { from: 0, to: 2, op: 'skip' }, { from: 1, to: 2, op: 'conv3x3' }] }).edges
 * // [{ from: 0, to: 2, op: 'skip' }]
 */
export function liveCell(arch: CellArch): LiveCell;
export function liveCell(arch: SupernetCell): LiveCell<CellEdge | MixedEdge>;
export function liveCell(arch: SupernetCell): LiveCell<CellEdge | MixedEdge> {
  checkSupernetCell(arch, 'liveCell');
  const n = arch.nodes;
  // A mixed edge is live when one of its candidates can carry a signal.
  const real = arch.edges.filter((e) => (isMixedEdge(e) ? e.candidates.some((c) => c !== 'none') : e.op !== 'none'));
  const reach = (start: number, forward: boolean): boolean[] => {
    const seen = new Array<boolean>(n).fill(false);
    const stack = [start];
    seen[start] = true;
    while (stack.length > 0) {
      const v = stack.pop() as number;
      for (const e of real) {
        const [a, b] = forward ? [e.from, e.to] : [e.to, e.from];
        if (a === v && !seen[b]) {
          seen[b] = true;
          stack.push(b);
        }
      }
    }
    return seen;
  };
  const fromInput = reach(0, true);
  const toOutput = reach(n - 1, false);
  const edges = real.filter((e) => fromInput[e.from] && toOutput[e.to]).map((e) => (isMixedEdge(e) ? { ...e, candidates: [...e.candidates] } : { ...e }));
  if (edges.length === 0) return { order: [], edges: [], zero: true };
  const nodes = new Set<number>([0]);
  for (const e of edges) nodes.add(e.to);
  const { order } = topologicalOrder(n, edges);
  return { order: order.filter((v) => nodes.has(v)), edges, zero: false };
}
