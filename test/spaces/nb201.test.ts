import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import {
  NB201_EDGES,
  NB201_NODES,
  NB201_OPS,
  NB201_OP_NAMES,
  NB201_SIZE,
  canonicalNb201Cell,
  checkNb201Cell,
  isNb201Disconnected,
  mutateNb201Cell,
  nb201FromIndex,
  nb201FunctionKey,
  nb201Index,
  nb201Neighbours,
  nb201UniqueCells,
  sampleNb201Cell,
  formatNb201Cell,
  nb201Cell,
  nb201CellArch,
  nb201OpFromName,
  parseNb201Cell,
  type Nb201Op,
} from '../../src/spaces/nb201';
import { checkCellArch, liveCell } from '../../src/tensor/arch';
import { createRng } from '../../src/core/rng';

const EXAMPLE = '|conv3x3~0|+|skip~0|conv1x1~1|+|none~0|skip~1|avgpool3x3~2|';
const EXAMPLE_OPS: Nb201Op[] = ['conv3x3', 'skip', 'conv1x1', 'none', 'skip', 'avgpool3x3'];

function allCells(): Nb201Op[][] {
  const out: Nb201Op[][] = [[]];
  for (let e = 0; e < 6; e++) {
    const next: Nb201Op[][] = [];
    for (const prefix of out) for (const op of NB201_OPS) next.push([...prefix, op]);
    out.splice(0, out.length, ...next);
  }
  return out;
}

describe('NAS-Bench-201 cell basics', () => {
  it("lists the 6 edges in NAS-Bench-201's order and the 5 operations", () => {
    expect(NB201_NODES).toBe(4);
    expect(NB201_EDGES.map((e) => `${e.to}<-${e.from}`)).toEqual(['1<-0', '2<-0', '2<-1', '3<-0', '3<-1', '3<-2']);
    expect([...NB201_OPS]).toEqual(['none', 'skip', 'conv1x1', 'conv3x3', 'avgpool3x3']);
    expect(NB201_OP_NAMES.conv3x3).toBe('nor_conv_3x3');
  });

  it('builds, checks and copies a cell', () => {
    const ops = EXAMPLE_OPS.slice();
    const cell = nb201Cell(ops);
    expect(cell).toEqual({ kind: 'nb201', ops: EXAMPLE_OPS });
    ops[0] = 'none';
    expect(cell.ops[0]).toBe('conv3x3');
    expect(JSON.parse(JSON.stringify(cell))).toEqual(cell);
    expect(() => nb201Cell(['conv3x3'])).toThrow("nb201Cell: 'ops' must have length 6, got length 1");
    expect(() => nb201Cell(['conv5x5', 'skip', 'skip', 'skip', 'skip', 'skip'] as never)).toThrow(
      `nb201Cell: 'cell.ops[0]' must be one of "none", "skip", "conv1x1", "conv3x3", "avgpool3x3", got "conv5x5"`,
    );
    expect(() => checkNb201Cell({ kind: 'cell', ops: EXAMPLE_OPS }, 'f')).toThrow(`f: 'cell.kind' must be one of "nb201", got "cell"`);
    expect(() => checkNb201Cell('cell', 'f')).toThrow(/f: 'cell' must be a NAS-Bench-201 cell/);
  });
});

