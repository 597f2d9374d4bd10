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
 * Later additions (isomorphism, integer index, sampling, neighbours) build on the same value.
 */
import { checkArray, checkOneOf, checkString, describe } from '../core/checks';
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
