/**
 * The NAS-Bench-201 cell: 4 nodes (node 0 the cell's input, node 3 its output) and the 6 edges
 * j <- i for i < j, each carrying one of five operations. A cell is the plain value
 * `{ kind: 'nb201', ops }` with `ops[e]` on edge `NB201_EDGES[e]`, in NAS-Bench-201's order:
 *
 *   1<-0 | 2<-0  2<-1 | 3<-0  3<-1  3<-2
 *
 * and its canonical string lists the edges into each node, nodes separated by '+':
 *
 *   |conv3x3~0|+|skip~0|conv1x1~1|+|none~0|skip~1|avgpool3x3~2|
 *
 * NAS-Bench-201's own files spell the operations 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3',
 * 'avg_pool_3x3' (and 'none'); `parseNb201Cell` reads both spellings and `formatNb201Cell` writes
 * either. `nb201CellArch` turns a cell into the generic cell description the model builder takes.
 *
 * The space as a whole: `nb201Index`/`nb201FromIndex` number the 15625 cells, `sampleNb201Cell`,
 * `nb201Neighbours` and `mutateNb201Cell` move through it, and `canonicalNb201Cell` /
 * `nb201UniqueCells` identify cells that compute the same function (see `nb201FunctionKey`).
 */
import { checkArray, checkInt, checkOneOf, checkString, describe } from '../core/checks';
import { checkRng as checkRngArgument, type Rng } from '../core/rng';
import { CELL_OPS, type CellArch, type CellOp } from '../tensor/arch';

/** One operation of a NAS-Bench-201 edge. */
export type Nb201Op = CellOp;

/** The five operations, in NAS-Bench-201's order. */
export const NB201_OPS: readonly Nb201Op[] = CELL_OPS;

/** Nodes of a cell: the input (0), two intermediate nodes, the output (3). */
export const NB201_NODES = 4;

/** The 6 edges in NAS-Bench-201's order; `ops[e]` sits on `NB201_EDGES[e]`. */
export const NB201_EDGES: readonly { readonly from: number; readonly to: number }[] = Object.freeze([
  { from: 0, to: 1 },
  { from: 0, to: 2 },
  { from: 1, to: 2 },
  { from: 0, to: 3 },
  { from: 1, to: 3 },
  { from: 2, to: 3 },
]);

/** A NAS-Bench-201 cell: one operation per edge of `NB201_EDGES`. */
export interface Nb201Cell {
  kind: 'nb201';
  ops: Nb201Op[];
}

/** NAS-Bench-201's own name of each operation. */
export const NB201_OP_NAMES: Readonly<Record<Nb201Op, string>> = Object.freeze({
  none: 'none',
  skip: 'skip_connect',
  conv1x1: 'nor_conv_1x1',
  conv3x3: 'nor_conv_3x3',
  avgpool3x3: 'avg_pool_3x3',
});

const FROM_NB201_NAME: ReadonlyMap<string, Nb201Op> = new Map(NB201_OPS.map((op) => [NB201_OP_NAMES[op], op]));

/** Which spelling of the operations a string uses: ours or NAS-Bench-201's. */
export type Nb201Naming = 'nasbook' | 'nasbench201';

/**
 * Checks that a value is a NAS-Bench-201 cell and returns it (unchanged).
 * @param cell the value to check
 * @param caller the public function's name, for the error message
 * @throws TypeError/RangeError if it is not { kind: 'nb201', ops } with 6 known operations
 * @example checkNb201Cell({ kind: 'nb201', ops: ['conv3x3', 'skip', 'conv1x1', 'none', 'skip', 'avgpool3x3'] }, 'f')
 */
export function checkNb201Cell(cell: unknown, caller: string): Nb201Cell {
  if (typeof cell !== 'object' || cell === null || Array.isArray(cell)) {
    throw new TypeError(`${caller}: 'cell' must be a NAS-Bench-201 cell { kind: 'nb201', ops: [6 operations] }, got ${describe(cell)}`);
  }
  const c = cell as Record<string, unknown>;
  checkOneOf('cell.kind', c.kind, ['nb201'], caller);
  const ops = checkArray<unknown>('cell.ops', c.ops, { length: NB201_EDGES.length }, caller);
  ops.forEach((op, e) => checkOneOf(`cell.ops[${e}]`, op, NB201_OPS, caller));
  return cell as Nb201Cell;
}

