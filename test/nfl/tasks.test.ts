import { describe, expect, it } from 'vitest';
import {
  countLabelChanges,
  countTasks,
  countTasksBig,
  countTrainingSets,
  enumerateTasks,
  enumerateTrainingSets,
  checkTask,
} from '../../src/nfl';

describe('countTasks', () => {
  it('is |Y|^|X|', () => {
    expect(countTasks(4, 2)).toBe(16);
    expect(countTasks(3, 3)).toBe(27);
    expect(countTasks(1, 7)).toBe(7);
    expect(countTasks(0, 5)).toBe(1); // one function from the empty set
    expect(countTasks(5, 1)).toBe(1); // one label: one task
    expect(countTasks(30, 3)).toBe(205891132094649);
  });

  it('refuses to round beyond 2^53 and points to the bigint version', () => {
    // 3^33 < 2^53 < 3^34
    expect(countTasks(33, 3)).toBe(5559060566555523);
    expect(() => countTasks(34, 3)).toThrow(/16677181699666569 exceeds Number.MAX_SAFE_INTEGER.*countTasksBig\(34, 3\)/);
    expect(countTasksBig(34, 3)).toBe(16677181699666569n);
    expect(countTasksBig(40, 3)).toBe(12157665459056928801n);
  });

  it('names the bad argument', () => {
    expect(() => countTasks(-1, 2)).toThrow(/countTasks: 'xSize' must be an integer >= 0, got -1/);
    expect(() => countTasks(3, 0)).toThrow(/countTasks: 'ySize' must be an integer >= 1, got 0/);
    expect(() => countTasks(2.5, 2)).toThrow(/'xSize' must be an integer/);
    expect(() => countTasksBig(3, -2)).toThrow(/countTasksBig: 'ySize'/);
  });
});

describe('enumerateTasks', () => {
  it('lists every task once, in lexicographic order', () => {
    expect([...enumerateTasks(2, 2)]).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    expect([...enumerateTasks(2, 3)].map((t) => t.join(''))).toEqual(['00', '01', '02', '10', '11', '12', '20', '21', '22']);
    expect([...enumerateTasks(0, 3)]).toEqual([[]]);
    expect([...enumerateTasks(3, 1)]).toEqual([[0, 0, 0]]);
  });

  it('yields as many distinct tasks as countTasks says', () => {
    for (const [n, k] of [
      [4, 2],
      [3, 4],
      [5, 3],
    ]) {
      const all = [...enumerateTasks(n, k)].map((t) => t.join(','));
      expect(all.length).toBe(countTasks(n, k));
      expect(new Set(all).size).toBe(all.length);
      expect([...all].sort()).toEqual(all); // digits < 10: string order is lexicographic order
    }
  });

  it('yields fresh arrays', () => {
    const tasks = [...enumerateTasks(2, 2)];
    tasks[0][0] = 9;
    expect(tasks[1]).toEqual([0, 1]);
  });

  it('checks sizes at the call, before iterating', () => {
    expect(() => enumerateTasks(30, 3)).toThrow(/enumerateTasks: 3\^30 = 205891132094649 tasks is more than 50000000/);
    expect(() => enumerateTasks(-2, 2)).toThrow(/enumerateTasks: 'xSize' must be an integer >= 0, got -2/);
    expect(() => enumerateTasks(2, 0)).toThrow(/enumerateTasks: 'ySize' must be an integer >= 1, got 0/);
  });
});

describe('training sets', () => {
  it('counts C(n, m)', () => {
    expect(countTrainingSets(4, 2)).toBe(6);
    expect(countTrainingSets(30, 10)).toBe(30045015);
    expect(countTrainingSets(5, 0)).toBe(1);
    expect(countTrainingSets(5, 5)).toBe(1);
  });

  it('lists the m-subsets in lexicographic order', () => {
    expect([...enumerateTrainingSets(4, 2)]).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 2],
      [1, 3],
      [2, 3],
    ]);
    expect([...enumerateTrainingSets(3, 0)]).toEqual([[]]);
    expect([...enumerateTrainingSets(3, 3)]).toEqual([[0, 1, 2]]);
    expect([...enumerateTrainingSets(7, 3)].length).toBe(35);
  });

  it('rejects a training size larger than |X|', () => {
    expect(() => enumerateTrainingSets(3, 4)).toThrow(/enumerateTrainingSets: 'trainSize' must be an integer >= 0 and <= 3, got 4/);
    expect(() => countTrainingSets(3, -1)).toThrow(/countTrainingSets: 'trainSize'/);
  });
});

describe('task helpers', () => {
  it('counts label changes along the line', () => {
    expect(countLabelChanges([0, 0, 1, 1, 0])).toBe(2);
    expect(countLabelChanges([2, 2, 2])).toBe(0);
    expect(countLabelChanges([])).toBe(0);
    expect(countLabelChanges([0, 1, 2, 1])).toBe(3);
  });

  it('checks a label vector against |Y|', () => {
    expect(checkTask('task', [0, 2, 1], 3, 'T')).toEqual([0, 2, 1]);
    expect(() => checkTask('task', [0, 3], 3, 'T')).toThrow(/T: 'task' must hold labels that are integers in \[0, 2\], got 3 at index 1/);
    expect(() => checkTask('task', 'abc', 3, 'T')).toThrow(/T: 'task' must be an array/);
  });
});