describe('formatNb201Cell / parseNb201Cell', () => {
  it('writes and reads the canonical string', () => {
    expect(formatNb201Cell(nb201Cell(EXAMPLE_OPS))).toBe(EXAMPLE);
    expect(parseNb201Cell(EXAMPLE)).toEqual({ kind: 'nb201', ops: EXAMPLE_OPS });
  });

  it("reads and writes NAS-Bench-201's own operation names", () => {
    const theirs = '|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|none~0|skip_connect~1|avg_pool_3x3~2|';
    expect(parseNb201Cell(theirs).ops).toEqual(EXAMPLE_OPS);
    expect(formatNb201Cell(nb201Cell(EXAMPLE_OPS), { naming: 'nasbench201' })).toBe(theirs);
    expect(nb201OpFromName('avg_pool_3x3')).toBe('avgpool3x3');
    expect(nb201OpFromName('conv1x1')).toBe('conv1x1');
    expect(nb201OpFromName('none')).toBe('none');
  });

  it('round-trips all 15625 cells in both namings', () => {
    const cells = allCells();
    expect(cells.length).toBe(15625);
    const strings = new Set<string>();
    for (const ops of cells) {
      const cell = nb201Cell(ops);
      const text = formatNb201Cell(cell);
      strings.add(text);
      expect(parseNb201Cell(text)).toEqual(cell);
      expect(parseNb201Cell(formatNb201Cell(cell, { naming: 'nasbench201' }))).toEqual(cell);
    }
    expect(strings.size).toBe(15625);
  });

  it('reads every cell string of data/nasbench201-hp12.csv.gz and writes it back unchanged', () => {
    const file = path.join(__dirname, '..', '..', 'data', 'nasbench201-hp12.csv.gz');
    const lines = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').trim().split('\n').slice(1);
    expect(lines.length).toBe(15625);
    const seen = new Set<string>();
    for (const line of lines) {
      const text = line.split(',')[1];
      const cell = parseNb201Cell(text);
      expect(formatNb201Cell(cell, { naming: 'nasbench201' })).toBe(text);
      seen.add(formatNb201Cell(cell));
    }
    expect(seen.size).toBe(15625);
    // Row 1 of the table, read by eye.
    expect(parseNb201Cell(lines[1].split(',')[1]).ops).toEqual(['conv3x3', 'conv3x3', 'avgpool3x3', 'skip', 'conv3x3', 'skip']);
  });

  it('names what is wrong with a bad string', () => {
    const bad: [string, RegExp][] = [
      ['|conv3x3~0|+|skip~0|conv1x1~1|', /expected 3 node groups separated by '\+', found 2/],
      ['|conv3x3~0|+|skip~0|+|none~0|skip~1|avgpool3x3~2|', /node 2 must have 2 incoming edges, found 1/],
      ['|conv3x3~0|+|skip~0|conv1x1~0|+|none~0|skip~1|avgpool3x3~2|', /edge "conv1x1~0" into node 2 must be 'op~1'/],
      ['|conv3x3~0|+|skip~0|conv1x1~1|+|none~0|skip~1|maxpool3x3~2|', /unknown operation "maxpool3x3"/],
      ['conv3x3~0|+|skip~0|conv1x1~1|+|none~0|skip~1|avgpool3x3~2|', /node 1's group must start and end with '\|'/],
      ['|conv3x3|+|skip~0|conv1x1~1|+|none~0|skip~1|avgpool3x3~2|', /edge "conv3x3" into node 1 must be 'op~0'/],
    ];
    for (const [text, why] of bad) {
      expect(() => parseNb201Cell(text)).toThrow(/^parseNb201Cell: 'text' must look like '\|op~0\|\+\|op~0\|op~1\|\+\|op~0\|op~1\|op~2\|', got /);
      expect(() => parseNb201Cell(text)).toThrow(why);
    }
    expect(() => parseNb201Cell('' as string)).toThrow(`parseNb201Cell: 'text' must be a non-empty string, got ""`);
    expect(() => nb201OpFromName('conv')).toThrow(/nb201OpFromName: 'name' must be one of "none", "skip", .*"avg_pool_3x3", got "conv"/);
    expect(() => formatNb201Cell(nb201Cell(EXAMPLE_OPS), { naming: 'x' as never })).toThrow(`formatNb201Cell: 'naming' must be one of "nasbook", "nasbench201", got "x"`);
  });

  it('parses whatever it formats (property)', () => {
    const opArb = fc.constantFrom(...NB201_OPS);
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 6, maxLength: 6 }), fc.constantFrom('nasbook' as const, 'nasbench201' as const), (ops, naming) => {
        const cell = nb201Cell(ops);
        expect(parseNb201Cell(formatNb201Cell(cell, { naming }))).toEqual(cell);
      }),
      { seed: 201, numRuns: 200 },
    );
  });
});

describe('nb201CellArch', () => {
  it('gives the generic cell description the model builder takes', () => {
    const arch = nb201CellArch(parseNb201Cell(EXAMPLE));
    expect(arch).toEqual({
      kind: 'cell',
      nodes: 4,
      edges: [
        { from: 0, to: 1, op: 'conv3x3' },
        { from: 0, to: 2, op: 'skip' },
        { from: 1, to: 2, op: 'conv1x1' },
        { from: 0, to: 3, op: 'none' },
        { from: 1, to: 3, op: 'skip' },
        { from: 2, to: 3, op: 'avgpool3x3' },
      ],
    });
    expect(checkCellArch(arch, 't')).toBe(arch);
    expect(liveCell(arch).edges.length).toBe(5);
  });

  it('maps every cell to a valid acyclic description', () => {
    for (const ops of allCells().filter((_, i) => i % 97 === 0)) expect(() => checkCellArch(nb201CellArch(nb201Cell(ops)), 't')).not.toThrow();
  });
});