/**
 * A NAS-Bench-201 cell from its 6 edge operations (a new value; the array is copied).
 * @param ops the operations on edges 1<-0, 2<-0, 2<-1, 3<-0, 3<-1, 3<-2
 * @throws TypeError/RangeError unless there are 6 operations from NB201_OPS
 * @example nb201Cell(['conv3x3', 'skip', 'conv1x1', 'none', 'skip', 'avgpool3x3'])
 */
export function nb201Cell(ops: readonly Nb201Op[]): Nb201Cell {
  checkArray('ops', ops, { length: NB201_EDGES.length }, 'nb201Cell');
  return checkNb201Cell({ kind: 'nb201', ops: ops.slice() }, 'nb201Cell');
}

/**
 * Our name of an operation from either spelling ('nor_conv_3x3' or 'conv3x3' -> 'conv3x3').
 * @throws RangeError for a name in neither spelling
 * @example nb201OpFromName('skip_connect') // 'skip'
 */
export function nb201OpFromName(name: string): Nb201Op {
  const caller = 'nb201OpFromName';
  checkString('name', name, caller);
  const op = FROM_NB201_NAME.get(name) ?? (NB201_OPS.includes(name as Nb201Op) ? (name as Nb201Op) : undefined);
  if (op === undefined) {
    const known = [...NB201_OPS, ...NB201_OPS.map((o) => NB201_OP_NAMES[o]).filter((n) => n !== 'none')];
    throw new RangeError(`${caller}: 'name' must be one of ${known.map(describe).join(', ')}, got ${describe(name)}`);
  }
  return op;
}

/**
 * The canonical string of a cell, `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`.
 * @param cell the cell
 * @param opts.naming 'nasbook' (default: conv3x3, skip, ...) or 'nasbench201' (nor_conv_3x3, skip_connect, ...)
 * @throws TypeError/RangeError for an invalid cell or naming
 * @example formatNb201Cell(nb201Cell(['conv3x3', 'skip', 'conv1x1', 'none', 'skip', 'avgpool3x3']))
 * // '|conv3x3~0|+|skip~0|conv1x1~1|+|none~0|skip~1|avgpool3x3~2|'
 */
export function formatNb201Cell(cell: Nb201Cell, opts: { naming?: Nb201Naming } = {}): string {
  const caller = 'formatNb201Cell';
  checkNb201Cell(cell, caller);
  const naming = checkOneOf('naming', opts.naming ?? 'nasbook', ['nasbook', 'nasbench201'] as const, caller);
  const name = (op: Nb201Op): string => (naming === 'nasbook' ? op : NB201_OP_NAMES[op]);
  const groups: string[] = [];
  for (let to = 1; to < NB201_NODES; to++) {
    const tokens = NB201_EDGES.map((edge, e) => ({ edge, e }))
      .filter(({ edge }) => edge.to === to)
      .map(({ edge, e }) => `${name(cell.ops[e])}~${edge.from}`);
    groups.push(`|${tokens.join('|')}|`);
  }
  return groups.join('+');
}

/**
 * Reads a cell from its canonical string, in either spelling of the operations (as in
 * `data/nasbench201-hp12.csv.gz`).
 * @param text e.g. '|conv3x3~0|+|skip~0|conv1x1~1|+|none~0|skip~1|avgpool3x3~2|' or
 *   '|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|none~0|skip_connect~1|avg_pool_3x3~2|'
 * @throws TypeError/RangeError naming what is wrong: not three '+'-separated node groups, a node
 *   with the wrong number of edges, an edge not of the form op~i with i the edge's position, an unknown operation
 * @example parseNb201Cell('|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|none~0|skip_connect~1|avg_pool_3x3~2|').ops
 * // ['conv3x3', 'skip', 'conv1x1', 'none', 'skip', 'avgpool3x3']
 */
