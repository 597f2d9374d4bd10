import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../../src/core/rng';
import { init } from '../../../src/tensor/backend';
import { DEFAULT_DIGITS_PROTOCOL } from '../../../src/benchmarks/digits/protocol';
import { digitsBenchData } from '../../../src/benchmarks/digits/cell';
import { loadBench, type DigitsBench } from '../../../src/benchmarks/digits/table';
import { parseNb201Cell } from '../../../src/spaces/nb201';
import type { PreparedData } from '../../../src/tensor/data';
import { SposSupernet } from '../../../src/estimation/supernet/spos';
import { supernetMain } from '../../../src/estimation/supernet/cli';
import { loadSposRun, runSpos, sposCellSample, sposRunHeader, type SposRun } from '../../../src/estimation/supernet/run';
import { completeSposSeeds, convolutionCount, inheritedByConvolutions, sposRankStats, sposSearchBest, sposSearchComparison, tableRank } from '../../../src/estimation/supernet/analysis';

const CELL = parseNb201Cell('|conv3x3~0|+|skip~0|conv1x1~1|+|none~0|skip~1|avgpool3x3~2|');
let data: PreparedData;
let bench: DigitsBench;

beforeAll(async () => {
  await init({ prefer: 'wasm', quiet: true });
  data = digitsBenchData(DEFAULT_DIGITS_PROTOCOL);
  bench = loadBench();
}, 60_000);

describe('SposSupernet', () => {
  it('trains one uniformly drawn path per batch; same seed, same inherited accuracies; recalibration changes them', async () => {
    const run = async (seed: string) => {
      const spos = new SposSupernet(data, { rng: createRng(seed) });
      try {
        const losses = await spos.trainEpochs(2);
        return { losses, steps: spos.steps, moving: await spos.inheritedAccuracy(CELL), recal: await spos.inheritedAccuracy(CELL, { recalibrate: true }) };
      } finally {
        spos.dispose();
      }
    };
    const a = await run('a');
    expect(a.steps).toBe(2 * Math.ceil(data.train.size / 64));
    expect(a.losses[1]).toBeLessThan(a.losses[0]);
    expect(await run('a')).toEqual(a);
    expect(a.recal).not.toBe(a.moving);
    expect(a.recal).toBeGreaterThan(0.1); // better than chance after two epochs
  }, 120_000);

  it('is a one-shot strategy: a step on batches.train, uniform architecture weights, a cell derived by search', async () => {
    const spos = new SposSupernet(data, { rng: createRng('oneshot') });
    try {
      const x = tf.tensor4d(data.train.x.slice(0, 64 * 64), [64, 8, 8, 1]);
      const y = tf.oneHot(tf.tensor1d(data.train.y.slice(0, 64), 'int32'), 10).toFloat();
      const record = spos.step({ train: { x, y } });
      tf.dispose([x, y]);
      expect(record.trainLoss).toBeGreaterThan(0);
      expect(record.path.edges).toHaveLength(6);
      expect(spos.steps).toBe(1);
      const w = spos.architectureWeights();
      expect(Object.keys(w)).toHaveLength(6);
      for (const e of Object.values(w)) expect(e.weights).toEqual([0.2, 0.2, 0.2, 0.2, 0.2]);
      const a = await spos.search({ rng: createRng(1), trials: 6 });
      expect(a.map((t) => t.score)).toEqual((await spos.search({ rng: createRng(1), trials: 6 })).map((t) => t.score));
      const derived = await spos.derive();
      expect(derived.kind).toBe('cell');
      expect(derived.edges).toHaveLength(6);
      expect(() => spos.step({} as never)).toThrow("SposSupernet.step: 'batches.train' must be { x: tf.Tensor, y: tf.Tensor (one-hot) }");
      await expect(spos.search({ rng: createRng(1), trials: 0 })).rejects.toThrow("SposSupernet.search: 'opts.trials' must be an integer >= 1, got 0");
    } finally {
      spos.dispose();
    }
  }, 180_000);

  it('names what is wrong', async () => {
    expect(() => new SposSupernet(data, { rng: 3 } as never)).toThrow("SposSupernet: 'opts.rng' must be an Rng");
    expect(() => new SposSupernet(data, { rng: createRng(0), learningRate: 0 })).toThrow("SposSupernet: 'opts.learningRate' must be a number > 0, got 0");
    expect(() => new SposSupernet({} as never, { rng: createRng(0) })).toThrow("SposSupernet: 'data' must be prepared data");
    const spos = new SposSupernet(data, { rng: createRng(0) });
    try {
      await expect(spos.trainEpochs(-1)).rejects.toThrow("SposSupernet.trainEpochs: 'epochs' must be an integer >= 0, got -1");
      // A sub-network with an operation the supernet lacks.
      await expect(spos.inheritedAccuracy({ kind: 'nb201', ops: ['maxpool', 'skip', 'skip', 'skip', 'skip', 'skip'] } as never)).rejects.toThrow("SposSupernet.inheritedAccuracy: 'cell.ops[0]' must be one of");
    } finally {
      spos.dispose();
    }
  }, 60_000);
});

