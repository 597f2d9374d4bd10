/**
 * Cell search spaces defined by a grammar. A cell has K internal nodes; node k is produced by the
 * rule `Node_k -> Op_k(Src_k)`: one operation applied to one source, where a source is an external
 * input (`'I0'`, `'I1'`, ...) or another node (its index 0..K-1). Two grammars differ only in which
 * sources node k may use:
 *
 * - `'free'`: any input or any node 0..K-1, itself and later nodes included;
 * - `'acyclic'`: any input or an earlier node 0..k-1, so every edge points forward.
 *
 * Grammars and cells are plain JSON values. This file holds their shape, their checks, the exact
 * counts and a bijection between cells and the integers 0..N-1 (enumeration and indexing).
 * Validity lives in `grammarValidity.ts`, sampling in `grammarSampling.ts`.
 */
import { checkArray, checkInt, checkOneOf, checkString, describe } from '../core/checks';

/** Which sources a node may read: anything (`'free'`) or only inputs and earlier nodes (`'acyclic'`). */
export type CellGrammarKind = 'free' | 'acyclic';

export const CELL_GRAMMAR_KINDS: readonly CellGrammarKind[] = ['free', 'acyclic'];

/** A cell grammar: K internal nodes, an operation set and the names of the external inputs. */
export interface CellGrammar {
  kind: CellGrammarKind;
  /** K, the number of internal nodes (at least 1). */
  nodes: number;
  /** The operations a node may apply, distinct non-empty names. */
  ops: string[];
  /** The names of the external inputs, distinct non-empty names (`['I0', 'I1']`). */
  inputs: string[];
  /**
   * An operation of `ops` that outputs zeros whatever it reads, like NAS-Bench-201's `'none'`: the
   * edge into a node that applies it carries nothing, so it is left out of the induced graph.
   * Absent = every operation keeps its edge.
   */
  zeroOp?: string;
}

/** A source: an input name (string) or an internal node index (integer). */
export type GrammarSource = string | number;

/** One internal node: `op(src)`. */
export interface GrammarNode {
  op: string;
  src: GrammarSource;
}

/** A cell of a grammar: its K nodes in order, node k at `nodes[k]`. */
export interface GrammarCell {
  nodes: GrammarNode[];
}

function checkDistinctNames(name: string, value: unknown, caller: string): string[] {
  const names = checkArray<unknown>(name, value, { minLength: 1 }, caller);
  const seen = new Set<string>();
  names.forEach((item, i) => {
    checkString(`${name}[${i}]`, item, caller);
    if (seen.has(item as string)) {
      throw new RangeError(`${caller}: '${name}' must hold distinct names, got ${describe(item)} twice`);
    }
    seen.add(item as string);
  });
  return names as string[];
}

/**
 * Check that a value is a well-formed cell grammar and return it (unchanged).
 * @param grammar the value to check
 * @param caller the public function's name, for the error message
 * @throws TypeError/RangeError naming the field: unknown kind, `nodes` not an integer >= 1, empty or
 *   repeated `ops`/`inputs`, a `zeroOp` that is not one of the `ops`
 * @example checkCellGrammar({ kind: 'free', nodes: 3, ops: ['a'], inputs: ['I0'] }, 'f') // the same grammar
 */
export function checkCellGrammar(grammar: unknown, caller: string): CellGrammar {
  if (typeof grammar !== 'object' || grammar === null || Array.isArray(grammar)) {
    throw new TypeError(`${caller}: 'grammar' must be an object { kind, nodes, ops, inputs }, got ${describe(grammar)}`);
  }
  const g = grammar as Record<string, unknown>;
  checkOneOf('grammar.kind', g.kind, CELL_GRAMMAR_KINDS, caller);
  checkInt('grammar.nodes', g.nodes, { min: 1 }, caller);
  const ops = checkDistinctNames('grammar.ops', g.ops, caller);
  checkDistinctNames('grammar.inputs', g.inputs, caller);
  if (g.zeroOp !== undefined) checkOneOf('grammar.zeroOp', g.zeroOp, ops, caller);
  return grammar as CellGrammar;
}

/**
 * Build a cell grammar from its parts, checked, as a fresh plain object.
 * @param spec kind, number of internal nodes K, operations, input names (default `['I0', 'I1']`),
 *   and optionally the operation that zeroes its edge
 * @throws TypeError/RangeError as {@link checkCellGrammar}
 * @example createCellGrammar({ kind: 'acyclic', nodes: 3, ops: ['conv3x3', 'conv1x1', 'maxpool3x3'] })
 *   // { kind: 'acyclic', nodes: 3, ops: [...], inputs: ['I0', 'I1'] }
 */
