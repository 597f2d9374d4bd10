import { describe, expect, it } from 'vitest';
import { fraction } from '../../src/core/fraction';
import { createRng } from '../../src/core/rng';
import {
  compareLearnersOts,
  constantLearner,
  exactOts,
  exactOtsRow,
  headToHead,
  Learner,
  lookupLearner,
  makeLearner,
  monteCarloOts,
  otsOnTask,
  smoothTasks,
} from '../../src/nfl';

const cheap = ['constant', 'majority', 'nearest', 'lookup'] as const;

describe('exactOts over all tasks: exactly 1/|Y| for every learner', () => {
  const settings = [
    { xSize: 3, ySize: 2, trainSize: 1 },
    { xSize: 4, ySize: 2, trainSize: 2 },
    { xSize: 4, ySize: 3, trainSize: 1 },
    { xSize: 5, ySize: 3, trainSize: 2 },
    { xSize: 3, ySize: 4, trainSize: 2 },
    { xSize: 6, ySize: 2, trainSize: 0 },
    { xSize: 6, ySize: 2, trainSize: 5 },
  ];
  const learners: Learner[] = [...cheap.map((n) => makeLearner(n)), constantLearner(1), lookupLearner(1)];
  for (const s of settings) {
    it.each(learners.map((l) => [l.name, l] as const))(`%s on |X|=${s.xSize}, |Y|=${s.ySize}, m=${s.trainSize}`, (_n, learner) => {
      const r = exactOts(learner, s);
      expect(r.accuracy.equals(fraction(1, s.ySize))).toBe(true);
      expect(r.correct * BigInt(s.ySize)).toBe(r.total);
      expect(r.taskCount).toBe(s.ySize ** s.xSize);
    });
  }
});

describe('exactOts counts, by hand', () => {
  it('majority on |X|=3, |Y|=2, m=1: 24 of 48, per task a(a-1) + b(b-1)', () => {
    // With one training point majority predicts its label everywhere; for a task with a zeros and
    // b ones, the 3 training points x 2 off-training inputs agree a(a-1) + b(b-1) times.
    const r = exactOts(makeLearner('majority'), { xSize: 3, ySize: 2, trainSize: 1 });
    expect(r.total).toBe(48n);
    expect(r.correct).toBe(24n);
    expect(r.perTask.map((t) => t.task.join(''))).toEqual(['000', '001', '010', '011', '100', '101', '110', '111']);
    expect(r.perTask.map((t) => t.correct)).toEqual([6, 2, 2, 2, 2, 2, 2, 6]);
    expect(r.perTask.every((t) => t.total === 6)).toBe(true);
  });

  it('1-NN on |X|=4, |Y|=2, m=2: 7/12 on 0011, 2/12 on 0101, all 12 on constant tasks', () => {
    const r = exactOts(makeLearner('nearest'), { xSize: 4, ySize: 2, trainSize: 2 });
    const byTask = new Map(r.perTask.map((t) => [t.task.join(''), t.correct]));
    expect(byTask.get('0011')).toBe(7);
    expect(byTask.get('0101')).toBe(2);
    expect(byTask.get('0000')).toBe(12);
    expect(byTask.get('1111')).toBe(12);
    expect(r.total).toBe(192n);
    expect(r.accuracy.toString()).toBe('1/2');
  });

  it('learners win on some tasks and lose on others; the differences cancel', () => {
    const s = { xSize: 4, ySize: 2, trainSize: 2 };
    const nn = exactOts(makeLearner('nearest'), s).perTask;
    const maj = exactOts(makeLearner('majority'), s).perTask;
    const diff = nn.map((t, i) => t.correct - maj[i].correct);
    expect(diff.filter((d) => d > 0).length).toBeGreaterThan(0);
    expect(diff.filter((d) => d < 0).length).toBeGreaterThan(0);
    expect(diff.reduce((a, b) => a + b, 0)).toBe(0);
    // 0011: nearest 7, majority 4 (ties go to label 0); 0101: nearest 2, majority 4.
    expect(diff[3]).toBe(3);
    expect(diff[5]).toBe(-2);
  });

  it('memoising hypotheses gives the same counts as calling the learner for every pair', () => {
    let calls = 0;
    const counting: Learner = { name: 'counting-nn', learn: (t, sh) => (calls++, makeLearner('nearest').learn(t, sh)) };
    const s = { xSize: 4, ySize: 3, trainSize: 2 };
    const memo = exactOts(counting, s);
    const memoCalls = calls;
    calls = 0;
    const plain = exactOts(counting, s, { memoize: false });
    expect(plain.perTask).toEqual(memo.perTask);
    expect(memoCalls).toBe(6 * 9); // one fit per (S, labels on S)
    expect(calls).toBe(81 * 6); // one fit per (task, S)
  });
});

