import { describe, it, expect } from 'vitest';
import {
  checkArray,
  checkFunction,
  checkInt,
  checkNumber,
  checkNumbers,
  checkOneOf,
  checkProbability,
  checkSameLength,
  checkString,
  describe as describeValue,
} from '../../src/core/checks';

describe('check helpers', () => {
  it('return valid values unchanged', () => {
    expect(checkInt('n', 3, { min: 1 }, 'F')).toBe(3);
    expect(checkNumber('x', 0.5, { min: 0, max: 1 })).toBe(0.5);
    expect(checkProbability('p', 1)).toBe(1);
    expect(checkArray('xs', [1, 2], { minLength: 2 })).toEqual([1, 2]);
    expect(checkNumbers('xs', [1, -2.5])).toEqual([1, -2.5]);
    expect(checkOneOf('mode', 'a', ['a', 'b'])).toBe('a');
    expect(checkString('s', 'ok')).toBe('ok');
    const f = () => 1;
    expect(checkFunction('f', f)).toBe(f);
    expect(() => checkSameLength('a', [1], 'b', [2])).not.toThrow();
  });

  it('name the caller, the argument and what was expected', () => {
    expect(() => checkInt('populationSize', 1, { min: 2 }, 'RegularizedEvolution')).toThrow(
      "RegularizedEvolution: 'populationSize' must be an integer >= 2, got 1",
    );
    expect(() => checkInt('n', 2.5, {}, 'F')).toThrow(new TypeError("F: 'n' must be an integer, got 2.5"));
    expect(() => checkNumber('x', 5, { min: 0, max: 1, exclusiveMax: true }, 'G')).toThrow(
      new RangeError("G: 'x' must be a number >= 0 and < 1, got 5"),
    );
    expect(() => checkNumber('x', '1', {}, 'G')).toThrow("G: 'x' must be a finite number, got \"1\"");
    expect(() => checkProbability('p', 1.2, 'H')).toThrow("H: 'p' must be a number >= 0 and <= 1, got 1.2");
    expect(() => checkArray('xs', [], { minLength: 1 }, 'K')).toThrow("K: 'xs' must have at least 1 item, got an empty array");
    expect(() => checkArray('xs', [1, 2], { length: 3 }, 'K')).toThrow("K: 'xs' must have length 3, got length 2");
    expect(() => checkNumbers('xs', [1, null], {}, 'K')).toThrow("K: 'xs' must hold only finite numbers, got null at index 1");
    expect(() => checkSameLength('x', [1], 'y', [1, 2], 'L')).toThrow("L: 'x' and 'y' must have the same length, got 1 and 2");
    expect(() => checkOneOf('mode', 'c', ['a', 'b'], 'M')).toThrow("M: 'mode' must be one of \"a\", \"b\", got \"c\"");
    expect(() => checkString('name', '', 'N')).toThrow("N: 'name' must be a non-empty string, got \"\"");
    expect(() => checkFunction('f', 3, 'P')).toThrow("P: 'f' must be a function, got 3");
  });

  it('leave out the caller prefix when none is given', () => {
    expect(() => checkInt('k', -1, { min: 0 })).toThrow(/^'k' must be an integer >= 0, got -1$/);
  });

  it('describe renders values briefly and never throws', () => {
    expect(describeValue('a')).toBe('"a"');
    expect(describeValue([1, 2])).toBe('[1, 2]');
    expect(describeValue(Array.from({ length: 10 }, () => 0))).toBe('an array of length 10');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(() => 1)).toBe('a function');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(describeValue(cyclic)).toBe('an object');
    expect(describeValue({ long: 'x'.repeat(100) }).endsWith('...')).toBe(true);
  });
});
