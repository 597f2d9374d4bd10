import { describe, expect, it } from 'vitest';
import { compareResult } from '../../src/grading/compare';
import { decodeValue, encodeValue } from '../../src/grading/wire';

describe('compareResult', () => {
  it('matches equal JSON values whatever the key order', () => {
    expect(compareResult({ a: [1, 2, { b: 'x' }], c: true }, { c: true, a: [1, 2, { b: 'x' }] })).toEqual({ ok: true });
  });
  it('names the first difference with its path', () => {
    expect(compareResult({ a: [1, 2] }, { a: [1, 3] })).toEqual({ ok: false, reason: 'expected 2 at a[1], got 3' });
    expect(compareResult([1, 2], [1])).toEqual({ ok: false, reason: 'expected an array of length 2, got length 1' });
    expect(compareResult({ a: 1 }, {})).toEqual({ ok: false, reason: "missing property 'a'" });
    expect(compareResult({ a: 1 }, { a: 1, b: 2 })).toEqual({ ok: false, reason: "unexpected property 'b'" });
    expect(compareResult(1, '1')).toEqual({ ok: false, reason: 'expected a number, got "1"' });
    expect(compareResult([1], null)).toEqual({ ok: false, reason: 'expected an array, got null' });
  });
  it('uses a relative tolerance scaled by max(1, |expected|)', () => {
    expect(compareResult(1000, 1000.5, 1e-3).ok).toBe(true);
    expect(compareResult(1000, 1002, 1e-3).ok).toBe(false);
    expect(compareResult(0, 5e-4, 1e-3).ok).toBe(true);
    expect(compareResult(0.1 + 0.2, 0.3, 0).ok).toBe(false);
    expect(compareResult(0.1 + 0.2, 0.3, 1e-12).ok).toBe(true);
  });
  it('never lets NaN or Infinity pass for a number', () => {
    expect(compareResult(1, NaN, 1).ok).toBe(false);
    expect(compareResult(1, Infinity, 1).ok).toBe(false);
    expect(compareResult(0, -0).ok).toBe(true);
  });
});

describe('wire format', () => {
  it('round-trips values JSON cannot carry', () => {
    const value = { n: NaN, i: Infinity, m: -Infinity, u: undefined, b: 12n, arr: new Float64Array([1, 2]) };
    const back = decodeValue(encodeValue(value)) as Record<string, unknown>;
    expect(Number.isNaN(back.n)).toBe(true);
    expect(back.i).toBe(Infinity);
    expect(back.m).toBe(-Infinity);
    expect(back.u).toBeUndefined();
    expect(back.b).toBe(12n);
    expect(back.arr).toEqual([1, 2]);
  });
  it('refuses circular and oversized results', () => {
    const o: { self?: unknown } = {};
    o.self = o;
    expect(() => encodeValue(o)).toThrow(/circular/);
    expect(() => encodeValue(new Array(1000).fill(1), 100)).toThrow(/too large/);
  });
});