export function createCellGrammar(spec: {
  kind: CellGrammarKind;
  nodes: number;
  ops: string[];
  inputs?: string[];
  zeroOp?: string;
}): CellGrammar {
  if (typeof spec !== 'object' || spec === null) {
    throw new TypeError(`createCellGrammar: 'spec' must be an object { kind, nodes, ops, inputs? }, got ${describe(spec)}`);
  }
  const grammar: CellGrammar = {
    kind: spec.kind,
    nodes: spec.nodes,
    ops: Array.isArray(spec.ops) ? spec.ops.slice() : spec.ops,
    inputs: spec.inputs === undefined ? ['I0', 'I1'] : Array.isArray(spec.inputs) ? spec.inputs.slice() : spec.inputs,
  };
  if (spec.zeroOp !== undefined) grammar.zeroOp = spec.zeroOp;
  return checkCellGrammar(grammar, 'createCellGrammar');
}

/** Sources of node k without checks (inputs first, then node indices). */
export function sourcesOfNode(grammar: CellGrammar, k: number): GrammarSource[] {
  const last = grammar.kind === 'free' ? grammar.nodes : k;
  const out: GrammarSource[] = grammar.inputs.slice();
  for (let j = 0; j < last; j++) out.push(j);
  return out;
}

/**
 * The sources node k may read: the inputs, then node indices (all K of them in the free grammar,
 * only 0..k-1 in the acyclic one).
 * @param grammar a cell grammar
 * @param k the node, 0..K-1
 * @throws RangeError if k is not a node of the grammar
 * @example grammarNodeSources(acyclicGrammar, 2) // ['I0', 'I1', 0, 1]
 */
export function grammarNodeSources(grammar: CellGrammar, k: number): GrammarSource[] {
  checkCellGrammar(grammar, 'grammarNodeSources');
  checkInt('k', k, { min: 0, max: grammar.nodes - 1 }, 'grammarNodeSources');
  return sourcesOfNode(grammar, k);
}

/** Exact integer product; throws when it leaves the safe integer range rather than rounding. */
function safeProduct(factors: number[], caller: string): number {
  let n = 1;
  for (const f of factors) {
    n *= f;
    if (!Number.isSafeInteger(n)) {
      throw new RangeError(`${caller}: the number of cells exceeds ${Number.MAX_SAFE_INTEGER} and cannot be counted exactly`);
    }
  }
  return n;
}

/** How many (op, src) choices node k has, for every k. */
function choicesPerNode(grammar: CellGrammar): number[] {
  const out: number[] = [];
  for (let k = 0; k < grammar.nodes; k++) out.push(grammar.ops.length * sourcesOfNode(grammar, k).length);
  return out;
}

/**
 * The number of cells a grammar generates, exactly: every node chooses an operation and a source
 * independently, so N = ∏_k |ops|·|sources of k|. Free: (|ops|·(|inputs|+K))^K; acyclic:
 * |ops|^K·∏_{k<K}(|inputs|+k).
 * @param grammar a cell grammar
 * @throws RangeError if the grammar is malformed or N exceeds Number.MAX_SAFE_INTEGER
 * @example countGrammarCells({ kind: 'free', nodes: 3, ops: ['a', 'b', 'c'], inputs: ['I0', 'I1'] }) // 3375
 */
export function countGrammarCells(grammar: CellGrammar): number {
  checkCellGrammar(grammar, 'countGrammarCells');
  return safeProduct(choicesPerNode(grammar), 'countGrammarCells');
}

/**
 * Check that a value is a cell of this grammar and return it: K nodes, each with an operation of the
 * grammar and a source node k may read.
 * @param grammar a cell grammar
 * @param cell the value to check
 * @param caller the public function's name, for the error message
 * @throws TypeError/RangeError naming the node and field: wrong number of nodes, unknown operation,
 *   a source out of range for its grammar (a later node in the acyclic grammar, an index >= K, an
 *   unknown input)
 * @example checkGrammarCell(g, { nodes: [{ op: 'a', src: 'I0' }] }, 'f') // the same cell
 */
export function checkGrammarCell(grammar: CellGrammar, cell: unknown, caller: string): GrammarCell {
  if (typeof cell !== 'object' || cell === null || Array.isArray(cell)) {
    throw new TypeError(`${caller}: 'cell' must be an object { nodes: [{ op, src }, ...] }, got ${describe(cell)}`);
  }
  const nodes = checkArray<unknown>('cell.nodes', (cell as Record<string, unknown>).nodes, { length: grammar.nodes }, caller);
  nodes.forEach((node, k) => {
    const at = `cell.nodes[${k}]`;
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      throw new TypeError(`${caller}: '${at}' must be an object { op, src }, got ${describe(node)}`);
    }
    const { op, src } = node as Record<string, unknown>;
    checkOneOf(`${at}.op`, op, grammar.ops, caller);
    const allowed = sourcesOfNode(grammar, k);
    if (!allowed.includes(src as GrammarSource)) {
      const range = grammar.kind === 'free' ? `any node 0..${grammar.nodes - 1}` : k === 0 ? 'no node' : `nodes 0..${k - 1}`;
      throw new RangeError(
        `${caller}: '${at}.src' must be an input (${grammar.inputs.map(describe).join(', ')}) or ${range} ` +
          `(node ${k} of a ${grammar.kind} grammar with K = ${grammar.nodes}), got ${describe(src)}`,
      );
    }
  });
  return cell as GrammarCell;
}

