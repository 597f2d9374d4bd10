import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import { countLabelChanges, enumerateTasks, smoothTasks, taskListFamily, uniformTasks } from '../../src/nfl';

const key = (t: number[]) => t.join('');

describe('uniformTasks', () => {
  it('lists all k^n tasks', () => {
    const f = uniformTasks();
    expect(f.count({ xSize: 4, ySize: 2 })).toBe(16n);
    expect([...f.enumerate({ xSize: 3, ySize: 2 })].length).toBe(8);
  });
  it('samples labels in range, the same for the same seed', () => {
    const f = uniformTasks();
    const a = f.sample({ xSize: 30, ySize: 3 }, createRng(5));
    expect(a).toHaveLength(30);
    expect(a.every((y) => Number.isInteger(y) && y >= 0 && y < 3)).toBe(true);
    expect(f.sample({ xSize: 30, ySize: 3 }, createRng(5))).toEqual(a);
    expect(f.sample({ xSize: 30, ySize: 3 }, createRng(6))).not.toEqual(a);
  });
});

describe('smoothTasks', () => {
  it('lists the tasks with at most c label changes, in the documented order', () => {
    expect([...smoothTasks(1).enumerate({ xSize: 3, ySize: 2 })]).toEqual([
      [0, 0, 0],
      [1, 1, 1],
      [0, 1, 1],
      [1, 0, 0],
      [0, 0, 1],
      [1, 1, 0],
    ]);
  });

  it.each([
    [4, 2, 1, 8n], // 2 constant + 3 positions x 2 label pairs
    [6, 2, 1, 12n],
    [8, 2, 1, 16n],
    [5, 3, 2, 3n + 4n * 3n * 2n + 6n * 3n * 4n], // j=0: 3, j=1: C(4,1)*3*2, j=2: C(4,2)*3*2*2
    [4, 3, 5, 81n], // more changes allowed than there are gaps: every task
    [1, 3, 0, 3n],
  ])('n=%i, k=%i, c=%i: count matches the filtered list of all tasks', (n, k, c, expected) => {
    const family = smoothTasks(c);
    const listed = [...family.enumerate({ xSize: n, ySize: k })].map(key).sort();
    const filtered = [...enumerateTasks(n, k)].filter((t) => countLabelChanges(t) <= c).map(key).sort();
    expect(family.count({ xSize: n, ySize: k })).toBe(expected);
    expect(listed).toEqual(filtered);
    expect(BigInt(listed.length)).toBe(expected);
  });

  it('samples uniformly from the family (frequency check on a small space)', () => {
    const family = smoothTasks(1);
    const shape = { xSize: 4, ySize: 2 };
    const rng = createRng('smooth-uniform');
    const counts = new Map<string, number>();
    const draws = 16000;
    for (let i = 0; i < draws; i++) {
      const t = family.sample(shape, rng);
      expect(countLabelChanges(t)).toBeLessThanOrEqual(1);
      counts.set(key(t), (counts.get(key(t)) ?? 0) + 1);
    }
    expect(counts.size).toBe(8);
    // Each of the 8 tasks expects 2000 draws, standard deviation about 42: allow 5 sd.
    for (const c of counts.values()) expect(Math.abs(c - 2000)).toBeLessThan(210);
  });

  it('samples on a large space with at most c changes, reproducibly', () => {
    const family = smoothTasks(2);
    const shape = { xSize: 30, ySize: 3 };
    const a = Array.from({ length: 50 }, (_, i) => family.sample(shape, createRng(i)));
    for (const t of a) expect(countLabelChanges(t)).toBeLessThanOrEqual(2);
    // Most tasks of this family have exactly 2 changes (weights 3 : 174 : 4872).
    expect(a.filter((t) => countLabelChanges(t) === 2).length).toBeGreaterThan(40);
    expect(family.sample(shape, createRng(3))).toEqual(a[3]);
  });

  it('names a bad maxChanges', () => {
    expect(() => smoothTasks(-1)).toThrow(/smoothTasks: 'maxChanges' must be an integer >= 0, got -1/);
    expect(() => smoothTasks(1).count({ xSize: 3, ySize: 0 })).toThrow(/smoothTasks: 'ySize' must be an integer >= 1, got 0/);
  });
});

describe('taskListFamily', () => {
  it('enumerates and samples the listed tasks', () => {
    const f = taskListFamily([
      [0, 0, 1],
      [0, 1, 1],
    ]);
    const shape = { xSize: 3, ySize: 2 };
    expect(f.count(shape)).toBe(2n);
    expect([...f.enumerate(shape)]).toEqual([
      [0, 0, 1],
      [0, 1, 1],
    ]);
    const rng = createRng(1);
    const seen = new Set(Array.from({ length: 40 }, () => key(f.sample(shape, rng))));
    expect(seen).toEqual(new Set(['001', '011']));
  });
  it('names inconsistent lists and shapes', () => {
    expect(() => taskListFamily([])).toThrow(/taskListFamily: 'tasks' must have at least 1 item/);
    expect(() => taskListFamily([[0, 1], [0]])).toThrow(/'tasks\[1\]' must have length 2, got length 1/);
    const f = taskListFamily([[0, 2]]);
    expect(() => f.count({ xSize: 3, ySize: 3 })).toThrow(/the listed tasks have length 2, but 'xSize' is 3/);
    expect(() => [...f.enumerate({ xSize: 2, ySize: 2 })]).toThrow(/'tasks\[0\]' must hold labels that are integers in \[0, 1\], got 2/);
  });
});
