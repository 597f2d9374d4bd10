/**
 * When is a grammar cell a usable architecture? The decision is made on the cell's induced graph:
 *
 * - vertices: the external inputs, the K internal nodes, and the cell output;
 * - an edge Src_k -> k for every node k, except when node k applies the grammar's `zeroOp`
 *   (an operation that outputs zeros reads nothing, so its edge is cut);
 * - an edge k -> output for every node the output reads. Which nodes that is, is part of the rule
 *   (`output`): the last node K-1 (the default), the "loose ends" (nodes no other node reads, which
 *   NASNet-style cells concatenate), or all nodes.
 *
 * A cell is valid when (1) the graph has no directed cycle (`cycles: 'anywhere'`, the default; or,
 * more leniently, no cycle the output depends on: `'feeding-output'`), and (2) the output is
 * reachable from the inputs (`inputs: 'any'`, the default: from at least one input; `'all'`: from
 * every input). Operations matter only through `zeroOp`; without one, validity depends on the
 * sources alone.
 *
 * Because every node reads exactly one source, the ancestors of a node form a single chain
 * Src_k, Src_{Src_k}, ...; the analysis walks these chains instead of running a general search.
 */
import { checkOneOf, describe } from '../core/checks';
import {
  CellGrammar,
  GrammarCell,
  GrammarSource,
  checkCellGrammar,
  checkGrammarCell,
  countGrammarCells,
  sourcesOfNode,
} from './grammar';

/** Which nodes the cell output reads, where cycles count, which inputs must reach the output. */
export interface CellValidityRule {
  output: 'last' | 'loose-ends' | 'all';
  cycles: 'anywhere' | 'feeding-output';
  inputs: 'any' | 'all';
}

/** The rule nasbook uses unless told otherwise: output = last node, no cycle anywhere, some input reaches it. */
export const DEFAULT_CELL_VALIDITY_RULE: Readonly<CellValidityRule> = Object.freeze({
  output: 'last',
  cycles: 'anywhere',
  inputs: 'any',
});

const OUTPUTS: readonly CellValidityRule['output'][] = ['last', 'loose-ends', 'all'];
const CYCLES: readonly CellValidityRule['cycles'][] = ['anywhere', 'feeding-output'];
const INPUTS: readonly CellValidityRule['inputs'][] = ['any', 'all'];

/**
 * Every combination of the rule's three choices (3 × 2 × 2 = 12), the default first.
 * @example allCellValidityRules()[0] // { output: 'last', cycles: 'anywhere', inputs: 'any' }
 */
export function allCellValidityRules(): CellValidityRule[] {
  const rules: CellValidityRule[] = [];
  for (const output of OUTPUTS) for (const cycles of CYCLES) for (const inputs of INPUTS) rules.push({ output, cycles, inputs });
  return rules;
}

/**
 * Check a validity rule (missing fields take the default) and return a complete copy.
 * @param rule a partial rule or undefined
 * @param caller the public function's name, for the error message
 * @throws RangeError naming the field with a value outside its choices
 * @example checkCellValidityRule({ output: 'all' }, 'f') // { output: 'all', cycles: 'anywhere', inputs: 'any' }
 */
export function checkCellValidityRule(rule: unknown, caller: string): CellValidityRule {
  if (rule === undefined) return { ...DEFAULT_CELL_VALIDITY_RULE };
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
    throw new TypeError(`${caller}: 'rule' must be an object { output, cycles, inputs }, got ${describe(rule)}`);
  }
  const r = { ...DEFAULT_CELL_VALIDITY_RULE, ...(rule as Partial<CellValidityRule>) };
  checkOneOf('rule.output', r.output, OUTPUTS, caller);
  checkOneOf('rule.cycles', r.cycles, CYCLES, caller);
  checkOneOf('rule.inputs', r.inputs, INPUTS, caller);
  return r;
}