describe('exactOts on the smooth family: the biased learner wins', () => {
  const s = { xSize: 4, ySize: 2, trainSize: 2 };
  it('hand-counted: nearest 68/96, majority 56/96, constant and lookup 1/2', () => {
    const family = smoothTasks(1);
    const nn = exactOts(makeLearner('nearest'), s, { family });
    expect(nn.taskCount).toBe(8);
    expect([nn.correct, nn.total]).toEqual([68n, 96n]);
    expect(nn.accuracy.toString()).toBe('17/24');
    expect(nn.perTask.map((t) => t.correct)).toEqual([12, 12, 7, 7, 7, 7, 8, 8]);
    const maj = exactOts(makeLearner('majority'), s, { family });
    expect([maj.correct, maj.total]).toEqual([56n, 96n]);
    expect(maj.perTask.map((t) => t.correct)).toEqual([12, 12, 3, 9, 4, 4, 9, 3]);
    expect(exactOts(makeLearner('constant'), s, { family }).accuracy.toString()).toBe('1/2');
    expect(exactOts(makeLearner('lookup'), s, { family }).accuracy.toString()).toBe('1/2');
    expect(nn.family).toBe('smooth(<=1 changes)');
  });

  it('on a larger line the gap grows: |X|=8, m=3, at most one change', () => {
    const family = smoothTasks(1);
    const s8 = { xSize: 8, ySize: 2, trainSize: 3 };
    expect(exactOts(makeLearner('nearest'), s8, { family }).accuracy.toString()).toBe('227/280');
    expect(exactOts(makeLearner('majority'), s8, { family }).accuracy.toString()).toBe('53/80');
    // ... and the same learner on all 256 tasks of that line is back to 1/2.
    expect(exactOts(makeLearner('nearest'), s8).accuracy.toString()).toBe('1/2');
  });
});

describe('otsOnTask', () => {
  it('counts one task by hand', () => {
    expect(otsOnTask(makeLearner('majority'), [0, 0, 1], 2, 1)).toEqual({ task: [0, 0, 1], correct: 2, total: 6, accuracy: 2 / 6 });
    expect(otsOnTask(makeLearner('nearest'), [0, 0, 1], 2, 2)).toMatchObject({ correct: 2, total: 3 });
    // lookup answers 0 off the training set: right at x* = 0 and 3, each left out by 3 of the 6 sets.
    expect(otsOnTask(makeLearner('lookup'), [0, 1, 1, 0], 2, 2)).toMatchObject({ correct: 6, total: 12 });
  });
  it('names bad arguments', () => {
    const nn = makeLearner('nearest');
    expect(() => otsOnTask(nn, [0, 2], 2, 1)).toThrow(/otsOnTask: 'task' must hold labels that are integers in \[0, 1\], got 2 at index 1/);
    expect(() => otsOnTask(nn, [0, 1], 2, 2)).toThrow(/otsOnTask: 'trainSize' must be an integer >= 0 and <= 1, got 2/);
    expect(() => otsOnTask(nn, [0, 1], 0, 1)).toThrow(/otsOnTask: 'ySize' must be an integer >= 1, got 0/);
  });
});

