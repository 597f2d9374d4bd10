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
  checkNb201Cell,
  formatNb201Cell,
  nb201Cell,
  nb201CellArch,
  nb201OpFromName,
  parseNb201Cell,
  type Nb201Op,
} from '../../src/spaces/nb201';
import { checkCellArch, liveCell } from '../../src/tensor/arch';

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