/** Why a cell is (in)valid: the rule's cycle condition fails, its reachability condition fails, or both. */
export type GrammarCellVerdict = 'valid' | 'cycle' | 'unreachable' | 'cycle+unreachable';

/** Everything the validity decision looked at. */
export interface GrammarCellAnalysis {
  valid: boolean;
  verdict: GrammarCellVerdict;
  /** The induced graph's edges into internal nodes, [source, node]; zeroed edges are absent. */
  edges: [GrammarSource, number][];
  /** The nodes the cell output reads (empty when every node is read by another one). */
  outputNodes: number[];
  /** Nodes that lie on a directed cycle, ascending. */
  cycleNodes: number[];
  /** Does a cycle lie on the path into the output (so the output is computed from a loop)? */
  cycleFeedsOutput: boolean;
  /** The inputs with a directed path to the output, in the grammar's input order. */
  reachedInputs: string[];
}

/** Where node k's chain of ancestors ends: an input, a cut (zeroed edge), or a cycle. */
type ChainEnd = { kind: 'input'; name: string } | { kind: 'cut' } | { kind: 'cycle' };

/** The predecessor of every node in the induced graph (null when its edge is zeroed). */
function inducedPredecessors(grammar: CellGrammar, cell: GrammarCell): (GrammarSource | null)[] {
  return cell.nodes.map((node) => (grammar.zeroOp !== undefined && node.op === grammar.zeroOp ? null : node.src));
}

function chainEnd(pred: (GrammarSource | null)[], start: number): ChainEnd {
  const seen = new Set<number>();
  let at: GrammarSource | null = start;
  while (typeof at === 'number') {
    if (seen.has(at)) return { kind: 'cycle' };
    seen.add(at);
    at = pred[at];
  }
  return at === null ? { kind: 'cut' } : { kind: 'input', name: at };
}

function onCycle(pred: (GrammarSource | null)[], k: number): boolean {
  let at: GrammarSource | null = pred[k];
  // A chain that has not come back after K steps never will.
  for (let steps = 0; steps < pred.length && typeof at === 'number'; steps++) {
    if (at === k) return true;
    at = pred[at];
  }
  return false;
}

function outputNodesOf(pred: (GrammarSource | null)[], output: CellValidityRule['output']): number[] {
  const K = pred.length;
  if (output === 'last') return [K - 1];
  const all = Array.from({ length: K }, (_, k) => k);
  if (output === 'all') return all;
  // Loose ends: nodes no *other* node reads through an edge of the induced graph.
  const readByOther = new Set<number>();
  pred.forEach((p, k) => {
    if (typeof p === 'number' && p !== k) readByOther.add(p);
  });
  return all.filter((k) => !readByOther.has(k));
}

/** The analysis without argument checks, for the enumeration loops. */
export function analyzeCellUnchecked(grammar: CellGrammar, cell: GrammarCell, rule: CellValidityRule): GrammarCellAnalysis {
  const pred = inducedPredecessors(grammar, cell);
  const edges: [GrammarSource, number][] = [];
  pred.forEach((p, k) => {
    if (p !== null) edges.push([p, k]);
  });
  const outputNodes = outputNodesOf(pred, rule.output);
  const cycleNodes = pred.map((_, k) => k).filter((k) => onCycle(pred, k));
  const ends = outputNodes.map((k) => chainEnd(pred, k));
  const cycleFeedsOutput = ends.some((e) => e.kind === 'cycle');
  const reached = new Set(ends.flatMap((e) => (e.kind === 'input' ? [e.name] : [])));
  const reachedInputs = grammar.inputs.filter((name) => reached.has(name));
  const cycleFails = rule.cycles === 'anywhere' ? cycleNodes.length > 0 : cycleFeedsOutput;
  const reachFails = rule.inputs === 'any' ? reachedInputs.length === 0 : reachedInputs.length < grammar.inputs.length;
  const verdict: GrammarCellVerdict =
    cycleFails && reachFails ? 'cycle+unreachable' : cycleFails ? 'cycle' : reachFails ? 'unreachable' : 'valid';
  return { valid: verdict === 'valid', verdict, edges, outputNodes, cycleNodes, cycleFeedsOutput, reachedInputs };
}