describe('exactOts validation', () => {
  const nn = makeLearner('nearest');
  it('names the bad setting field', () => {
    expect(() => exactOts(nn, { xSize: -1, ySize: 2, trainSize: 0 })).toThrow(/exactOts: 'xSize' must be an integer >= 0, got -1/);
    expect(() => exactOts(nn, { xSize: 3, ySize: 0, trainSize: 1 })).toThrow(/exactOts: 'ySize' must be an integer >= 1, got 0/);
    expect(() => exactOts(nn, { xSize: 3, ySize: 2, trainSize: 4 })).toThrow(/exactOts: 'trainSize' must be an integer >= 0 and <= 2, got 4/);
    // m = |X| leaves no input off the training set.
    expect(() => exactOts(nn, { xSize: 3, ySize: 2, trainSize: 3 })).toThrow(/'trainSize' must be an integer >= 0 and <= 2, got 3/);
    expect(() => exactOts(nn, { xSize: 0, ySize: 2, trainSize: 0 })).toThrow(/'xSize' must be an integer >= 1, got 0/);
    expect(() => exactOts(nn, null as never)).toThrow(/exactOts: 'setting' must be an object/);
  });
  it('rejects a non-learner and a learner that returns a malformed hypothesis', () => {
    expect(() => exactOts({} as never, { xSize: 3, ySize: 2, trainSize: 1 })).toThrow(/exactOts: 'learner' must be a Learner/);
    const short: Learner = { name: 'short', learn: () => [0] };
    expect(() => exactOts(short, { xSize: 3, ySize: 2, trainSize: 1 })).toThrow(/'hypothesis of short' must have length 3, got length 1/);
    const wild: Learner = { name: 'wild', learn: (_t, sh) => new Array(sh.xSize).fill(5) };
    expect(() => exactOts(wild, { xSize: 3, ySize: 2, trainSize: 1 })).toThrow(/'hypothesis of wild' must hold labels that are integers in \[0, 1\], got 5/);
  });
  it('refuses enumerations that are too large and points to Monte Carlo', () => {
    expect(() => exactOts(nn, { xSize: 30, ySize: 3, trainSize: 10 })).toThrow(/more than 50000000 pairs to enumerate; use monteCarloOts/);
  });
});

describe('monteCarloOts', () => {
  const big = { xSize: 30, ySize: 3, trainSize: 10 };

  it('is repeated exactly by its seed and changes with it', () => {
    const nn = makeLearner('nearest');
    const a = monteCarloOts(nn, big, { trials: 300, rng: createRng(11) });
    const b = monteCarloOts(nn, big, { trials: 300, rng: createRng(11) });
    const c = monteCarloOts(nn, big, { trials: 300, rng: createRng(12) });
    expect(b).toEqual(a);
    expect(c.successes).not.toBe(a.successes);
  });

  it.each(cheap)('%s: the 95%% interval on uniform tasks over |X|=30, |Y|=3 contains 1/3', (name) => {
    const r = monteCarloOts(makeLearner(name), big, { trials: 4000, rng: createRng(`uniform-${name}`) });
    expect(r.trials).toBe(4000);
    expect(r.lower).toBeLessThan(1 / 3);
    expect(r.upper).toBeGreaterThan(1 / 3);
    expect(r.upper - r.lower).toBeLessThan(0.06);
  });

  it('agrees with the exact value on a small smooth family', () => {
    const r = monteCarloOts(makeLearner('nearest'), { xSize: 4, ySize: 2, trainSize: 2 }, { trials: 20000, rng: createRng(3), family: smoothTasks(1) });
    expect(r.lower).toBeLessThan(17 / 24);
    expect(r.upper).toBeGreaterThan(17 / 24);
  });

  it('names bad options', () => {
    const nn = makeLearner('nearest');
    expect(() => monteCarloOts(nn, big, { trials: 0, rng: createRng(1) })).toThrow(/monteCarloOts: 'trials' must be an integer >= 1, got 0/);
    expect(() => monteCarloOts(nn, big, { trials: 10, rng: undefined as never })).toThrow(/monteCarloOts: 'rng' must be an Rng/);
    expect(() => monteCarloOts(nn, big, { trials: 10, rng: createRng(1), level: 2 })).toThrow(/monteCarloOts: 'level' must be a number > 0 and < 1, got 2/);
    expect(() => monteCarloOts(nn, { ...big, trainSize: 31 }, { trials: 10, rng: createRng(1) })).toThrow(/'trainSize' must be an integer >= 0 and <= 29, got 31/);
  });
});