export function parseNb201Cell(text: string): Nb201Cell {
  const caller = 'parseNb201Cell';
  checkString('text', text, caller);
  const fail = (why: string): never => {
    throw new RangeError(`${caller}: 'text' must look like '|op~0|+|op~0|op~1|+|op~0|op~1|op~2|', got ${describe(text)}: ${why}`);
  };
  const groups = text.trim().split('+');
  if (groups.length !== NB201_NODES - 1) fail(`expected ${NB201_NODES - 1} node groups separated by '+', found ${groups.length}`);
  const ops: Nb201Op[] = [];
  groups.forEach((group, g) => {
    const node = g + 1;
    if (group.length < 2 || !group.startsWith('|') || !group.endsWith('|')) fail(`node ${node}'s group must start and end with '|'`);
    const tokens = group.slice(1, -1).split('|');
    if (tokens.length !== node) fail(`node ${node} must have ${node} incoming edge${node === 1 ? '' : 's'}, found ${tokens.length}`);
    tokens.forEach((token, from) => {
      const parts = token.split('~');
      if (parts.length !== 2 || parts[1] !== String(from)) fail(`edge ${describe(token)} into node ${node} must be 'op~${from}'`);
      const op = FROM_NB201_NAME.get(parts[0]) ?? (NB201_OPS.includes(parts[0] as Nb201Op) ? (parts[0] as Nb201Op) : undefined);
      if (op === undefined) fail(`unknown operation ${describe(parts[0])}`);
      ops.push(op as Nb201Op);
    });
  });
  return { kind: 'nb201', ops };
}

/**
 * The generic cell description (`tensor/arch`) of a NAS-Bench-201 cell, which `buildModel`,
 * `archCost` and `train` take.
 * @param cell the cell
 * @throws TypeError/RangeError for an invalid cell
 * @example nb201CellArch(parseNb201Cell('|conv3x3~0|+|skip~0|conv1x1~1|+|none~0|skip~1|avgpool3x3~2|')).edges[0]
 * // { from: 0, to: 1, op: 'conv3x3' }
 */
export function nb201CellArch(cell: Nb201Cell): CellArch {
  checkNb201Cell(cell, 'nb201CellArch');
  return { kind: 'cell', nodes: NB201_NODES, edges: NB201_EDGES.map((edge, e) => ({ from: edge.from, to: edge.to, op: cell.ops[e] })) };
}

/** Number of cells in the space: 5 operations on each of 6 edges. */
export const NB201_SIZE = NB201_OPS.length ** NB201_EDGES.length;

/**
 * The integer index of a cell, 0..15624: the cell's operations read as a 6-digit base-5 number,
 * edge 1<-0 the most significant digit and each digit the operation's position in NB201_OPS
 * (none 0, skip 1, conv1x1 2, conv3x3 3, avgpool3x3 4). NAS-Bench-201's own `index` column follows
 * no order derivable from the cell (its row 0 is `|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+...`),
 * so this is our own numbering; `loadNasBench201` gives theirs as `nb201Index` of each record.
 * @param cell the cell
 * @throws TypeError/RangeError for an invalid cell
 * @example nb201Index(nb201Cell(['none', 'none', 'none', 'none', 'none', 'skip'])) // 1
 */
export function nb201Index(cell: Nb201Cell): number {
  checkNb201Cell(cell, 'nb201Index');
  return indexOfOps(cell.ops);
}

function indexOfOps(ops: readonly Nb201Op[]): number {
  return ops.reduce((acc, op) => acc * NB201_OPS.length + NB201_OPS.indexOf(op), 0);
}

function opsOfIndex(index: number): Nb201Op[] {
  const ops = new Array<Nb201Op>(NB201_EDGES.length);
  let rest = index;
  for (let e = NB201_EDGES.length - 1; e >= 0; e--) {
    ops[e] = NB201_OPS[rest % NB201_OPS.length];
    rest = Math.floor(rest / NB201_OPS.length);
  }
  return ops;
}

/**
 * The cell with a given integer index (the inverse of `nb201Index`).
 * @param index an integer in 0..15624
 * @throws TypeError/RangeError unless index is an integer in 0..15624
 * @example nb201FromIndex(15624).ops // ['avgpool3x3', 'avgpool3x3', 'avgpool3x3', 'avgpool3x3', 'avgpool3x3', 'avgpool3x3']
 */
export function nb201FromIndex(index: number): Nb201Cell {
  checkInt('index', index, { min: 0, max: NB201_SIZE - 1 }, 'nb201FromIndex');
  return { kind: 'nb201', ops: opsOfIndex(index) };
}

/**
 * A cell drawn uniformly from all 15625 (one integer draw from the stream).
 * @param rng the random stream
 * @throws TypeError if rng is not an Rng
 * @example sampleNb201Cell(createRng(1)) // the same cell for seed 1 on every run
 */