/**
 * Analyse a cell's induced graph: its edges, the nodes the output reads, the nodes on cycles, the
 * inputs that reach the output, and the verdict under a validity rule (see the file comment).
 * @param grammar the cell's grammar
 * @param cell a cell of that grammar
 * @param rule the validity rule; missing fields take {@link DEFAULT_CELL_VALIDITY_RULE}
 * @throws TypeError/RangeError if the grammar, the cell or the rule is malformed, or a source is out
 *   of range for the grammar
 * @example analyzeGrammarCell(free, { nodes: [{ op: 'a', src: 0 }, { op: 'a', src: 'I0' }, { op: 'a', src: 1 }] })
 *   // verdict 'cycle' (node 0 reads itself), cycleNodes [0], reachedInputs ['I0']
 */
export function analyzeGrammarCell(grammar: CellGrammar, cell: GrammarCell, rule?: Partial<CellValidityRule>): GrammarCellAnalysis {
  checkCellGrammar(grammar, 'analyzeGrammarCell');
  checkGrammarCell(grammar, cell, 'analyzeGrammarCell');
  return analyzeCellUnchecked(grammar, cell, checkCellValidityRule(rule, 'analyzeGrammarCell'));
}

/**
 * Is a cell valid: its induced graph acyclic and its output reachable from the inputs (under `rule`)?
 * @param grammar the cell's grammar
 * @param cell a cell of that grammar
 * @param rule the validity rule; missing fields take {@link DEFAULT_CELL_VALIDITY_RULE}
 * @throws TypeError/RangeError as {@link analyzeGrammarCell}
 * @example isValidGrammarCell(free, { nodes: [{ op: 'a', src: 1 }, { op: 'a', src: 0 }, { op: 'a', src: 'I1' }] })
 *   // false: nodes 0 and 1 read each other
 */
export function isValidGrammarCell(grammar: CellGrammar, cell: GrammarCell, rule?: Partial<CellValidityRule>): boolean {
  checkCellGrammar(grammar, 'isValidGrammarCell');
  checkGrammarCell(grammar, cell, 'isValidGrammarCell');
  return analyzeCellUnchecked(grammar, cell, checkCellValidityRule(rule, 'isValidGrammarCell')).valid;
}

/** How many cells of a grammar fall under each verdict, and the acceptance probability V/N. */
export interface GrammarValidityCounts {
  /** N, all cells. */
  total: number;
  /** V, the valid cells. */
  valid: number;
  /** Invalid only because of a cycle (the output is still reachable). */
  cycle: number;
  /** Invalid only because the output is unreachable (no disqualifying cycle). */
  unreachable: number;
  /** Invalid for both reasons. */
  cycleAndUnreachable: number;
  /** p = V / N. */
  acceptance: number;
}

// The grouped count analyses (|inputs|+K)^K · 2^K graphs at most; beyond this it would take minutes.
const MAX_GROUPS = 20_000_000;

/**
 * Count, by exhaustive enumeration, how many cells of a grammar are valid and why the others are not.
 * Validity depends on a cell's sources and on which nodes apply the zero operation, not on which
 * other operation they apply; so the enumeration walks every source assignment (and, with a
 * `zeroOp`, every set of zeroed nodes), analyses one representative cell and weights it by the
 * number of operation assignments it stands for. The tests check this against a cell-by-cell count.
 * @param grammar a cell grammar
 * @param rule the validity rule; missing fields take {@link DEFAULT_CELL_VALIDITY_RULE}
 * @throws RangeError if the grammar or the rule is malformed, or the enumeration would be too large
 * @example countValidGrammarCells(free3) // { total: 3375, valid: 1350, cycle: 648, unreachable: 0, cycleAndUnreachable: 1377, acceptance: 0.4 }
 */