describe('compareLearnersOts', () => {
  const big = { xSize: 30, ySize: 3, trainSize: 10 };
  it('pools seeds: per-seed runs equal monteCarloOts on createRng(seed)', () => {
    const [r] = compareLearnersOts([makeLearner('majority')], big, { trials: 200, seeds: [4, 5, 6] });
    expect(r.seeds).toEqual([4, 5, 6]);
    const single = [4, 5, 6].map((seed) => monteCarloOts(makeLearner('majority'), big, { trials: 200, rng: createRng(seed) }));
    expect(r.perSeed).toEqual(single.map((x) => x.estimate));
    expect(r.successes).toBe(single.reduce((a, x) => a + x.successes, 0));
    expect(r.trials).toBe(600);
    expect(r.seedMean).toBeCloseTo(r.estimate, 12);
    expect(r.seedLower).toBeLessThan(r.seedMean);
    expect(r.seedUpper).toBeGreaterThan(r.seedMean);
  });

  it('on smooth tasks (<= 2 changes) 1-NN beats majority, constant and lookup, intervals apart', () => {
    const rows = compareLearnersOts(cheap.map((n) => makeLearner(n)), big, { trials: 500, seeds: [0, 1, 2, 3, 4], family: smoothTasks(2) });
    const by = new Map(rows.map((r) => [r.learner, r]));
    const nn = by.get('nearest')!;
    for (const other of ['constant(0)', 'majority', 'lookup']) {
      expect(nn.lower).toBeGreaterThan(by.get(other)!.upper);
      expect(nn.seedLower).toBeGreaterThan(by.get(other)!.seedUpper);
    }
    expect(nn.estimate).toBeGreaterThan(0.8);
    // Off the training set lookup answers 0, like constant(0), and sees the same draws per seed.
    expect(by.get('lookup')!.perSeed).toEqual(by.get('constant(0)')!.perSeed);
  });

  it('needs two seeds for an interval over seeds', () => {
    expect(() => compareLearnersOts([makeLearner('nearest')], big, { trials: 10, seeds: [1] })).toThrow(
      /compareLearnersOts: 'seeds' must have at least 2 items, got length 1/,
    );
    expect(() => compareLearnersOts([], big, { trials: 10, seeds: [1, 2] })).toThrow(/'learners' must have at least 1 item/);
  });
});

describe('exactOtsRow and headToHead', () => {
  const s = { xSize: 4, ySize: 2, trainSize: 2 };
  it('turns a result into a JSON-safe row', () => {
    const row = exactOtsRow(exactOts(makeLearner('nearest'), s));
    expect(row).toEqual({ learner: 'nearest', family: 'uniform', tasks: 16, correct: 96, total: 192, accuracy: '1/2', decimal: 0.5 });
    expect(JSON.parse(JSON.stringify(row))).toEqual(row);
  });
  it('counts wins, losses and ties task by task (hand-checked from the per-task lists)', () => {
    // nearest: 12 8 5 7 4 2 3 7 7 3 2 4 7 5 8 12; majority: 12 9 9 4 9 4 4 3 9 4 4 3 4 3 3 12
    const h = headToHead(exactOts(makeLearner('nearest'), s), exactOts(makeLearner('majority'), s));
    expect(h).toEqual({ learners: ['nearest', 'majority'], wins: 6, losses: 8, ties: 2, netCorrect: 0 });
  });
  it('refuses results over different tasks', () => {
    const a = exactOts(makeLearner('nearest'), s);
    const b = exactOts(makeLearner('nearest'), s, { family: smoothTasks(1) });
    expect(() => headToHead(a, b)).toThrow(/headToHead: 'a' and 'b' must cover the same tasks/);
  });
});
