/**
 * Chapter 02 cases: counting the cells of the free and acyclic grammars, deciding a cell's
 * validity, and the acceptance probability by enumeration. Public expected values were computed
 * by hand (counts) and by an independent enumeration script (validity counts), not by the solution.
 */
import type { Rng } from '../../core/rng';
import type { Case, CaseInput, ChapterCases } from '../types';
import { createCellGrammar, type CellGrammar, type CellGrammarKind, type GrammarCell } from '../../spaces/grammar';
import { sampleGrammarCell, sampleValidCell } from '../../spaces/grammarSampling';

const OPS = ['conv3x3', 'conv1x1', 'maxpool3x3'];
const ZOPS = ['none', 'conv3x3', 'maxpool3x3'];
const free3: CellGrammar = { kind: 'free', nodes: 3, ops: OPS, inputs: ['I0', 'I1'] };
const acyclic3: CellGrammar = { kind: 'acyclic', nodes: 3, ops: OPS, inputs: ['I0', 'I1'] };
const freeZero3: CellGrammar = { kind: 'free', nodes: 3, ops: ZOPS, inputs: ['I0', 'I1'], zeroOp: 'none' };
const acyclicZero3: CellGrammar = { kind: 'acyclic', nodes: 3, ops: ZOPS, inputs: ['I0', 'I1'], zeroOp: 'none' };

function cell(...nodes: [string, string | number][]): GrammarCell {
  return { nodes: nodes.map(([op, src]) => ({ op, src })) };
}

const COUNT_FREE_HINT =
  'Each node chooses an operation and a source, independently of the other nodes: count one node\'s choices, then combine them over the nodes.';
const COUNT_FREE_MORE =
  'In the free grammar every node has the same choices: |ops| operations times |inputs| + K sources (all inputs and all K nodes, itself included). The nodes choose independently, so raise that to the power K.';
const COUNT_ACYCLIC_HINT =
  'In the acyclic grammar a node may read only the inputs and the nodes before it, so its number of choices depends on its position.';
const COUNT_ACYCLIC_MORE =
  'In the acyclic grammar node k may read the |inputs| inputs and the k earlier nodes: |ops|·(|inputs| + k) choices. Multiply this over k = 0..K-1 (node 0 has only the inputs).';
const VALID_HINT =
  'Any cycle makes a cell invalid, even one the output does not use; and the output must be able to reach an input.';
const VALID_MORE =
  'Build the chain of sources from each node (k, Src_k, Src of that, ...). A node that comes back to itself is on a cycle (a self-loop src = k included), and any cycle makes the cell invalid, even one the output does not use. Then follow the last node\'s chain: it must end at an input. A node whose op is grammar.zeroOp has no incoming edge, so a chain stops there without reaching an input.';
const ACCEPT_HINT =
  'The acceptance probability is a ratio of two counts taken over every cell the grammar can produce.';
const ACCEPT_MORE =
  'Enumerate every cell of the grammar, count them all and count the ones your isValidCell accepts, then divide. If this case fails while isValidCell passes its own cases, check that each cell is counted exactly once.';

