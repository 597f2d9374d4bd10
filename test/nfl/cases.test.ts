/**
 * Chapter 01's cases checked locally: the reference solution passes every public case, the
 * library reproduces every public expected value independently, and hidden inputs are well formed.
 * (test/grading/cases.test.ts runs the same cases through the sandboxed runner on the built dist.)
 */
import { describe, expect, it, vi } from 'vitest';
import { createRng } from '../../src/core/rng';
import { cases } from '../../src/grading/cases/01-no-free-lunch';
import { countTasks, exactOts, makeLearner, nearestNeighbourLearner, otsOnTask, taskListFamily, LearnerName } from '../../src/nfl';
import * as solution from '../../solutions/01-no-free-lunch';

// The solution imports "nasbook" (the built package); here it gets the library source instead.
vi.mock('nasbook', async () => await import('../../src/nfl'));

const fns = solution as unknown as Record<string, (...args: unknown[]) => unknown>;

describe('chapter 01 cases', () => {
  it.each(cases.publicCases.map((c) => [c.name, c] as const))('solution passes %s', (_name, c) => {
    expect(fns[c.fn](...c.args)).toEqual(c.expected);
  });

  it.each(cases.publicCases.map((c) => [c.name, c] as const))('the library agrees with %s', (_name, c) => {
    const a = c.args as never[];
    switch (c.fn) {
      case 'countTasks':
        expect(countTasks(a[0], a[1])).toBe(c.expected);
        break;
      case 'nearestNeighbourPredict':
        expect(nearestNeighbourLearner().learn({ inputs: a[1], labels: a[2] }, { xSize: a[0], ySize: 5 })).toEqual(c.expected);
        break;
      case 'otsCountsOnTask': {
        const r = otsOnTask(makeLearner(a[0]), a[1], a[2], a[3]);
        expect({ correct: r.correct, total: r.total }).toEqual(c.expected);
        break;
      }
      case 'familyOtsCounts': {
        const tasks = a[1] as number[][];
        const r = exactOts(makeLearner(a[0] as LearnerName), { xSize: tasks[0].length, ySize: a[2], trainSize: a[3] }, { family: taskListFamily(tasks) });
        expect({ correct: Number(r.correct), total: Number(r.total) }).toEqual(c.expected);
        break;
      }
      default:
        throw new Error(`unexpected function ${c.fn}`);
    }
  });

  it('hidden inputs: 8-20 JSON-safe calls, repeated by the seed, solvable by the solution', () => {
    const a = cases.hiddenInputs(createRng('h1'));
    expect(a.length).toBeGreaterThanOrEqual(8);
    expect(a.length).toBeLessThanOrEqual(20);
    expect(cases.hiddenInputs(createRng('h1'))).toEqual(a);
    expect(cases.hiddenInputs(createRng('h2'))).not.toEqual(a);
    for (const h of a) {
      expect(JSON.parse(JSON.stringify(h.args))).toEqual(h.args);
      expect(cases.functions).toContain(h.fn);
      const result = fns[h.fn](...h.args);
      expect(JSON.parse(JSON.stringify(result))).toEqual(result);
    }
    // Every function is exercised by the hidden cases too.
    expect(new Set(a.map((h) => h.fn))).toEqual(new Set(cases.functions));
  });

  it('hidden familyOtsCounts over all tasks come out at exactly 1/|Y|', () => {
    for (const seed of ['a', 'b', 'c']) {
      for (const h of cases.hiddenInputs(createRng(seed))) {
        if (h.fn !== 'familyOtsCounts') continue;
        const [, tasks, k] = h.args as [string, number[][], number];
        const r = fns[h.fn](...h.args) as { correct: number; total: number };
        if (tasks.length === k ** tasks[0].length) expect(r.correct * k).toBe(r.total);
      }
    }
  });
});
