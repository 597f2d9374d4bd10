/**
 * The precomputed SPOS experiment of chapter 07: supernets trained by uniform single-path sampling
 * (spos.ts) on the NAS-Bench-Digits data and network, one per seed, each checkpointed at budgets
 * E = 0, 1, 2, 4, ... epochs. At every budget a fixed sample of cells (the table's best and worst
 * cell among them) is scored with inherited weights, with the supernet's moving batch-norm
 * statistics and with statistics recalibrated per cell; after the last budget, regularized
 * evolution searches the space with the supernet as its evaluator.
 *
 * Results go to a resumable JSON-lines file (core/jsonlStore): a header that fixes every setting,
 * then one record per (seed, budget) and per (seed, search). Training is deterministic given the
 * seed, so a run killed mid-seed resumes by retraining that seed's supernet to its last recorded
 * budget (without evaluating again) and going on from there. `--shard i/n` splits the seeds.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkArray, checkInt, checkString, describe } from '../../core/checks';
import { openJsonlStore, readJsonl } from '../../core/jsonlStore';
import { createRng } from '../../core/rng';
import { inShard, type ShardSpec } from '../../core/shard';
import { digitsBenchData } from '../../benchmarks/digits/cell';
import { DEFAULT_DIGITS_PROTOCOL, digitsBenchEngine, type DigitsBenchEngine } from '../../benchmarks/digits/protocol';
import type { DigitsBench } from '../../benchmarks/digits/table';
import { formatNb201Cell, parseNb201Cell, type Nb201Cell } from '../../spaces/nb201';
import { kernelPackEnabled } from '../../tensor/pack';
import { SposSupernet, SPOS_DIGITS_NETWORK } from './spos';

/** Everything that fixes a SPOS run's numbers (timings aside). Plain JSON. */
export interface SposRunHeader {
  format: 'nasbook-spos-run';
  version: 1;
  /** The NAS-Bench-Digits data split and network the supernets train on. */
  data: { splitSeed: string; fractions: { train: number; validation: number; test: number } };
  network: { channels: number; cellsPerStage: number; stages: number };
  training: { optimizer: 'adam'; learningRate: number; schedule: 'constant'; batchSize: number };
  /** Budgets E (epochs, increasing) after which the cells are evaluated. */
  budgets: number[];
  /** Training batches batch norm is recalibrated on. */
  recalibrationBatches: number;
  /** The evaluated cells (canonical NAS-Bench-201 strings): the table's best, its worst, then a seeded sample. */
  cells: string[];
  /** How the cells were chosen. */
  cellSample: { size: number; seed: string };
  /** Regularized evolution over recalibrated inherited accuracy, after the last budget. */
  search: { runs: number; trials: number; population: number; sample: number; evaluator: 'recalibrated' };
  /** Prefix of every supernet seed: seed k is `${seedPrefix}${k}`. */
  seedPrefix: string;
  engine: DigitsBenchEngine;
}

/** The cells' inherited-weight accuracies after one budget of one supernet. */
export interface SposBudgetRecord {
  kind: 'budget';
  seed: number;
  epochs: number;
  /** Mean training loss of every epoch trained since the previous budget. */
  trainLoss: number[];
  /** Validation accuracy per cell (the header's order) with the supernet's moving batch-norm statistics. */
  moving: number[];
  /** The same with batch-norm statistics recalibrated per cell. */
  recalibrated: number[];
  /** Wall time (s) of all training up to this budget, and of this budget's two evaluations (not reproducible). */
  trainSeconds: number;
  evalSeconds: { moving: number; recalibrated: number };
}

/** One regularized-evolution search with a trained supernet as the evaluator. */
export interface SposSearchRecord {
  kind: 'search';
  seed: number;
  run: number;
  /** The supernet's budget (the last). */
  epochs: number;
  /** Every trial in order: the cell (canonical string) and its recalibrated inherited accuracy. */
  trials: { cell: string; score: number }[];
  seconds: number;
}

export type SposRecord = SposBudgetRecord | SposSearchRecord;

/** The key of a record in the results file. */
export function sposRecordKey(r: SposRecord): string {
  return r.kind === 'budget' ? `seed ${r.seed}/E ${r.epochs}` : `seed ${r.seed}/search ${r.run}`;
}

/**
 * The evaluated cells: the table's best and worst cell by final validation accuracy (first in table
 * order on a tie), then `size − 2` others drawn by a seeded shuffle of the rest.
 * @param bench the NAS-Bench-Digits table
 * @param size number of cells (>= 2, at most the table's size)
 * @param seed seeds the shuffle
 * @throws RangeError if size is out of range
 * @example sposCellSample(loadBench(), 300, 'spos/cells').length // 300
 */