describe('the NAS-Bench-201 space: index, sampling, neighbours', () => {
  it('numbers cells as base-5 numbers, edge 1<-0 the leading digit', () => {
    expect(NB201_SIZE).toBe(15625);
    expect(nb201Index(nb201Cell(['none', 'none', 'none', 'none', 'none', 'skip']))).toBe(1);
    expect(nb201Index(nb201Cell(['skip', 'none', 'none', 'none', 'none', 'none']))).toBe(3125);
    // 3·3125 + 1·625 + 2·125 + 0·25 + 1·5 + 4 = 10259
    expect(nb201Index(parseNb201Cell(EXAMPLE))).toBe(10259);
    expect(nb201FromIndex(10259).ops).toEqual(EXAMPLE_OPS);
    expect(nb201FromIndex(15624).ops).toEqual(Array(6).fill('avgpool3x3'));
  });

  it('round-trips every index and agrees with the enumeration order', () => {
    const cells = allCells();
    for (let i = 0; i < NB201_SIZE; i++) {
      const cell = nb201FromIndex(i);
      expect(cell.ops).toEqual(cells[i]);
      expect(nb201Index(cell)).toBe(i);
    }
  });

  it('rejects bad indices and cells', () => {
    expect(() => nb201FromIndex(15625)).toThrow("nb201FromIndex: 'index' must be an integer >= 0 and <= 15624, got 15625");
    expect(() => nb201FromIndex(1.5)).toThrow(/nb201FromIndex: 'index' must be an integer/);
    expect(() => nb201Index({ kind: 'nb201', ops: ['none'] } as never)).toThrow(/nb201Index: 'cell.ops' must have length 6/);
    expect(() => sampleNb201Cell(42 as never)).toThrow("sampleNb201Cell: 'rng' must be an Rng (from createRng(seed)), got 42");
    expect(() => mutateNb201Cell(nb201FromIndex(0), {} as never)).toThrow(/mutateNb201Cell: 'rng' must be an Rng/);
  });

  it('samples reproducibly per seed and covers the space uniformly', () => {
    const draw = (seed: number) => Array.from({ length: 20 }, ((rng) => () => nb201Index(sampleNb201Cell(rng)))(createRng(seed)));
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    // Each edge's operation is uniform: 5000 draws, each op about 1000 per edge (sd ~28).
    const rng = createRng(11);
    const counts = NB201_EDGES.map(() => new Map<Nb201Op, number>());
    for (let k = 0; k < 5000; k++) sampleNb201Cell(rng).ops.forEach((op, e) => counts[e].set(op, (counts[e].get(op) ?? 0) + 1));
    for (const m of counts) for (const op of NB201_OPS) expect(Math.abs((m.get(op) ?? 0) - 1000)).toBeLessThan(150);
  });

  it('lists 24 distinct neighbours, each one edge away', () => {
    for (const i of [0, 10259, 15624, 777]) {
      const cell = nb201FromIndex(i);
      const ns = nb201Neighbours(cell);
      expect(ns.length).toBe(24);
      expect(new Set(ns.map(nb201Index)).size).toBe(24);
      for (const n of ns) expect(n.ops.filter((op, e) => op !== cell.ops[e]).length).toBe(1);
    }
    expect(nb201Neighbours(nb201FromIndex(0)).slice(0, 5).map(nb201Index)).toEqual([3125, 6250, 9375, 12500, 625]);
  });

  it('mutates to a neighbour, reproducibly, without touching the parent', () => {
    const parent = parseNb201Cell(EXAMPLE);
    const a = mutateNb201Cell(parent, createRng(5));
    expect(mutateNb201Cell(parent, createRng(5))).toEqual(a);
    expect(parent.ops).toEqual(EXAMPLE_OPS);
    expect(nb201Neighbours(parent).map(nb201Index)).toContain(nb201Index(a));
    const rng = createRng(6);
    const seen = new Set<number>();
    for (let k = 0; k < 400; k++) seen.add(nb201Index(mutateNb201Cell(parent, rng)));
    expect(seen.size).toBe(24);
  });
});

