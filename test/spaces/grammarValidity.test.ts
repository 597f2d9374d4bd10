import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { CellGrammar, CellGrammarKind, GrammarCell, createCellGrammar, enumerateGrammarCells } from '../../src/spaces/grammar';
import {
  CellValidityRule,
  DEFAULT_CELL_VALIDITY_RULE,
  allCellValidityRules,
  analyzeGrammarCell,
  checkCellValidityRule,
  compareCellGrammars,
  countValidGrammarCells,
  isValidGrammarCell,
} from '../../src/spaces/grammarValidity';

const OPS = ['conv3x3', 'conv1x1', 'maxpool3x3'];
const free3 = createCellGrammar({ kind: 'free', nodes: 3, ops: OPS });
const acyclic3 = createCellGrammar({ kind: 'acyclic', nodes: 3, ops: OPS });
const ZOPS = ['none', 'conv3x3', 'maxpool3x3'];
const freeZero3 = createCellGrammar({ kind: 'free', nodes: 3, ops: ZOPS, zeroOp: 'none' });
const acyclicZero3 = createCellGrammar({ kind: 'acyclic', nodes: 3, ops: ZOPS, zeroOp: 'none' });

/** A cell from a compact spec: [[op, src], ...]. */
function cell(...nodes: [string, string | number][]): GrammarCell {
  return { nodes: nodes.map(([op, src]) => ({ op, src })) };
}

describe('analyzeGrammarCell on hand-made cells (default rule: output = last node)', () => {
  it('accepts a chain from an input to the last node', () => {
    const a = analyzeGrammarCell(free3, cell(['conv3x3', 'I1'], ['conv1x1', 0], ['maxpool3x3', 1]));
    expect(a).toEqual({
      valid: true,
      verdict: 'valid',
      edges: [['I1', 0], [0, 1], [1, 2]],
      outputNodes: [2],
      cycleNodes: [],
      cycleFeedsOutput: false,
      reachedInputs: ['I1'],
    });
  });

  it('rejects a self-loop on the output: a cycle, and the output reads nothing but itself', () => {
    const a = analyzeGrammarCell(free3, cell(['conv3x3', 'I0'], ['conv3x3', 0], ['conv3x3', 2]));
    expect(a.verdict).toBe('cycle+unreachable');
    expect(a.cycleNodes).toEqual([2]);
    expect(a.cycleFeedsOutput).toBe(true);
    expect(a.reachedInputs).toEqual([]);
  });

  it('rejects a 2-cycle that feeds the output', () => {
    const a = analyzeGrammarCell(free3, cell(['conv3x3', 1], ['conv3x3', 0], ['conv3x3', 0]));
    expect(a.verdict).toBe('cycle+unreachable');
    expect(a.cycleNodes).toEqual([0, 1]);
  });

  it('rejects a cycle the output does not depend on, unless the rule only counts cycles feeding the output', () => {
    const c = cell(['conv3x3', 0], ['conv3x3', 'I0'], ['conv3x3', 1]); // n0 reads itself; n2 <- n1 <- I0
    const a = analyzeGrammarCell(free3, c);
    expect(a.verdict).toBe('cycle');
    expect(a.cycleNodes).toEqual([0]);
    expect(a.cycleFeedsOutput).toBe(false);
    expect(a.reachedInputs).toEqual(['I0']);
    expect(isValidGrammarCell(free3, c, { cycles: 'feeding-output' })).toBe(true);
  });

  it('rejects an output cut off by the zero operation, with no cycle anywhere', () => {
    const c = cell(['conv3x3', 'I0'], ['none', 0], ['conv3x3', 1]);
    const a = analyzeGrammarCell(freeZero3, c);
    expect(a.verdict).toBe('unreachable');
    expect(a.edges).toEqual([['I0', 0], [1, 2]]);
    expect(a.cycleNodes).toEqual([]);
    // Without a zero op the same sources form a valid chain.
    expect(isValidGrammarCell(free3, cell(['conv3x3', 'I0'], ['conv1x1', 0], ['conv3x3', 1]))).toBe(true);
  });

  it('a zeroed edge cannot close a cycle', () => {
    expect(analyzeGrammarCell(freeZero3, cell(['none', 1], ['conv3x3', 0], ['conv3x3', 'I1'])).verdict).toBe('valid');
    expect(analyzeGrammarCell(freeZero3, cell(['conv3x3', 1], ['conv3x3', 0], ['conv3x3', 'I1'])).verdict).toBe('cycle');
  });

  it('loose ends: the output reads every node no other node reads', () => {
    const c = cell(['conv3x3', 'I0'], ['conv3x3', 'I1'], ['conv3x3', 0]);
    const a = analyzeGrammarCell(free3, c, { output: 'loose-ends', inputs: 'all' });
    expect(a.outputNodes).toEqual([1, 2]);
    expect(a.reachedInputs).toEqual(['I0', 'I1']);
    expect(a.valid).toBe(true);
    // With output = last node only I0 reaches it, so requiring every input fails.
    expect(analyzeGrammarCell(free3, c, { inputs: 'all' }).verdict).toBe('unreachable');
  });

  it('loose ends: a 3-cycle leaves nothing for the output to read', () => {
    const a = analyzeGrammarCell(free3, cell(['conv3x3', 2], ['conv3x3', 0], ['conv3x3', 1]), { output: 'loose-ends' });
    expect(a.outputNodes).toEqual([]);
    expect(a.verdict).toBe('cycle+unreachable');
  });

  it('checks its arguments', () => {
    expect(() => analyzeGrammarCell(acyclic3, cell(['conv3x3', 'I0'], ['conv3x3', 1], ['conv3x3', 0]))).toThrow(
      /analyzeGrammarCell: 'cell.nodes\[1\].src' must be an input .* got 1/,
    );
    expect(() => isValidGrammarCell(free3, cell(['conv3x3', 'I0']))).toThrow(/isValidGrammarCell: 'cell.nodes' must have length 3, got length 1/);
    expect(() => analyzeGrammarCell(free3, cell(['conv3x3', 'I0'], ['conv3x3', 0], ['conv3x3', 1]), { output: 'first' as CellValidityRule['output'] })).toThrow(
      /'rule.output' must be one of "last", "loose-ends", "all", got "first"/,
    );
  });
});