describe('the SPOS run', () => {
  it('samples the table\'s best and worst cell first, then a seeded sample', () => {
    const cells = sposCellSample(bench, 12, 'x');
    const acc = bench.cells().map((c) => bench.query(c));
    expect(bench.query(cells[0])).toBe(Math.max(...acc));
    expect(bench.query(cells[1])).toBe(Math.min(...acc));
    expect(new Set(cells).size).toBe(12);
    expect(sposCellSample(bench, 12, 'x')).toEqual(cells);
    expect(sposCellSample(bench, 12, 'y')).not.toEqual(cells);
    expect(() => sposCellSample(bench, 1, 'x')).toThrow("sposCellSample: 'size' must be an integer >= 2");
  });

  it('the command names a bad flag', async () => {
    await expect(supernetMain(['--seeds', '2'])).rejects.toThrow('supernet: --out is required');
    await expect(supernetMain(['--out', 'x.jsonl', '--seeds', '0'])).rejects.toThrow("supernet: '--seeds' must be an integer >= 1, got 0");
    await expect(supernetMain(['--out', 'x.jsonl', '--budgets', '0,4,2'])).rejects.toThrow("sposRunHeader: 'opts.budgets[2]' must be an integer >= 5, got 2");
    await expect(supernetMain(['--out', 'x.jsonl', '--shard', '3/2'])).rejects.toThrow('--shard');
  });

  it('writes a budget record per (seed, budget) and a search per run, and resumes a killed run to the same numbers', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spos-'));
    const header = sposRunHeader(bench, 'wasm', { budgets: [0, 1], cells: 6, searchRuns: 1, searchTrials: 4 });
    const full = path.join(dir, 'full.jsonl');
    expect(await runSpos({ header, out: full, seeds: 1, shard: { index: 1, count: 1 } })).toEqual({ ran: 3, before: 0 });
    const cut = path.join(dir, 'cut.jsonl');
    const lines = fs.readFileSync(full, 'utf8').split('\n');
    fs.writeFileSync(cut, lines.slice(0, 2).join('\n') + '\n' + lines[2].slice(0, 20)); // killed while writing E = 1
    expect(await runSpos({ header, out: cut, seeds: 1, shard: { index: 1, count: 1 } })).toEqual({ ran: 2, before: 1 });
    const strip = (r: SposRun) => ({ b: r.budgets.map((b) => [b.epochs, b.moving, b.recalibrated, b.trainLoss]), s: r.searches.map((s) => s.trials) });
    const a = loadSposRun([full]);
    expect(strip(loadSposRun([cut]))).toEqual(strip(a));
    expect(a.budgets.map((b) => b.epochs)).toEqual([0, 1]);
    expect(a.budgets[1].recalibrated).toHaveLength(6);
    expect(a.searches[0].trials).toHaveLength(4);
    expect(sposSearchBest(a.searches[0].trials).score).toBe(Math.max(...a.searches[0].trials.map((t) => t.score)));
    // Another header is refused rather than mixed in.
    await expect(runSpos({ header: { ...header, budgets: [0, 2] }, out: full, seeds: 1, shard: { index: 1, count: 1 } })).rejects.toThrow('computed under another header');
  }, 120_000);
});

