/**
 * Chapter 02, grammars for cell search spaces: the reference solution.
 *
 * A cell has K nodes; node k is `op(src)`, src an input name (string) or a node index (number).
 * Valid = the induced graph (edge src -> k for every node whose op is not the grammar's zeroOp)
 * has no directed cycle, and the output (the last node) is reachable from an input.
 */
import { enumerateGrammarCells, type CellGrammar, type GrammarCell, type GrammarSource } from 'nasbook';

/** N_free = (|ops|·(|inputs|+K))^K: every node picks one op and one of |inputs|+K sources. */
export function countFreeCells(nodes: number, numOps: number, numInputs: number): number {
  return (numOps * (numInputs + nodes)) ** nodes;
}

/** N_acyc = |ops|^K · ∏_{k<K} (|inputs|+k): node k may read the inputs and nodes 0..k-1 only. */
export function countAcyclicCells(nodes: number, numOps: number, numInputs: number): number {
  let n = 1;
  for (let k = 0; k < nodes; k++) n *= numOps * (numInputs + k);
  return n;
}

/** Is the induced graph acyclic, and does the last node's chain of sources end at an input? */
export function isValidCell(grammar: CellGrammar, cell: GrammarCell): boolean {
  // What each node reads in the induced graph; null when its op is the zero op (edge cut).
  const pred: (GrammarSource | null)[] = cell.nodes.map((n) => (n.op === grammar.zeroOp ? null : n.src));
  const K = pred.length;
  // One source per node, so a node is on a cycle iff following sources from it comes back to it
  // (within K steps, or never).
  for (let k = 0; k < K; k++) {
    let at = pred[k];
    for (let step = 0; step < K && typeof at === 'number'; step++) {
      if (at === k) return false;
      at = pred[at];
    }
  }
  // No cycle, so the output's chain ends: at an input (reachable) or at a cut edge (not).
  let at: GrammarSource | null = K - 1;
  while (typeof at === 'number') at = pred[at];
  return typeof at === 'string';
}

/** p = V/N: the fraction of the grammar's cells that are valid, by checking every cell. */
export function acceptanceProbability(grammar: CellGrammar): number {
  let total = 0;
  let valid = 0;
  for (const cell of enumerateGrammarCells(grammar)) {
    total++;
    if (isValidCell(grammar, cell)) valid++;
  }
  return valid / total;
}
