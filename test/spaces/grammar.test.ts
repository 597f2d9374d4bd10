import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  CellGrammar,
  CellGrammarKind,
  checkGrammarCell,
  countGrammarCells,
  createCellGrammar,
  enumerateGrammarCells,
  formatGrammarCell,
  grammarCellAt,
  grammarCellIndex,
  grammarNodeSources,
} from '../../src/spaces/grammar';

const OPS = ['conv3x3', 'conv1x1', 'maxpool3x3'];
const free3 = createCellGrammar({ kind: 'free', nodes: 3, ops: OPS });
const acyclic3 = createCellGrammar({ kind: 'acyclic', nodes: 3, ops: OPS });

describe('createCellGrammar', () => {
  it('fills the default inputs and copies its arrays', () => {
    const ops = ['a', 'b'];
    const g = createCellGrammar({ kind: 'free', nodes: 2, ops });
    expect(g).toEqual({ kind: 'free', nodes: 2, ops: ['a', 'b'], inputs: ['I0', 'I1'] });
    ops.push('c');
    expect(g.ops).toEqual(['a', 'b']);
    expect(JSON.parse(JSON.stringify(g))).toEqual(g);
  });

  it('keeps a zero operation that is one of the ops', () => {
    const g = createCellGrammar({ kind: 'acyclic', nodes: 1, ops: ['none', 'conv'], zeroOp: 'none' });
    expect(g.zeroOp).toBe('none');
  });

  const bad: [string, Parameters<typeof createCellGrammar>[0], RegExp][] = [
    ['no operations', { kind: 'free', nodes: 3, ops: [] }, /createCellGrammar: 'grammar.ops' must have at least 1 item, got an empty array/],
    ['zero nodes', { kind: 'free', nodes: 0, ops: OPS }, /'grammar.nodes' must be an integer >= 1, got 0/],
    ['negative nodes', { kind: 'acyclic', nodes: -2, ops: OPS }, /'grammar.nodes' must be an integer >= 1, got -2/],
    ['fractional nodes', { kind: 'acyclic', nodes: 1.5, ops: OPS }, /'grammar.nodes' must be an integer >= 1, got 1.5/],
    ['no inputs', { kind: 'free', nodes: 3, ops: OPS, inputs: [] }, /'grammar.inputs' must have at least 1 item/],
    ['duplicate operations', { kind: 'free', nodes: 3, ops: ['a', 'b', 'a'] }, /'grammar.ops' must hold distinct names, got "a" twice/],
    ['duplicate inputs', { kind: 'free', nodes: 3, ops: OPS, inputs: ['I0', 'I0'] }, /'grammar.inputs' must hold distinct names, got "I0" twice/],
    ['an empty name', { kind: 'free', nodes: 3, ops: ['a', ''] }, /'grammar.ops\[1\]' must be a non-empty string/],
    ['an unknown kind', { kind: 'cyclic' as CellGrammarKind, nodes: 3, ops: OPS }, /'grammar.kind' must be one of "free", "acyclic", got "cyclic"/],
    ['a zero op outside ops', { kind: 'free', nodes: 3, ops: OPS, zeroOp: 'none' }, /'grammar.zeroOp' must be one of/],
  ];
  for (const [what, spec, message] of bad) {
    it(`rejects ${what}`, () => expect(() => createCellGrammar(spec)).toThrow(message));
  }

  it('rejects a grammar that is not an object where one is expected', () => {
    expect(() => countGrammarCells(null as unknown as CellGrammar)).toThrow(/countGrammarCells: 'grammar' must be an object/);
    expect(() => countGrammarCells({ kind: 'free', nodes: 3, ops: [] } as unknown as CellGrammar)).toThrow(/'grammar.ops' must have at least 1 item/);
  });
});