const publicCases: Case[] = [
  { name: 'countFreeCells(K=3, 3 ops, 2 inputs)', fn: 'countFreeCells', args: [3, 3, 2], expected: 3375, points: 1, hint: COUNT_FREE_HINT, fullHint: COUNT_FREE_MORE },
  { name: 'countFreeCells(K=1, 2 ops, 1 input)', fn: 'countFreeCells', args: [1, 2, 1], expected: 4, points: 1, hint: COUNT_FREE_HINT, fullHint: COUNT_FREE_MORE },
  { name: 'countFreeCells(K=2, 1 op, 2 inputs)', fn: 'countFreeCells', args: [2, 1, 2], expected: 16, points: 1, hint: COUNT_FREE_HINT, fullHint: COUNT_FREE_MORE },
  { name: 'countAcyclicCells(K=3, 3 ops, 2 inputs)', fn: 'countAcyclicCells', args: [3, 3, 2], expected: 648, points: 1, hint: COUNT_ACYCLIC_HINT, fullHint: COUNT_ACYCLIC_MORE },
  { name: 'countAcyclicCells(K=1, 5 ops, 2 inputs)', fn: 'countAcyclicCells', args: [1, 5, 2], expected: 10, points: 1, hint: COUNT_ACYCLIC_HINT, fullHint: COUNT_ACYCLIC_MORE },
  { name: 'countAcyclicCells(K=4, 2 ops, 3 inputs)', fn: 'countAcyclicCells', args: [4, 2, 3], expected: 5760, points: 1, hint: COUNT_ACYCLIC_HINT, fullHint: COUNT_ACYCLIC_MORE },
  {
    name: 'isValidCell(chain I1 -> n0 -> n1 -> n2)',
    fn: 'isValidCell',
    args: [free3, cell(['conv3x3', 'I1'], ['conv1x1', 0], ['maxpool3x3', 1])],
    expected: true,
    points: 1,
    hint: VALID_HINT, fullHint: VALID_MORE,
  },
  {
    name: 'isValidCell(self-loop on the output)',
    fn: 'isValidCell',
    args: [free3, cell(['conv3x3', 'I0'], ['conv3x3', 0], ['conv3x3', 2])],
    expected: false,
    points: 1,
    hint: VALID_HINT, fullHint: VALID_MORE,
  },
  {
    name: 'isValidCell(2-cycle n0 <-> n1 feeding the output)',
    fn: 'isValidCell',
    args: [free3, cell(['conv3x3', 1], ['conv1x1', 0], ['maxpool3x3', 0])],
    expected: false,
    points: 1,
    hint: VALID_HINT, fullHint: VALID_MORE,
  },
  {
    name: 'isValidCell(a self-loop the output does not use)',
    fn: 'isValidCell',
    args: [free3, cell(['conv3x3', 0], ['conv1x1', 'I0'], ['maxpool3x3', 1])],
    expected: false,
    points: 1,
    hint: VALID_HINT, fullHint: VALID_MORE,
  },
  {
    name: 'isValidCell(output cut off by the zero op)',
    fn: 'isValidCell',
    args: [acyclicZero3, cell(['conv3x3', 'I0'], ['none', 0], ['conv3x3', 1])],
    expected: false,
    points: 1,
    hint: VALID_HINT, fullHint: VALID_MORE,
  },
  {
    name: 'isValidCell(zero op on a node the output does not read)',
    fn: 'isValidCell',
    args: [acyclicZero3, cell(['none', 'I0'], ['conv3x3', 'I1'], ['maxpool3x3', 1])],
    expected: true,
    points: 1,
    hint: VALID_HINT, fullHint: VALID_MORE,
  },
  { name: 'acceptanceProbability(free, K=3)', fn: 'acceptanceProbability', args: [free3], expected: 0.4, tolerance: 1e-12, points: 1, hint: ACCEPT_HINT, fullHint: ACCEPT_MORE },
  { name: 'acceptanceProbability(acyclic, K=3)', fn: 'acceptanceProbability', args: [acyclic3], expected: 1, tolerance: 1e-12, points: 1, hint: ACCEPT_HINT, fullHint: ACCEPT_MORE },
  {
    name: 'acceptanceProbability(free, K=3, zero op): 900/3375',
    fn: 'acceptanceProbability',
    args: [freeZero3],
    expected: 0.26666666666666666,
    tolerance: 1e-12,
    points: 1,
    hint: ACCEPT_HINT, fullHint: ACCEPT_MORE,
  },
  {
    name: 'acceptanceProbability(acyclic, K=3, zero op): 352/648',
    fn: 'acceptanceProbability',
    args: [acyclicZero3],
    expected: 0.5432098765432098,
    tolerance: 1e-12,
    points: 1,
    hint: ACCEPT_HINT, fullHint: ACCEPT_MORE,
  },
];

const OP_POOL = ['none', 'conv3x3', 'conv1x1', 'maxpool3x3', 'avgpool3x3'];
const INPUT_POOL = ['I0', 'I1', 'I2'];

