/**
 * Points follow difficulty, and the hidden cases of the chapter functions that compose others
 * (one generation of aging evolution, one BO step) are well posed: the reference solution gives
 * them a real answer, not `undefined` or -1.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import { chapterCases } from '../../src/grading/cases';
import * as evolution from '../../solutions/03-evolution';
import * as banditsBo from '../../solutions/04-bandits-bo';

describe.each(['01', '03', '04', '05', '06', '07'])('chapter %s points', (chapter) => {
  const c = chapterCases(chapter);
  const all = [...c.publicCases, ...c.hiddenInputs(createRng('weights'))];

  it('gives each function one weight, public and hidden alike', () => {
    for (const fn of c.functions) expect(new Set(all.filter((k) => k.fn === fn).map((k) => k.points)).size, fn).toBe(1);
  });

  it('weights functions by difficulty (not every case the same)', () => {
    expect(new Set(all.map((k) => k.points)).size).toBeGreaterThan(1);
  });
});

describe('hidden cases of the composed functions', () => {
  const seeds = ['a', 'b', 'c', 'd', 'e'];

  it('agingGeneration: the child is a scored one-gene mutant of a contestant, and the size is capped', () => {
    for (const seed of seeds) {
      for (const k of chapterCases('03').hiddenInputs(createRng(seed)).filter((x) => x.fn === 'agingGeneration')) {
        const [population, contestants, , , , capacity] = k.args as [evolution.Member[], number[], number, number, Record<string, number>, number];
        const next = (evolution.agingGeneration as (...a: unknown[]) => evolution.Member[])(...k.args);
        const child = next[next.length - 1];
        expect(typeof child.score).toBe('number');
        expect(next.length).toBe(Math.min(population.length + 1, capacity));
        const differs = (m: evolution.Member) => m.genes.filter((g, i) => g !== child.genes[i]).length;
        expect(contestants.some((i) => differs(population[i]) === 1)).toBe(true);
      }
    }
  });

  it('boStep: picks an unevaluated candidate', () => {
    for (const seed of seeds) {
      for (const k of chapterCases('04').hiddenInputs(createRng(seed)).filter((x) => x.fn === 'boStep')) {
        const [X, , candidates] = k.args as [number[][], number[], number[][]];
        const i = (banditsBo.boStep as (...a: unknown[]) => number)(...k.args);
        expect(i).toBeGreaterThanOrEqual(0);
        expect(X.map((x) => x.join())).not.toContain(candidates[i].join());
      }
    }
  });
});

describe('chapter 01 takes a learner of the student\'s own', () => {
  it('scores a learner object exactly as the library does (the left-neighbour rule of the notebook)', async () => {
    const nfl = await import('../../solutions/01-no-free-lunch');
    const { exactOts, enumerateTasks } = await import('../../src/nfl');
    const leftNeighbour = {
      name: 'left neighbour',
      learn(train: { inputs: number[]; labels: number[] }, shape: { xSize: number }) {
        return Array.from({ length: shape.xSize }, (_, x) => {
          const left = train.inputs.map((s, i) => [s, train.labels[i]]).filter(([s]) => s <= x).sort((a, b) => a[0] - b[0]);
          return left.length > 0 ? left[left.length - 1][1] : (train.labels[train.inputs.indexOf(Math.min(...train.inputs))] ?? 0);
        });
      },
    };
    const tasks = [...enumerateTasks(4, 3)];
    const mine = nfl.familyOtsCounts(leftNeighbour, tasks, 3, 2);
    const library = exactOts(leftNeighbour, { xSize: 4, ySize: 3, trainSize: 2 });
    expect([BigInt(mine.correct), BigInt(mine.total)]).toEqual([library.correct, library.total]);
    expect(mine.correct * 3).toBe(mine.total); // and No Free Lunch holds for it too
  });
});