export function sampleNb201Cell(rng: Rng): Nb201Cell {
  checkRng(rng, 'sampleNb201Cell');
  return nb201FromIndex(rng.int(0, NB201_SIZE));
}

function checkRng(rng: unknown, caller: string): Rng {
  return checkRngArgument('rng', rng, caller);
}

/**
 * All 24 cells that differ from a cell on exactly one edge, edge by edge (1<-0 first) and, on an
 * edge, in NB201_OPS order.
 * @param cell the cell
 * @throws TypeError/RangeError for an invalid cell
 * @example nb201Neighbours(nb201FromIndex(0))[0].ops // ['skip', 'none', 'none', 'none', 'none', 'none']
 */
export function nb201Neighbours(cell: Nb201Cell): Nb201Cell[] {
  checkNb201Cell(cell, 'nb201Neighbours');
  const out: Nb201Cell[] = [];
  cell.ops.forEach((current, e) => {
    for (const op of NB201_OPS) {
      if (op === current) continue;
      const ops = cell.ops.slice();
      ops[e] = op;
      out.push({ kind: 'nb201', ops });
    }
  });
  return out;
}

/**
 * A uniformly chosen neighbour of a cell: one edge, changed to one of the 4 other operations.
 * @param cell the cell (left unchanged)
 * @param rng the random stream
 * @throws TypeError/RangeError for an invalid cell or rng
 * @example mutateNb201Cell(nb201FromIndex(0), createRng(3)) // a cell with exactly one non-'none' edge
 */
export function mutateNb201Cell(cell: Nb201Cell, rng: Rng): Nb201Cell {
  const caller = 'mutateNb201Cell';
  checkNb201Cell(cell, caller);
  checkRng(rng, caller);
  return rng.choice(nb201Neighbours(cell));
}

/**
 * Whether no path of non-'none' edges joins the cell's input to its output: the cell then outputs
 * zeros whatever its input, and every network built from it predicts a constant (NAS-Bench-201
 * lists 341 such cells, all at chance accuracy).
 * @param cell the cell
 * @throws TypeError/RangeError for an invalid cell
 * @example isNb201Disconnected(parseNb201Cell('|conv3x3~0|+|none~0|none~1|+|none~0|none~1|skip~2|')) // true
 */
export function isNb201Disconnected(cell: Nb201Cell): boolean {
  checkNb201Cell(cell, 'isNb201Disconnected');
  const reached = [true, false, false, false];
  NB201_EDGES.forEach(({ from, to }, e) => {
    // Edges are listed in topological order of their target, so every source is settled when read.
    if (cell.ops[e] !== 'none' && reached[from]) reached[to] = true;
  });
  return !reached[NB201_NODES - 1];
}

/** Which identification `nb201FunctionKey` makes. */
export type Nb201IsomorphismRule = 'function' | 'nasbench201';

/**
 * A string that names the function a cell computes, so that cells with equal keys are duplicates.
 *
 * Rule 'function' (the default, the one `canonicalNb201Cell` uses) writes the output node as a
 * formula in the input `x`, with these identities and no others:
 * - `none` is the zero map, and an operation applied to a zero node is zero (avgpool of zeros is
 *   zero; ReLU-conv-BN of zeros is BN's learned offset, a constant we treat as zero as
 *   `tensor/arch`'s `liveCell` does), so such edges vanish, and so does a node none of whose inputs is live;
 * - `skip` is the identity, so a skip edge contributes its source's formula unchanged;
 * - a node is a sum, so its terms form a multiset (sorted; repeated terms stay repeated, since
 *   x + x is not x);
 * - edges into a node that does not reach the output do not appear at all.
 * Each conv or pool term keeps its own identity only through its formula: two conv3x3 edges on the
 * same input are written alike (they have separate weights, but the same family of functions).
 * A disconnected cell's key is '0'.
 *
 * Rule 'nasbench201' reproduces NAS-Bench-201's own `to_unique_str(consider_zero=True)` (xautodl
 * `CellStructure`): the same idea, but a zero term is written '#' and kept in the sum (so x and x+0
 * differ), and a node summing two zero terms ('#+#') is not recognised as zero. It yields the
 * 6466 unique cells NAS-Bench-201 reports; 'function' merges these further, into 4930 classes.
 * @param cell the cell
 * @param opts.rule 'function' (default) or 'nasbench201'
 * @throws TypeError/RangeError for an invalid cell or rule
 * @example nb201FunctionKey(parseNb201Cell('|conv3x3~0|+|skip~0|none~1|+|none~0|skip~1|skip~2|')) // 'conv3x3(x)+x'
 */