/** The cell with the given choice index per node (unchecked). */
function cellFromDigits(grammar: CellGrammar, digits: number[], sources: GrammarSource[][]): GrammarCell {
  return {
    nodes: digits.map((d, k) => ({
      op: grammar.ops[Math.floor(d / sources[k].length)],
      src: sources[k][d % sources[k].length],
    })),
  };
}

function allSources(grammar: CellGrammar): GrammarSource[][] {
  const out: GrammarSource[][] = [];
  for (let k = 0; k < grammar.nodes; k++) out.push(sourcesOfNode(grammar, k));
  return out;
}

/**
 * Every cell of a grammar, once each, in index order (see {@link grammarCellAt}): node 0 varies
 * slowest; within a node the operation varies slower than the source.
 * @param grammar a cell grammar
 * @throws RangeError if the grammar is malformed or has more than Number.MAX_SAFE_INTEGER cells
 * @example [...enumerateGrammarCells(g)].length === countGrammarCells(g) // true
 */
export function* enumerateGrammarCells(grammar: CellGrammar): Generator<GrammarCell, void, undefined> {
  checkCellGrammar(grammar, 'enumerateGrammarCells');
  safeProduct(choicesPerNode(grammar), 'enumerateGrammarCells');
  const sources = allSources(grammar);
  const radix = choicesPerNode(grammar);
  const digits = new Array<number>(grammar.nodes).fill(0);
  // An odometer over the mixed-radix digits; the last node is the fastest wheel.
  for (;;) {
    yield cellFromDigits(grammar, digits, sources);
    let k = grammar.nodes - 1;
    while (k >= 0 && digits[k] === radix[k] - 1) digits[k--] = 0;
    if (k < 0) return;
    digits[k]++;
  }
}

/**
 * The cell at a given position of the enumeration order: the index is read as a mixed-radix number
 * whose digit k (node 0 most significant) picks node k's operation and source.
 * @param grammar a cell grammar
 * @param index an integer in [0, N)
 * @throws RangeError if the index is out of range
 * @example grammarCellAt(g, 0) // every node applies ops[0] to inputs[0]
 */
export function grammarCellAt(grammar: CellGrammar, index: number): GrammarCell {
  const n = countGrammarCells(grammar);
  checkInt('index', index, { min: 0, max: n - 1 }, 'grammarCellAt');
  const radix = choicesPerNode(grammar);
  const digits = new Array<number>(grammar.nodes).fill(0);
  let rest = index;
  for (let k = grammar.nodes - 1; k >= 0; k--) {
    digits[k] = rest % radix[k];
    rest = Math.floor(rest / radix[k]);
  }
  return cellFromDigits(grammar, digits, allSources(grammar));
}

/**
 * The position of a cell in the enumeration order; the inverse of {@link grammarCellAt}.
 * @param grammar a cell grammar
 * @param cell a cell of that grammar
 * @throws TypeError/RangeError if the cell does not belong to the grammar
 * @example grammarCellIndex(g, grammarCellAt(g, 17)) // 17
 */
export function grammarCellIndex(grammar: CellGrammar, cell: GrammarCell): number {
  checkCellGrammar(grammar, 'grammarCellIndex');
  checkGrammarCell(grammar, cell, 'grammarCellIndex');
  const radix = choicesPerNode(grammar);
  let index = 0;
  cell.nodes.forEach((node, k) => {
    const sources = sourcesOfNode(grammar, k);
    index = index * radix[k] + grammar.ops.indexOf(node.op) * sources.length + sources.indexOf(node.src);
  });
  return index;
}

/**
 * A one-line rendering of a cell, one production per node: `n0 = conv3x3(I0); n1 = maxpool3x3(n0)`.
 * @param cell a cell (of any grammar)
 * @throws TypeError if the value is not shaped like a cell
 * @example formatGrammarCell({ nodes: [{ op: 'a', src: 'I0' }, { op: 'b', src: 0 }] }) // 'n0 = a(I0); n1 = b(n0)'
 */
export function formatGrammarCell(cell: GrammarCell): string {
  if (typeof cell !== 'object' || cell === null) {
    throw new TypeError(`formatGrammarCell: 'cell' must be an object { nodes: [...] }, got ${describe(cell)}`);
  }
  const nodes = checkArray<GrammarNode>('cell.nodes', cell.nodes, {}, 'formatGrammarCell');
  return nodes.map((node, k) => `n${k} = ${node.op}(${typeof node.src === 'number' ? `n${node.src}` : node.src})`).join('; ');
}
