import { describe, it, expect, vi } from 'vitest';
// The solution and exercise import from "nasbook" (the built package); point that at the source.
vi.mock('nasbook', async () => await import('../../src/spaces/index'));
import { cases } from '../../src/grading/cases/02-grammars';
import { compareResult } from '../../src/grading/compare';
import { createRng } from '../../src/core/rng';
import * as solution from '../../solutions/02-grammars';
import * as exercise from '../../exercises/02-grammars';
import { isValidGrammarCell, countValidGrammarCells } from '../../src/spaces/grammarValidity';
import type { CellGrammar, GrammarCell } from '../../src/spaces/grammar';

type Fn = (...args: unknown[]) => unknown;
const call = (mod: object, fn: string, args: unknown[]) => (mod as Record<string, Fn>)[fn](...structuredClone(args));

describe('chapter 02 cases', () => {
  it('names the chapter and the four functions, all exported by the solution and the exercise', () => {
    expect(cases.chapter).toBe('02');
    expect(cases.slug).toBe('grammars');
    for (const fn of cases.functions) {
      expect(typeof (solution as Record<string, unknown>)[fn]).toBe('function');
      expect(typeof (exercise as Record<string, unknown>)[fn]).toBe('function');
    }
  });

  it('the reference solution passes every public case', () => {
    for (const c of cases.publicCases) {
      expect(cases.functions).toContain(c.fn);
      expect(compareResult(c.expected, call(solution, c.fn, c.args), c.tolerance ?? 0), c.name).toEqual({ ok: true });
    }
  });

  it('the untouched exercise fails every public case with a TODO', () => {
    for (const c of cases.publicCases) expect(() => call(exercise, c.fn, c.args)).toThrow(/TODO/);
  });

  it('hidden inputs: 8 to 20 JSON-safe calls, the same for the same seed, different for another', () => {
    const a = cases.hiddenInputs(createRng('grade'));
    expect(a.length).toBeGreaterThanOrEqual(8);
    expect(a.length).toBeLessThanOrEqual(20);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    expect(cases.hiddenInputs(createRng('grade'))).toEqual(a);
    expect(cases.hiddenInputs(createRng('other'))).not.toEqual(a);
    expect(new Set(a.map((c) => c.name)).size).toBe(a.length);
  });

  it('hidden inputs over many seeds: the solution answers each with JSON-safe values, and both verdicts occur', () => {
    const verdicts = new Set<unknown>();
    for (let s = 0; s < 20; s++) {
      for (const c of cases.hiddenInputs(createRng(s))) {
        const result = call(solution, c.fn, c.args);
        expect(Number.isFinite(result) || typeof result === 'boolean', c.name).toBe(true);
        if (c.fn === 'isValidCell') verdicts.add(result);
      }
    }
    expect([...verdicts].sort()).toEqual([false, true]);
  });

  it('the solution agrees with the library on every hidden validity and acceptance case', () => {
    for (let s = 0; s < 20; s++) {
      for (const c of cases.hiddenInputs(createRng(s))) {
        if (c.fn === 'isValidCell') {
          const [g, cell] = c.args as [CellGrammar, GrammarCell];
          expect(call(solution, c.fn, c.args), c.name).toBe(isValidGrammarCell(g, cell));
        } else if (c.fn === 'acceptanceProbability') {
          expect(call(solution, c.fn, c.args) as number, c.name).toBeCloseTo(countValidGrammarCells(c.args[0] as CellGrammar).acceptance, 12);
        }
      }
    }
  });
});