describe('countGrammarCells', () => {
  it('gives the chapter numbers: (3·5)^3 = 3375 free, 3^3·(2·3·4) = 648 acyclic', () => {
    expect(countGrammarCells(free3)).toBe(3375);
    expect(countGrammarCells(acyclic3)).toBe(648);
  });

  it('follows the closed forms on other shapes (hand-computed)', () => {
    // K = 2, 2 ops, 1 input: free (2·3)^2 = 36; acyclic 2^2·(1·2) = 8.
    expect(countGrammarCells(createCellGrammar({ kind: 'free', nodes: 2, ops: ['a', 'b'], inputs: ['x'] }))).toBe(36);
    expect(countGrammarCells(createCellGrammar({ kind: 'acyclic', nodes: 2, ops: ['a', 'b'], inputs: ['x'] }))).toBe(8);
    // K = 1: the free node may read itself (3 sources), the acyclic one only the 2 inputs.
    expect(countGrammarCells(createCellGrammar({ kind: 'free', nodes: 1, ops: ['a'] }))).toBe(3);
    expect(countGrammarCells(createCellGrammar({ kind: 'acyclic', nodes: 1, ops: ['a'] }))).toBe(2);
    // K = 4, 3 ops, 2 inputs: free 18^4 = 104976; acyclic 81·(2·3·4·5) = 9720.
    expect(countGrammarCells({ ...free3, nodes: 4 })).toBe(104976);
    expect(countGrammarCells({ ...acyclic3, nodes: 4 })).toBe(9720);
  });

  it('refuses a count that would lose precision', () => {
    expect(() => countGrammarCells({ ...free3, nodes: 40 })).toThrow(/countGrammarCells: the number of cells exceeds/);
  });
});

describe('grammarNodeSources', () => {
  it('lists inputs then nodes, all nodes when free and earlier ones when acyclic', () => {
    expect(grammarNodeSources(free3, 0)).toEqual(['I0', 'I1', 0, 1, 2]);
    expect(grammarNodeSources(acyclic3, 0)).toEqual(['I0', 'I1']);
    expect(grammarNodeSources(acyclic3, 2)).toEqual(['I0', 'I1', 0, 1]);
    expect(() => grammarNodeSources(acyclic3, 3)).toThrow(/grammarNodeSources: 'k' must be an integer >= 0 and <= 2, got 3/);
  });
});

describe('checkGrammarCell', () => {
  const ok = { nodes: [{ op: 'conv3x3', src: 'I0' }, { op: 'conv1x1', src: 0 }, { op: 'maxpool3x3', src: 1 }] };

  it('accepts a well-formed cell', () => {
    expect(checkGrammarCell(acyclic3, ok, 't')).toBe(ok);
  });

  const bad: [string, CellGrammar, unknown, RegExp][] = [
    ['a later node in the acyclic grammar', acyclic3, { nodes: [ok.nodes[0], { op: 'conv1x1', src: 1 }, ok.nodes[2]] }, /t: 'cell.nodes\[1\].src' must be an input \("I0", "I1"\) or nodes 0..0 \(node 1 of a acyclic grammar with K = 3\), got 1/],
    ['a node source at node 0 of the acyclic grammar', acyclic3, { nodes: [{ op: 'conv1x1', src: 0 }, ok.nodes[1], ok.nodes[2]] }, /'cell.nodes\[0\].src' must be an input \("I0", "I1"\) or no node/],
    ['an index past K in the free grammar', free3, { nodes: [ok.nodes[0], ok.nodes[1], { op: 'conv1x1', src: 3 }] }, /'cell.nodes\[2\].src' must be an input \("I0", "I1"\) or any node 0..2 .*got 3/],
    ['a negative index', free3, { nodes: [{ op: 'conv1x1', src: -1 }, ok.nodes[1], ok.nodes[2]] }, /'cell.nodes\[0\].src'.*got -1/],
    ['an unknown input', free3, { nodes: [{ op: 'conv1x1', src: 'I2' }, ok.nodes[1], ok.nodes[2]] }, /'cell.nodes\[0\].src'.*got "I2"/],
    ['a source given as a string index', free3, { nodes: [{ op: 'conv1x1', src: '0' }, ok.nodes[1], ok.nodes[2]] }, /'cell.nodes\[0\].src'.*got "0"/],
    ['an unknown operation', free3, { nodes: [{ op: 'conv5x5', src: 'I0' }, ok.nodes[1], ok.nodes[2]] }, /'cell.nodes\[0\].op' must be one of "conv3x3", "conv1x1", "maxpool3x3", got "conv5x5"/],
    ['too few nodes', free3, { nodes: [ok.nodes[0]] }, /'cell.nodes' must have length 3, got length 1/],
    ['a node that is not an object', free3, { nodes: [ok.nodes[0], 'x', ok.nodes[2]] }, /'cell.nodes\[1\]' must be an object/],
    ['a bare array', free3, ok.nodes, /'cell' must be an object/],
  ];
  for (const [what, grammar, cell, message] of bad) {
    it(`rejects ${what}`, () => expect(() => checkGrammarCell(grammar, cell, 't')).toThrow(message));
  }
});