export function sposCellSample(bench: DigitsBench, size: number, seed: string): string[] {
  const cells = bench.cells();
  checkInt('size', size, { min: 2, max: cells.length }, 'sposCellSample');
  const acc = cells.map((c) => bench.query(c));
  let best = 0;
  let worst = 0;
  acc.forEach((a, i) => {
    if (a > acc[best]) best = i;
    if (a < acc[worst]) worst = i;
  });
  const rest = createRng(seed).shuffle(cells.filter((_, i) => i !== best && i !== worst));
  return [cells[best], cells[worst], ...rest.slice(0, size - 2)];
}

/**
 * The header of the shipped run: NAS-Bench-Digits' split and network, Adam at 0.01 constant,
 * budgets up to 128 epochs, 300 cells, 3 searches of 100 trials per supernet.
 * @param bench the table the cells are drawn from
 * @param backend the active tfjs backend (recorded)
 * @param opts overrides for smaller runs (tests): budgets, cells, search trials/runs
 */
export function sposRunHeader(
  bench: DigitsBench,
  backend: string,
  opts: { budgets?: number[]; cells?: number; searchRuns?: number; searchTrials?: number } = {},
): SposRunHeader {
  const caller = 'sposRunHeader';
  const budgets = checkArray<number>('opts.budgets', opts.budgets ?? [0, 1, 2, 4, 8, 16, 32, 64, 128], { minLength: 1 }, caller);
  budgets.forEach((e, i) => {
    checkInt(`opts.budgets[${i}]`, e, { min: i === 0 ? 0 : budgets[i - 1] + 1 }, caller);
  });
  const size = checkInt('opts.cells', opts.cells ?? 300, { min: 2 }, caller);
  const p = DEFAULT_DIGITS_PROTOCOL;
  return {
    format: 'nasbook-spos-run',
    version: 1,
    data: { splitSeed: p.data.splitSeed, fractions: { ...p.data.fractions } },
    network: { ...SPOS_DIGITS_NETWORK },
    training: { optimizer: 'adam', learningRate: 0.01, schedule: 'constant', batchSize: p.training.batchSize },
    budgets: budgets.slice(),
    recalibrationBatches: 4,
    cells: sposCellSample(bench, size, 'spos/cells'),
    cellSample: { size, seed: 'spos/cells' },
    search: {
      runs: checkInt('opts.searchRuns', opts.searchRuns ?? 3, { min: 0 }, caller),
      trials: checkInt('opts.searchTrials', opts.searchTrials ?? 100, { min: 1 }, caller),
      population: 20,
      sample: 5,
      evaluator: 'recalibrated',
    },
    seedPrefix: 'spos/seed',
    // The kernels this process trains with (the pack, when on, sums in another order).
    engine: { ...digitsBenchEngine(backend), kernels: kernelPackEnabled() ? 'pack' : 'composed' },
  };
}

/** Options of runSpos. */
export interface RunSposOptions {
  header: SposRunHeader;
  out: string;
  /** Supernet seeds 0 .. seeds − 1 (this shard takes its share). */
  seeds: number;
  shard: ShardSpec;
  /** Called after every record written. */
  progress?: (record: SposRecord) => void;
}

/**
 * Runs (or resumes) the SPOS experiment of a header into a results file.
 * @returns records written now and found from before
 * @throws Error if `out` holds another header (see openJsonlStore)
 */
export async function runSpos(opts: RunSposOptions): Promise<{ ran: number; before: number }> {
  const { header } = opts;
  const seeds = checkInt('seeds', opts.seeds, { min: 1 }, 'runSpos');
  const store = openJsonlStore<SposRunHeader, SposRecord>(opts.out, header, sposRecordKey);
  const before = store.records.length;
  const data = digitsBenchData({ ...DEFAULT_DIGITS_PROTOCOL, data: header.data });
  const cells = header.cells.map(parseNb201Cell);
  let ran = 0;
  const write = (r: SposRecord) => {
    store.append(r);
    ran++;
    opts.progress?.(r);
  };
  for (let seed = 0; seed < seeds; seed++) {
    if (!inShard(seed, opts.shard)) continue;
    const budgetKeys = header.budgets.map((epochs) => sposRecordKey({ kind: 'budget', seed, epochs } as SposBudgetRecord));
    const searchKeys = Array.from({ length: header.search.runs }, (_, run) => sposRecordKey({ kind: 'search', seed, run } as SposSearchRecord));
    if ([...budgetKeys, ...searchKeys].every((k) => store.has(k))) continue;
    const spos = new SposSupernet(data, {
      rng: createRng(`${header.seedPrefix}${seed}`),
      network: header.network,
      learningRate: header.training.learningRate,
      batchSize: header.training.batchSize,
      recalibrationBatches: header.recalibrationBatches,
    });
    try {
      for (const [i, epochs] of header.budgets.entries()) {
        const trainLoss = await spos.trainEpochs(epochs - spos.epochs);
        if (store.has(budgetKeys[i])) continue;
        write(await evaluateBudget(spos, cells, seed, trainLoss));
      }
      for (const [run, key] of searchKeys.entries()) {
        if (!store.has(key)) write(await sposSearch(spos, header, seed, run));
      }
    } finally {
      spos.dispose();
    }
  }
  return { ran, before };
}