describe('validity rules', () => {
  it('defaults missing fields and lists all 12 combinations, the default first', () => {
    expect(checkCellValidityRule(undefined, 't')).toEqual(DEFAULT_CELL_VALIDITY_RULE);
    expect(checkCellValidityRule({ output: 'all' }, 't')).toEqual({ output: 'all', cycles: 'anywhere', inputs: 'any' });
    const rules = allCellValidityRules();
    expect(rules).toHaveLength(12);
    expect(rules[0]).toEqual(DEFAULT_CELL_VALIDITY_RULE);
    expect(new Set(rules.map((r) => JSON.stringify(r))).size).toBe(12);
    expect(() => checkCellValidityRule({ cycles: 'nowhere' }, 't')).toThrow(/t: 'rule.cycles' must be one of "anywhere", "feeding-output"/);
    expect(() => checkCellValidityRule('last', 't')).toThrow(/t: 'rule' must be an object/);
  });
});

describe('countValidGrammarCells', () => {
  it('K = 3, 3 ops, 2 inputs, default rule: 1350 of 3375 free cells, all 648 acyclic cells', () => {
    // Acyclic source assignments of the free grammar are forests rooted at the 2 inputs:
    // 2·5^2 = 50 of the 5^3 = 125, times 3^3 = 27 op assignments = 1350.
    expect(countValidGrammarCells(free3)).toEqual({
      total: 3375,
      valid: 1350,
      cycle: 648, // 24 source assignments with a cycle off the output's chain, × 27
      unreachable: 0, // one source per node and no zero op: only a cycle can cut the output off
      cycleAndUnreachable: 1377, // 51 source assignments whose output chain loops, × 27
      acceptance: 0.4,
    });
    expect(countValidGrammarCells(acyclic3)).toEqual({ total: 648, valid: 648, cycle: 0, unreachable: 0, cycleAndUnreachable: 0, acceptance: 1 });
  });

  it('with a zero op among the three: 900 free and 352 acyclic cells are valid', () => {
    // Acyclic: the output chain n2 <- ... <- input has length L and needs L non-zero ops (2 choices
    // each) while the other nodes take any of 3: 12 assignments with L=1 (×18), 10 with L=2 (×12),
    // 2 with L=3 (×8): 216 + 120 + 16 = 352.
    expect(countValidGrammarCells(acyclicZero3).valid).toBe(352);
    expect(countValidGrammarCells(freeZero3).valid).toBe(900);
  });

  it('matches the forest formula |ops|^K·|I|·(|I|+K)^(K-1) on the free grammar for K = 1..4', () => {
    for (let K = 1; K <= 4; K++) {
      for (const nInputs of [1, 2, 3]) {
        const g = createCellGrammar({ kind: 'free', nodes: K, ops: ['a', 'b'], inputs: ['x', 'y', 'z'].slice(0, nInputs) });
        expect(countValidGrammarCells(g).valid).toBe(2 ** K * nInputs * (nInputs + K) ** (K - 1));
      }
    }
  });

  it('counts cell by cell the same as the grouped enumeration (every rule, with and without a zero op)', () => {
    for (const g of [free3, acyclic3, freeZero3, acyclicZero3]) {
      const cells = [...enumerateGrammarCells(g)];
      for (const rule of allCellValidityRules()) {
        const brute = { valid: 0, cycle: 0, unreachable: 0, cycleAndUnreachable: 0 };
        for (const c of cells) {
          const v = analyzeGrammarCell(g, c, rule).verdict;
          if (v === 'valid') brute.valid++;
          else if (v === 'cycle') brute.cycle++;
          else if (v === 'unreachable') brute.unreachable++;
          else brute.cycleAndUnreachable++;
        }
        expect(countValidGrammarCells(g, rule)).toEqual({ total: cells.length, ...brute, acceptance: brute.valid / cells.length });
      }
    }
  });

  it('refuses an enumeration too large to finish', () => {
    expect(() => countValidGrammarCells({ ...freeZero3, nodes: 9 })).toThrow(/countValidGrammarCells: enumerating this grammar means analysing/);
  });

  const grammarArb = fc
    .record({
      kind: fc.constantFrom<CellGrammarKind>('free', 'acyclic'),
      nodes: fc.integer({ min: 1, max: 3 }),
      nOps: fc.integer({ min: 1, max: 3 }),
      nInputs: fc.integer({ min: 1, max: 3 }),
      zero: fc.boolean(),
    })
    .map(({ kind, nodes, nOps, nInputs, zero }): CellGrammar => {
      const ops = ['none', 'a', 'b'].slice(0, nOps);
      return createCellGrammar({ kind, nodes, ops, inputs: ['I0', 'I1', 'I2'].slice(0, nInputs), ...(zero ? { zeroOp: 'none' } : {}) });
    });

  it('property: grouped count equals the cell-by-cell count on random small grammars and rules', () => {
    fc.assert(
      fc.property(grammarArb, fc.constantFrom(...allCellValidityRules()), (g, rule) => {
        const cells = [...enumerateGrammarCells(g)];
        const valid = cells.filter((c) => isValidGrammarCell(g, c, rule)).length;
        return countValidGrammarCells(g, rule).valid === valid;
      }),
      { seed: 2022, numRuns: 60 },
    );
  });

  it('property: every cell of an acyclic grammar has an acyclic induced graph', () => {
    fc.assert(
      fc.property(
        grammarArb.map((g) => ({ ...g, kind: 'acyclic' as const })),
        (g) => [...enumerateGrammarCells(g)].every((c) => analyzeGrammarCell(g, c).cycleNodes.length === 0),
      ),
      { seed: 2023, numRuns: 60 },
    );
  });
});

describe('compareCellGrammars', () => {
  it('R = p_acyc / p_free = 1 / 0.4 = 2.5 under the default rule', () => {
    expect(compareCellGrammars(free3, acyclic3)).toEqual({ nFree: 3375, vFree: 1350, pFree: 0.4, nAcyclic: 648, vAcyclic: 648, pAcyclic: 1, ratio: 2.5 });
  });

  it('R = (352/648)/(900/3375) = 55/27 with a zero op', () => {
    expect(compareCellGrammars(freeZero3, acyclicZero3).ratio).toBeCloseTo(55 / 27, 12);
  });

  it('reports a null ratio when the free grammar has no valid cell', () => {
    // One source per node: the last node's chain reaches one input, never both.
    const r = compareCellGrammars(free3, acyclic3, { inputs: 'all' });
    expect(r.vFree).toBe(0);
    expect(r.ratio).toBeNull();
  });
});
