/**
 * Chapter 02, grammars for cell search spaces: your exercise.
 *
 * A cell has K internal nodes. Node k is produced by the rule Node_k -> Op_k(Src_k): one operation
 * applied to one source. A source is an external input (a string such as "I0") or another node
 * (its index, a number). In JSON:
 *
 *   { nodes: [{ op: "conv3x3", src: "I0" }, { op: "maxpool3x3", src: 0 }, { op: "conv1x1", src: 1 }] }
 *
 * The free grammar lets node k read any input or any node 0..K-1 (itself and later nodes too); the
 * acyclic grammar lets it read the inputs and the earlier nodes 0..k-1 only.
 *
 * Run `await check("02")` in the notebook to see which cases pass.
 */
import { enumerateGrammarCells, type CellGrammar, type GrammarCell, type GrammarSource } from 'nasbook';
// GrammarSource = string | number: the type of a node's `src`, handy for the chains below.

/**
 * How many cells the FREE grammar generates with `nodes` = K internal nodes, `numOps` operations
 * and `numInputs` external inputs.
 *
 * Every node chooses an operation and a source independently. How many sources may one node of
 * the free grammar read? Multiply the per-node choices over the K nodes.
 * Check: K = 3, 3 ops, 2 inputs gives 3375.
 */
export function countFreeCells(nodes: number, numOps: number, numInputs: number): number {
  throw new Error('TODO: count the cells of the free grammar (choices per node, to the power K)');
}

/**
 * How many cells the ACYCLIC grammar generates (node k may read the inputs and nodes 0..k-1).
 *
 * Node 0 can only read an input; node 1 an input or node 0; ... The number of sources grows with
 * k, so the per-node choices are no longer all equal: multiply them one node at a time.
 * Check: K = 3, 3 ops, 2 inputs gives 3^3 · (2·3·4) = 648.
 */
export function countAcyclicCells(nodes: number, numOps: number, numInputs: number): number {
  throw new Error('TODO: count the cells of the acyclic grammar (multiply |ops|·(|inputs|+k) over k)');
}

/**
 * Is `cell` a valid architecture of `grammar`? Build its induced graph: an edge Src_k -> k for every
 * node k, EXCEPT when node k applies `grammar.zeroOp` (if the grammar has one): an operation that
 * outputs zeros reads nothing, so its edge is cut. The cell output is the LAST node, K-1.
 * The cell is valid when
 *   1. the graph has no directed cycle anywhere (a self-loop `src: k` on node k counts), and
 *   2. the output is reachable from an input.
 *
 * Hint: every node reads exactly one source, so the ancestors of a node form a chain
 * k <- Src_k <- Src_{Src_k} <- ... Node k lies on a cycle exactly when walking that chain brings you
 * back to k; if you have not come back after K steps, you never will. Once there is no cycle, the
 * output's chain must end somewhere: at an input (a string) or at a cut edge.
 */
export function isValidCell(grammar: CellGrammar, cell: GrammarCell): boolean {
  throw new Error('TODO: decide validity: no cycle in the induced graph, and the last node reaches an input');
}

/**
 * The acceptance probability p = V / N of a grammar: the fraction of all its cells that are valid.
 *
 * Hint: `enumerateGrammarCells(grammar)` (imported above from nasbook) yields every cell once, so
 * `for (const cell of enumerateGrammarCells(grammar)) { ... }` visits the whole space; count the
 * cells and the valid ones with your `isValidCell`. Check: the free grammar with K = 3, 3 ops and
 * 2 inputs gives 0.4; the acyclic one gives 1.
 */
export function acceptanceProbability(grammar: CellGrammar): number {
  throw new Error('TODO: enumerate every cell and return (valid cells) / (all cells)');
}