async function evaluateBudget(spos: SposSupernet, cells: Nb201Cell[], seed: number, trainLoss: number[]): Promise<SposBudgetRecord> {
  const timed = async (recalibrate: boolean) => {
    const t0 = performance.now();
    const acc: number[] = [];
    for (const c of cells) acc.push(Number((await spos.inheritedAccuracy(c, { recalibrate })).toFixed(6)));
    return { acc, seconds: (performance.now() - t0) / 1000 };
  };
  const moving = await timed(false);
  const recalibrated = await timed(true);
  return {
    kind: 'budget',
    seed,
    epochs: spos.epochs,
    trainLoss: trainLoss.map((l) => Number(l.toFixed(6))),
    moving: moving.acc,
    recalibrated: recalibrated.acc,
    trainSeconds: Number(spos.trainSeconds.toFixed(3)),
    evalSeconds: { moving: Number(moving.seconds.toFixed(3)), recalibrated: Number(recalibrated.seconds.toFixed(3)) },
  };
}

/**
 * Regularized evolution (Real et al. 2019) over the canonical NAS-Bench-201 cells with the
 * supernet's recalibrated inherited accuracy as the score, as SPOS searches its trained supernet.
 */
async function sposSearch(spos: SposSupernet, header: SposRunHeader, seed: number, run: number): Promise<SposSearchRecord> {
  const t0 = performance.now();
  const { trials, population, sample } = header.search;
  const history = await spos.search({ rng: createRng(`${header.seedPrefix}${seed}/search${run}`), trials, population, sample });
  return {
    kind: 'search',
    seed,
    run,
    epochs: spos.epochs,
    trials: history.map((t) => ({ cell: formatNb201Cell(t.arch), score: Number(t.score.toFixed(6)) })),
    seconds: Number(((performance.now() - t0) / 1000).toFixed(3)),
  };
}

/** A SPOS run read back: its header and records, budgets and searches apart. */
export interface SposRun {
  header: SposRunHeader;
  budgets: SposBudgetRecord[];
  searches: SposSearchRecord[];
}

/**
 * Reads SPOS results files (shards of one run: they must share a header).
 * @param source a folder (every `spos-*.jsonl` in it) or a list of results files
 * @throws Error if a file is missing or corrupt, the folder holds none, or the files' headers differ
 * @example loadSposRun(path.join(dataDir(), 'supernet')).budgets.length
 */
export function loadSposRun(source: string | readonly string[]): SposRun {
  const caller = 'loadSposRun';
  const files =
    typeof source === 'string'
      ? fs.readdirSync(checkString('source', source, caller)).filter((f) => /^spos-.*\.jsonl$/.test(f)).sort().map((f) => path.join(source, f))
      : checkArray<string>('source', source, { minLength: 1 }, caller);
  if (files.length === 0) throw new Error(`${caller}: ${describe(source)} holds no spos-*.jsonl results file`);
  let header: SposRunHeader | null = null;
  const budgets: SposBudgetRecord[] = [];
  const searches: SposSearchRecord[] = [];
  for (const f of files) {
    const read = readJsonl<SposRunHeader, SposRecord>(f);
    if (header && JSON.stringify(header) !== JSON.stringify(read.header)) throw new Error(`${caller}: ${f} was made under another header than ${files[0]}`);
    header = read.header;
    for (const r of read.records) (r.kind === 'budget' ? budgets : searches).push(r as never);
  }
  budgets.sort((a, b) => a.seed - b.seed || a.epochs - b.epochs);
  searches.sort((a, b) => a.seed - b.seed || a.run - b.run);
  return { header: header as SposRunHeader, budgets, searches };
}