describe('duplicates and disconnected cells', () => {
  it('detects disconnected cells: 341 of them, and agrees with liveCell', () => {
    let n = 0;
    for (let i = 0; i < NB201_SIZE; i++) {
      const cell = nb201FromIndex(i);
      const d = isNb201Disconnected(cell);
      expect(d).toBe(liveCell(nb201CellArch(cell)).zero);
      if (d) n++;
    }
    expect(n).toBe(341);
    expect(isNb201Disconnected(parseNb201Cell('|conv3x3~0|+|none~0|none~1|+|none~0|none~1|skip~2|'))).toBe(true);
    expect(isNb201Disconnected(parseNb201Cell('|none~0|+|none~0|none~1|+|skip~0|none~1|none~2|'))).toBe(false);
  });

  it('writes function keys that apply the none/skip/sum identities', () => {
    const key = (s: string) => nb201FunctionKey(parseNb201Cell(s));
    expect(key('|conv3x3~0|+|skip~0|none~1|+|none~0|skip~1|skip~2|')).toBe('conv3x3(x)+x');
    expect(key('|skip~0|+|none~0|none~1|+|skip~0|skip~1|none~2|')).toBe('x+x');
    expect(key('|skip~0|+|none~0|conv1x1~1|+|none~0|none~1|avgpool3x3~2|')).toBe('avgpool3x3(conv1x1(x))');
    // A conv fed by a zero node is zero; a node that does not reach the output is ignored.
    expect(key('|none~0|+|none~0|conv3x3~1|+|conv1x1~0|conv3x3~1|avgpool3x3~2|')).toBe('conv1x1(x)');
    expect(key('|conv3x3~0|+|conv3x3~0|none~1|+|none~0|none~1|none~2|')).toBe('0');
    // NAS-Bench-201's rule keeps zero terms.
    expect(nb201FunctionKey(parseNb201Cell('|none~0|+|none~0|none~1|+|skip~0|none~1|none~2|'), { rule: 'nasbench201' })).toBe('#+#+0');
    expect(() => nb201FunctionKey(nb201FromIndex(0), { rule: 'x' as never })).toThrow(`nb201FunctionKey: 'rule' must be one of "function", "nasbench201", got "x"`);
  });

  it("counts 4930 function classes, 6466 under NAS-Bench-201's rule, which refines ours", () => {
    const ours = new Map<string, string>();
    const theirs = new Map<string, string>();
    for (let i = 0; i < NB201_SIZE; i++) {
      const cell = nb201FromIndex(i);
      const a = nb201FunctionKey(cell);
      const b = nb201FunctionKey(cell, { rule: 'nasbench201' });
      ours.set(a, a);
      // Every NAS-Bench-201 class lies inside one of ours.
      if (theirs.has(b)) expect(theirs.get(b)).toBe(a);
      else theirs.set(b, a);
    }
    expect(ours.size).toBe(4930);
    expect(theirs.size).toBe(6466);
  });

  it('canonical cells: idempotent, key-preserving, dead edges set to none, one per class', () => {
    const unique = nb201UniqueCells();
    expect(unique.length).toBe(4930);
    expect(unique[0].ops).toEqual(Array(6).fill('none'));
    const idx = unique.map(nb201Index);
    expect(idx).toEqual([...idx].sort((a, b) => a - b));
    expect(new Set(unique.map((c) => nb201FunctionKey(c))).size).toBe(4930);
    const uniqueSet = new Set(idx);
    for (let i = 0; i < NB201_SIZE; i++) {
      const cell = nb201FromIndex(i);
      const canon = canonicalNb201Cell(cell);
      expect(canonicalNb201Cell(canon)).toEqual(canon);
      expect(nb201FunctionKey(canon)).toBe(nb201FunctionKey(cell));
      expect(nb201Index(canon)).toBeLessThanOrEqual(i);
      expect(uniqueSet.has(nb201Index(canon))).toBe(true);
    }
    for (const cell of unique) {
      // Every non-'none' edge of a representative is live (disconnected class: no edges at all).
      const live = liveCell(nb201CellArch(cell)).edges.length;
      expect(cell.ops.filter((op) => op !== 'none').length).toBe(live);
    }
    expect(formatNb201Cell(canonicalNb201Cell(parseNb201Cell('|conv3x3~0|+|conv3x3~0|none~1|+|none~0|none~1|skip~2|')))).toBe(
      '|none~0|+|none~0|none~1|+|conv3x3~0|none~1|none~2|',
    );
    expect(() => canonicalNb201Cell({ kind: 'nb201' } as never)).toThrow(/canonicalNb201Cell: 'cell.ops' must be an array/);
  });
});