describe('ranking statistics of a run', () => {
  const fake = (preds: (s: number[]) => number[][]): SposRun => {
    const header = sposRunHeader(bench, 'wasm', { budgets: [0, 3], cells: 40, searchRuns: 0 });
    const s = header.cells.map((c) => bench.query(c));
    const budgets = [0, 3].flatMap((epochs, k) =>
      preds(s).map((p, seed) => ({ kind: 'budget' as const, seed, epochs, trainLoss: [], moving: k === 0 ? s.map(() => 0.1) : p, recalibrated: p, trainSeconds: 2 * epochs, evalSeconds: { moving: 1, recalibrated: 3 } })),
    );
    return { header, budgets, searches: [] };
  };

  it('a supernet that ranks like the table scores 1 with a degenerate interval; an untrained one that ties every cell scores 0', () => {
    const run = fake((s) => [s, s, s]);
    const stats = sposRankStats(run, bench, { mode: 'moving', rng: createRng(0), resamples: 50 });
    expect(stats.map((b) => b.epochs)).toEqual([0, 3]);
    expect(stats[0].stats.spearman).toMatchObject({ estimate: 0, lower: 0, upper: 0 });
    expect(stats[1].stats.spearman).toMatchObject({ estimate: 1, lower: 1, upper: 1 });
    expect(stats[1].stats.kendall.estimate).toBeCloseTo(1, 12);
    expect(stats[1].stats.top10.estimate).toBe(1);
    // Training so far plus the median evaluation time.
    expect(stats[1].supernetSeconds).toBe(7);
    expect(sposRankStats(run, bench, { mode: 'recalibrated', rng: createRng(0), resamples: 50 })[0].supernetSeconds).toBe(3);
    run.budgets[0].evalSeconds.moving = 100; // one slow evaluation (a loaded machine) moves the median of six, not the cost
    expect(sposRankStats(run, bench, { mode: 'moving', rng: createRng(0), resamples: 50 })[1].supernetSeconds).toBe(7);
  });

  it('an interval that covers the seeds\' spread: reversed on one seed of three, the mean is 1/3 and the interval reaches both signs', () => {
    const run = fake((s) => [s, s, s.map((x) => -x)]);
    const sp = sposRankStats(run, bench, { mode: 'recalibrated', rng: createRng(1), resamples: 200 })[1].stats.spearman;
    expect(sp.estimate).toBeCloseTo(1 / 3, 12);
    expect(sp.perSeed.map((x) => Math.round(x))).toEqual([1, 1, -1]);
    expect(sp.lower).toBeLessThan(0);
    expect(sp.upper).toBe(1);
  });

  it('leaves out a seed that did not reach every budget; groups by number of convolutions', () => {
    const run = fake((s) => [s, s]);
    run.budgets = run.budgets.filter((b) => !(b.seed === 1 && b.epochs === 3));
    expect(completeSposSeeds(run)).toEqual([0]);
    expect(convolutionCount('|conv3x3~0|+|skip~0|conv1x1~1|+|none~0|skip~1|avgpool3x3~2|')).toBe(2);
    const groups = inheritedByConvolutions(run, bench, { epochs: 3, mode: 'recalibrated' });
    expect(groups.reduce((a, g) => a + g.cells, 0)).toBe(40);
    for (const g of groups) expect(g.inherited).toBeCloseTo(g.standAlone, 12);
    expect(() => inheritedByConvolutions(run, bench, { epochs: 5, mode: 'moving' })).toThrow("inheritedByConvolutions: 'opts.epochs' must be one of 0, 3, got 5");
    expect(() => sposRankStats(run, bench, { mode: 'bn' as never, rng: createRng(0) })).toThrow("sposRankStats: 'opts.mode' must be one of");
  });

  it('ranks found cells in the table, and runs the same search on table queries for comparison', () => {
    const rank = tableRank(bench);
    const acc = bench.cells().map((c) => bench.query(c));
    const header = sposRunHeader(bench, 'wasm', { budgets: [0], cells: 4, searchRuns: 1, searchTrials: 30 });
    expect(rank(header.cells[0])).toEqual({ rank: 1, of: 4930, accuracy: Math.max(...acc) });
    expect(rank(header.cells[1]).rank).toBe(acc.filter((a) => a > Math.min(...acc)).length + 1);
    const trials = [{ cell: header.cells[2], score: 0.3 }, { cell: header.cells[0], score: 0.5 }, { cell: header.cells[1], score: 0.5 }];
    const run: SposRun = {
      header,
      budgets: [{ kind: 'budget', seed: 0, epochs: 0, trainLoss: [], moving: [0, 0, 0, 0], recalibrated: [0, 0, 0, 0], trainSeconds: 0, evalSeconds: { moving: 0, recalibrated: 0 } }],
      searches: [{ kind: 'search', seed: 0, run: 0, epochs: 0, trials, seconds: 1 }],
    };
    const found = sposSearchComparison(run, bench, { tableRuns: 3, rng: createRng(0) });
    expect(found.map((f) => f.source)).toEqual(['supernet', 'table', 'table', 'table']);
    expect(found[0]).toMatchObject({ cell: header.cells[0], score: 0.5, rank: 1 }); // the first of the tied best trials
    for (const f of found.slice(1)) {
      expect(f.score).toBe(f.standAlone); // a table search sees the stand-alone accuracy itself
      expect(f.rank).toBe(rank(f.cell).rank);
    }
    expect(sposSearchComparison(run, bench, { tableRuns: 3, rng: createRng(0) })).toEqual(found);
    expect(() => sposSearchComparison(run, bench, { tableRuns: 0, rng: createRng(0) })).toThrow("sposSearchComparison: 'opts.tableRuns' must be an integer >= 1, got 0");
  });
});
