import { describe, expect, it } from 'vitest';
import { canonicalNb201Cell, nb201FromIndex, nb201Index, type Nb201Cell } from '../../src/spaces/nb201';
import { nb201Space } from '../../src/spaces/nb201Space';
import { widthSpace } from '../../src/spaces/widths';

describe('nb201Space', () => {
  it('lists 15625 cells, or 4930 canonical ones, and encodes ops as indices', () => {
    expect(nb201Space().candidates().length).toBe(15625);
    expect(nb201Space({ dedupe: 'canonical' }).candidates().length).toBe(4930);
    expect(nb201Space().encode(nb201FromIndex(1))).toEqual([0, 0, 0, 0, 0, 1]);
  });
  it('canonical keys identify duplicates; canonical neighbours exclude the cell itself', () => {
    const space = nb201Space({ dedupe: 'canonical' });
    const cell: Nb201Cell = { kind: 'nb201', ops: ['conv3x3', 'conv3x3', 'none', 'none', 'none', 'skip'] };
    expect(space.key(cell)).toBe(String(nb201Index(canonicalNb201Cell(cell))));
    const own = space.key(cell);
    const ns = space.neighbours(cell);
    expect(ns.every((n) => space.key(n) !== own)).toBe(true);
    expect(new Set(ns.map((n) => space.key(n))).size).toBe(ns.length);
  });
  it('rejects an unknown dedupe', () => {
    expect(() => nb201Space({ dedupe: 'iso' as never })).toThrow(/'opts.dedupe' must be one of/);
  });
});

describe('widthSpace', () => {
  it('125 genomes of three widths; params from archCost; genes round-trip', () => {
    const s = widthSpace();
    expect(s.candidates().length).toBe(125);
    expect(s.params([32, 16, 8])).toBe(64 * 32 + 32 + 32 * 16 + 16 + 16 * 8 + 8 + 8 * 10 + 10);
    for (const g of s.candidates()) expect(s.decode(s.encode(g))).toEqual(g);
    expect(s.neighbours([4, 8, 16]).length).toBe(12);
    expect(s.cardinalities()).toEqual([5, 5, 5]);
  });
  it('rejects bad choices and genomes, naming the argument', () => {
    expect(() => widthSpace({ choices: [8, 8] })).toThrow("widthSpace: 'choices' must be distinct widths, got [8, 8]");
    expect(() => widthSpace({ layers: 0 })).toThrow(/'layers' must be an integer >= 1/);
    expect(() => widthSpace().params([32, 16])).toThrow("widthSpace.params: 'genome' must be 3 widths from [4, 8, 16, 32, 64], got [32, 16]");
    expect(() => widthSpace().decode([0, 0, 9])).toThrow(/'genes' must be 3 integers in 0..4/);
  });
});