describe('enumeration and indexing', () => {
  it('enumerates every cell of the chapter grammars once', () => {
    for (const g of [free3, acyclic3]) {
      const keys = [...enumerateGrammarCells(g)].map((c) => JSON.stringify(c));
      expect(keys.length).toBe(countGrammarCells(g));
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('starts at ops[0](inputs[0]) everywhere and ends at the last op on the last source', () => {
    const cells = [...enumerateGrammarCells(acyclic3)];
    expect(cells[0]).toEqual({ nodes: [0, 1, 2].map(() => ({ op: 'conv3x3', src: 'I0' })) });
    expect(cells[1]).toEqual({ nodes: [{ op: 'conv3x3', src: 'I0' }, { op: 'conv3x3', src: 'I0' }, { op: 'conv3x3', src: 'I1' }] });
    expect(cells[647]).toEqual({ nodes: [{ op: 'maxpool3x3', src: 'I1' }, { op: 'maxpool3x3', src: 0 }, { op: 'maxpool3x3', src: 1 }] });
  });

  it('indexes cells in enumeration order, and index and cell are inverse', () => {
    const cells = [...enumerateGrammarCells(free3)];
    for (const i of [0, 1, 14, 15, 224, 225, 1700, 3374]) {
      expect(grammarCellAt(free3, i)).toEqual(cells[i]);
      expect(grammarCellIndex(free3, cells[i])).toBe(i);
    }
    expect(() => grammarCellAt(free3, 3375)).toThrow(/grammarCellAt: 'index' must be an integer >= 0 and <= 3374, got 3375/);
  });

  it('formats a cell as one production per node', () => {
    expect(formatGrammarCell({ nodes: [{ op: 'conv3x3', src: 'I1' }, { op: 'maxpool3x3', src: 0 }, { op: 'conv1x1', src: 2 }] })).toBe(
      'n0 = conv3x3(I1); n1 = maxpool3x3(n0); n2 = conv1x1(n2)',
    );
  });

  // Small grammars of both kinds; the largest has (3·(3+3))^3 = 5832 cells.
  const grammarArb = fc
    .record({
      kind: fc.constantFrom<CellGrammarKind>('free', 'acyclic'),
      nodes: fc.integer({ min: 1, max: 3 }),
      nOps: fc.integer({ min: 1, max: 3 }),
      nInputs: fc.integer({ min: 1, max: 3 }),
    })
    .map(({ kind, nodes, nOps, nInputs }) =>
      createCellGrammar({
        kind,
        nodes,
        ops: ['a', 'b', 'c'].slice(0, nOps),
        inputs: ['I0', 'I1', 'I2'].slice(0, nInputs),
      }),
    );

  it('property: enumeration yields exactly N distinct cells, each of the grammar, each at its index', () => {
    fc.assert(
      fc.property(grammarArb, (g) => {
        const cells = [...enumerateGrammarCells(g)];
        const distinct = new Set(cells.map((c) => JSON.stringify(c)));
        return (
          cells.length === countGrammarCells(g) &&
          distinct.size === cells.length &&
          cells.every((c, i) => checkGrammarCell(g, c, 'p') === c && grammarCellIndex(g, c) === i)
        );
      }),
      { seed: 2020, numRuns: 60 },
    );
  });

  it('property: in the acyclic grammar every edge points to a later node', () => {
    fc.assert(
      fc.property(
        grammarArb.map((g) => ({ ...g, kind: 'acyclic' as const })),
        (g) => [...enumerateGrammarCells(g)].every((c) => c.nodes.every((n, k) => typeof n.src === 'string' || n.src < k)),
      ),
      { seed: 2021, numRuns: 60 },
    );
  });
});