/** `n` things, singular or plural: "1 op", "3 ops". */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * A grammar of up to `maxNodes` nodes and `maxOps` operations. The kind and whether the op 'none'
 * is declared as zero op are drawn unless given; a zero op needs at least two ops (none + one more).
 */
function randomGrammar(rng: Rng, maxNodes: number, maxOps: number, force: { kind?: CellGrammarKind; zero?: boolean } = {}): CellGrammar {
  const kind: CellGrammarKind = force.kind ?? rng.choice(['free', 'acyclic'] as const);
  const zero = force.zero ?? rng.uniform() < 0.5;
  const ops = OP_POOL.slice(0, rng.int(zero ? 2 : 1, maxOps + 1));
  const inputs = INPUT_POOL.slice(0, rng.int(1, 4));
  return createCellGrammar({ kind, nodes: rng.int(1, maxNodes + 1), ops, inputs, ...(zero ? { zeroOp: 'none' } : {}) });
}

function hiddenInputs(rng: Rng): CaseInput[] {
  const out: CaseInput[] = [];
  for (let i = 0; i < 3; i++) {
    const args = [rng.int(1, 7), rng.int(1, 6), rng.int(1, 4)];
    out.push({ name: `countFreeCells(K=${args[0]}, ${count(args[1], 'op')}, ${count(args[2], 'input')}) #${i + 1}`, fn: 'countFreeCells', args, points: 1 });
  }
  for (let i = 0; i < 3; i++) {
    const args = [rng.int(1, 7), rng.int(1, 6), rng.int(1, 4)];
    out.push({ name: `countAcyclicCells(K=${args[0]}, ${count(args[1], 'op')}, ${count(args[2], 'input')}) #${i + 1}`, fn: 'countAcyclicCells', args, points: 1 });
  }
  for (let i = 0; i < 6; i++) {
    // Three kinds of validity question, twice each: a uniform free cell (often a cycle), a uniform
    // acyclic cell with a zero op (sometimes cut off), a cell drawn among the valid ones.
    const kind = i % 3;
    const grammar =
      kind === 0 ? randomGrammar(rng, 5, 5, { kind: 'free' }) : kind === 1 ? randomGrammar(rng, 5, 5, { kind: 'acyclic', zero: true }) : randomGrammar(rng, 5, 5);
    const drawn = kind === 2 ? trySampleValid(grammar, rng) : sampleGrammarCell(grammar, rng);
    const label = `${grammar.kind}${grammar.zeroOp ? ' + zero op' : ''}, K=${grammar.nodes}`;
    out.push({ name: `isValidCell(${label}, cell #${i + 1})`, fn: 'isValidCell', args: [grammar, drawn], points: 1 });
  }
  for (let i = 0; i < 4; i++) {
    // At most (5·(3+3))^3 = 27000 cells: quick even for a plain loop.
    const grammar = randomGrammar(rng, 3, 5, { kind: i % 2 === 0 ? 'free' : 'acyclic' });
    out.push({
      name: `acceptanceProbability(${grammar.kind}, K=${grammar.nodes}, ${count(grammar.ops.length, 'op')}, ${count(grammar.inputs.length, 'input')}${grammar.zeroOp ? ', zero op' : ''}) #${i + 1}`,
      fn: 'acceptanceProbability',
      args: [grammar],
      tolerance: 1e-12,
      points: 1,
    });
  }
  return out;
}

/** A valid cell when one turns up quickly; a grammar with only the zero op has none, so fall back to any cell. */
function trySampleValid(grammar: CellGrammar, rng: Rng): GrammarCell {
  try {
    return sampleValidCell(grammar, rng, { maxTrials: 1000 }).cell;
  } catch {
    return sampleGrammarCell(grammar, rng);
  }
}

export const cases: ChapterCases = {
  chapter: '02',
  slug: 'grammars',
  functions: ['countFreeCells', 'countAcyclicCells', 'isValidCell', 'acceptanceProbability'],
  publicCases,
  hiddenInputs,
};