export function nb201FunctionKey(cell: Nb201Cell, opts: { rule?: Nb201IsomorphismRule } = {}): string {
  const caller = 'nb201FunctionKey';
  checkNb201Cell(cell, caller);
  const rule = checkOneOf('rule', opts.rule ?? 'function', ['function', 'nasbench201'] as const, caller);
  return rule === 'function' ? functionKey(cell.ops) : nasBench201UniqueKey(cell.ops);
}

function functionKey(ops: readonly Nb201Op[]): string {
  // Each node is the sorted multiset of its terms; an empty list is the zero node.
  const nodes: string[][] = [['x']];
  for (let to = 1; to < NB201_NODES; to++) {
    const terms: string[] = [];
    NB201_EDGES.forEach((edge, e) => {
      if (edge.to !== to) return;
      const source = nodes[edge.from];
      if (ops[e] === 'none' || source.length === 0) return;
      if (ops[e] === 'skip') terms.push(...source);
      else terms.push(`${ops[e]}(${source.join('+')})`);
    });
    nodes.push(terms.sort());
  }
  const out = nodes[NB201_NODES - 1];
  return out.length === 0 ? '0' : out.join('+');
}

function nasBench201UniqueKey(ops: readonly Nb201Op[]): string {
  const nodes: string[] = ['0'];
  for (let to = 1; to < NB201_NODES; to++) {
    const terms: string[] = [];
    NB201_EDGES.forEach((edge, e) => {
      if (edge.to !== to) return;
      const source = nodes[edge.from];
      if (ops[e] === 'none' || source === '#') terms.push('#');
      else if (ops[e] === 'skip') terms.push(source);
      else terms.push(`(${source})@${NB201_OP_NAMES[ops[e]]}`);
    });
    // Python's sorted() on str compares code points, as does the default sort here.
    nodes.push(terms.sort().join('+'));
  }
  return nodes[NB201_NODES - 1];
}

/** For each cell index, the smallest index with the same 'function' key (built once). */
let representativeOf: Int32Array | null = null;

function representatives(): Int32Array {
  if (representativeOf) return representativeOf;
  const first = new Map<string, number>();
  const rep = new Int32Array(NB201_SIZE);
  for (let i = 0; i < NB201_SIZE; i++) {
    const key = functionKey(opsOfIndex(i));
    const seen = first.get(key);
    if (seen === undefined) first.set(key, i);
    rep[i] = seen ?? i;
  }
  return (representativeOf = rep);
}

/**
 * The canonical cell of a cell's duplicate class: among all cells with the same
 * `nb201FunctionKey` (rule 'function'), the one with the smallest `nb201Index`. Because 'none' is
 * digit 0 and edge 1<-0 the leading digit, that representative has every edge that cannot affect
 * the output set to 'none' (a dead edge set to 'none' keeps the key and lowers the index).
 * Idempotent; two cells are duplicates exactly when their canonical cells are equal. The
 * representative need not keep the cell's own live edges: x -> conv3x3 -> node 2 -> skip -> output
 * is the class of the single edge conv3x3 on 3<-0.
 * @param cell the cell
 * @throws TypeError/RangeError for an invalid cell
 * @example formatNb201Cell(canonicalNb201Cell(parseNb201Cell('|conv3x3~0|+|conv3x3~0|none~1|+|none~0|none~1|skip~2|')))
 * // '|none~0|+|none~0|none~1|+|conv3x3~0|none~1|none~2|'
 */
export function canonicalNb201Cell(cell: Nb201Cell): Nb201Cell {
  checkNb201Cell(cell, 'canonicalNb201Cell');
  return nb201FromIndex(representatives()[indexOfOps(cell.ops)]);
}

/**
 * One canonical cell per duplicate class (see `canonicalNb201Cell`), in increasing `nb201Index`:
 * 4930 cells, the first of them the disconnected class (index 0, all 'none').
 * @example nb201UniqueCells().length // 4930
 */
export function nb201UniqueCells(): Nb201Cell[] {
  const rep = representatives();
  const out: Nb201Cell[] = [];
  for (let i = 0; i < NB201_SIZE; i++) if (rep[i] === i) out.push(nb201FromIndex(i));
  return out;
}