export function countValidGrammarCells(grammar: CellGrammar, rule?: Partial<CellValidityRule>): GrammarValidityCounts {
  checkCellGrammar(grammar, 'countValidGrammarCells');
  const r = checkCellValidityRule(rule, 'countValidGrammarCells');
  const total = countGrammarCells(grammar);
  const K = grammar.nodes;
  const sources: GrammarSource[][] = Array.from({ length: K }, (_, k) => sourcesOfNode(grammar, k));
  const hasZero = grammar.zeroOp !== undefined;
  const masks = hasZero ? 2 ** K : 1;
  const groups = sources.reduce((n, s) => n * s.length, 1) * masks;
  if (groups > MAX_GROUPS) {
    throw new RangeError(
      `countValidGrammarCells: enumerating this grammar means analysing ${groups} graphs (more than ${MAX_GROUPS}); use fewer nodes or inputs`,
    );
  }
  const keptOps = grammar.ops.filter((op) => op !== grammar.zeroOp);
  const counts = { valid: 0, cycle: 0, unreachable: 0, cycleAndUnreachable: 0 };
  const digits = new Array<number>(K).fill(0);
  for (;;) {
    for (let mask = 0; mask < masks; mask++) {
      // Bit k of the mask set = node k applies the zero op (1 way); clear = one of the kept ops.
      let weight = 1;
      const nodes = digits.map((d, k) => {
        const zeroed = (mask >> k) & 1;
        weight *= zeroed ? 1 : keptOps.length;
        return { op: zeroed ? (grammar.zeroOp as string) : keptOps[0], src: sources[k][d] };
      });
      if (weight === 0) continue;
      const verdict = analyzeCellUnchecked(grammar, { nodes }, r).verdict;
      if (verdict === 'valid') counts.valid += weight;
      else if (verdict === 'cycle') counts.cycle += weight;
      else if (verdict === 'unreachable') counts.unreachable += weight;
      else counts.cycleAndUnreachable += weight;
    }
    let k = K - 1;
    while (k >= 0 && digits[k] === sources[k].length - 1) digits[k--] = 0;
    if (k < 0) break;
    digits[k]++;
  }
  return { total, ...counts, acceptance: counts.valid / total };
}

/** Two grammars side by side under one rule: their sizes, valid counts, acceptance and R. */
export interface CellGrammarComparison {
  nFree: number;
  vFree: number;
  pFree: number;
  nAcyclic: number;
  vAcyclic: number;
  pAcyclic: number;
  /**
   * R = p_acyclic / p_free: how many times fewer draws rejection sampling needs with the constrained
   * grammar; null when the free grammar has no valid cell (R undefined).
   */
  ratio: number | null;
}

/**
 * Compare an unconstrained grammar with a constrained one under a validity rule: N, V and p = V/N of
 * each, and the efficiency ratio R = p_acyclic / p_free (expected trials per valid cell are 1/p).
 * @param free the unconstrained grammar
 * @param acyclic the constrained grammar
 * @param rule the validity rule; missing fields take {@link DEFAULT_CELL_VALIDITY_RULE}
 * @throws RangeError if either grammar or the rule is malformed
 * @example compareCellGrammars(free3, acyclic3) // { nFree: 3375, vFree: 1350, pFree: 0.4, nAcyclic: 648, vAcyclic: 648, pAcyclic: 1, ratio: 2.5 }
 */
export function compareCellGrammars(free: CellGrammar, acyclic: CellGrammar, rule?: Partial<CellValidityRule>): CellGrammarComparison {
  const a = countValidGrammarCells(free, rule);
  const b = countValidGrammarCells(acyclic, rule);
  return {
    nFree: a.total,
    vFree: a.valid,
    pFree: a.acceptance,
    nAcyclic: b.total,
    vAcyclic: b.valid,
    pAcyclic: b.acceptance,
    ratio: a.valid === 0 ? null : b.acceptance / a.acceptance,
  };
}
