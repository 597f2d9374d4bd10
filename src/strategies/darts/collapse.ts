/**
 * Collapse, measured: DARTS searches on the NAS-Bench-Digits data for several settings (order, α
 * step size, budget in epochs) and seeds, each recording after every epoch what collapse looks
 * like (the share of edges whose argmax is `skip`, the mean weight on `skip`) and the cells the
 * α of that moment derives to, looked up in both tables. One run is one `runDartsSearch`; the
 * whole plan goes to a resumable, shardable JSON-lines file (core/jsonlStore) read back by
 * `loadDartsCollapse`. `npm run darts` is the command (cli.ts).
 *
 * The budget is the planned length of the search: w's cosine schedule spans it, so a short search
 * is not the first epochs of a long one (as in the DARTS paper, whose schedule spans its 50 epochs).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { checkArray, checkInt, checkNumber, checkOneOf, checkString, describe } from '../../core/checks';
import { openJsonlStore, readJsonl, runPending } from '../../core/jsonlStore';
import { dataDir } from '../../core/paths';
import { createRng } from '../../core/rng';
import type { ShardSpec } from '../../core/shard';
import { DEFAULT_DIGITS_PROTOCOL } from '../../benchmarks/digits/protocol';
import { digitsBenchData } from '../../benchmarks/digits/cell';
import { dataTensors } from '../../tensor/data';
import { NB201_OPS } from '../../spaces/nb201';
import type { CellRanker, CellStanding } from './lookup';
import { DartsSearch, dartsEpochBatches, disposeDartsBatches, PARAMETRIC_OPS, type DartsOrder } from './search';

/** One search setting and seed. */
export interface DartsRunSpec {
  order: DartsOrder;
  /** α's Adam step size. */
  alphaLearningRate: number;
  /** Planned and run search epochs (passes over the training split). */
  epochs: number;
  seed: number;
}

/** What collapse looks like in one moment's architecture weights. */
export interface CollapseStats {
  /** Share of edges whose argmax over all five operations is `skip`. */
  skipArgmaxShare: number;
  /** Share of edges whose argmax over all five operations has no weights (skip, none or average pooling). */
  parameterFreeArgmaxShare: number;
  /** Mean over edges of softmax(α) on `skip`. */
  meanSkipWeight: number;
  /** Mean over edges of softmax(α) on the operations with weights (the convolutions). */
  meanParametricWeight: number;
}

/** The three discretisations' standing in both tables (see DartsSearch.derivedCells). */
export type DerivedStandings = Record<'withNone' | 'withoutNone' | 'repaired', CellStanding>;

/** What one epoch of a run recorded. */
export interface DartsEpochRecord extends CollapseStats {
  /** 1-based. */
  epoch: number;
  /** Steps taken so far. */
  step: number;
  /** The epoch's last step's losses. */
  trainLoss: number;
  validationLoss: number;
  /** softmax(α) after the epoch: NB201_EDGES × NB201_OPS. */
  weights: number[][];
  cells: DerivedStandings;
}

/** One run: its spec, key, wall time and what each epoch recorded. */
export interface DartsRunRecord extends DartsRunSpec {
  key: string;
  seconds: number;
  /** One record per epoch, in order. */
  history: DartsEpochRecord[];
}

/** How the whole experiment was run: a results file holds runs made under one header only. */
export interface DartsCollapseHeader {
  experiment: 'darts-collapse';
  version: 1;
  /** NAS-Bench-Digits' data split and network (DEFAULT_DIGITS_PROTOCOL's). */
  data: typeof DEFAULT_DIGITS_PROTOCOL.data;
  network: typeof DEFAULT_DIGITS_PROTOCOL.network;
  batchSize: number;
  /** ℓ_min of the repair. */
  lMin: number;
  /** tfjs backend the runs used. */
  backend: string;
  /** Every run of the plan, in the order they run (a shard takes every n-th). */
  runs: DartsRunSpec[];
}

/**
 * The shipped plan, sized to what 2 shared cores ran in the time there was (one first-order epoch
 * took 6 s at load 7 and 30 s at load 17; see data/README.md): first order at the default α step
 * size (3e-3) for a long (10 epochs, 90 steps) and a short (4 epochs) budget over 5 seeds; first
 * order at a ten times larger α step size (3e-2, the setting that should bring collapse out
 * sooner), 10 epochs, 5 seeds; second order (about twice the cost per epoch), 10 epochs, 3 seeds, last.
 */
export const DARTS_COLLAPSE_PLAN: readonly DartsRunSpec[] = Object.freeze([
  ...seeds(5).map((seed) => ({ order: 1 as const, alphaLearningRate: 3e-3, epochs: 10, seed })),
  ...seeds(5).map((seed) => ({ order: 1 as const, alphaLearningRate: 3e-3, epochs: 4, seed })),
  ...seeds(5).map((seed) => ({ order: 1 as const, alphaLearningRate: 3e-2, epochs: 10, seed })),
  ...seeds(3).map((seed) => ({ order: 2 as const, alphaLearningRate: 3e-3, epochs: 10, seed })),
]);

/**
 * The longer search, run after the collapse plan with the time left: first order at the default α
 * step size for 30 epochs (270 steps), 5 seeds, in order (a partial run ships fewer seeds).
 */
export const DARTS_LONG_PLAN: readonly DartsRunSpec[] = Object.freeze(seeds(5).map((seed) => ({ order: 1 as const, alphaLearningRate: 3e-3, epochs: 30, seed })));

/**
 * Both settings that push towards collapse at once, run last: first order at the ten times larger α
 * step size (3e-2) for 30 epochs, 5 seeds, in order.
 */
export const DARTS_LONG_LARGE_STEP_PLAN: readonly DartsRunSpec[] = Object.freeze(seeds(5).map((seed) => ({ order: 1 as const, alphaLearningRate: 3e-2, epochs: 30, seed })));

/** The plans `npm run darts --plan` knows. */
export const DARTS_PLANS: Readonly<Record<'collapse' | 'long' | 'long-large-step', readonly DartsRunSpec[]>> = Object.freeze({
  collapse: DARTS_COLLAPSE_PLAN,
  long: DARTS_LONG_PLAN,
  'long-large-step': DARTS_LONG_LARGE_STEP_PLAN,
});

function seeds(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** A run's key: 'o1/lr0.003/e10/s0'. */
export function dartsRunKey(spec: DartsRunSpec): string {
  return `o${spec.order}/lr${spec.alphaLearningRate}/e${spec.epochs}/s${spec.seed}`;
}

/** The setting of a run without its seed: 'o1/lr0.003/e10', what bands group by. */
export function dartsSettingKey(spec: DartsRunSpec): string {
  return `o${spec.order}/lr${spec.alphaLearningRate}/e${spec.epochs}`;
}

/**
 * Collapse statistics of architecture weights.
 * @param weights softmax(α): one row per edge, one column per operation of NB201_OPS
 * @throws TypeError/RangeError if weights is not a non-empty list of rows of NB201_OPS.length finite numbers
 * @example collapseStats([[0, 1, 0, 0, 0]]) // { skipArgmaxShare: 1, parameterFreeArgmaxShare: 1, meanSkipWeight: 1, meanParametricWeight: 0 }
 */
export function collapseStats(weights: readonly (readonly number[])[]): CollapseStats {
  const caller = 'collapseStats';
  checkArray('weights', weights, { minLength: 1 }, caller);
  weights.forEach((row, i) => {
    checkArray(`weights[${i}]`, row, { length: NB201_OPS.length }, caller);
    row.forEach((w, j) => checkNumber(`weights[${i}][${j}]`, w, {}, caller));
  });
  const skip = NB201_OPS.indexOf('skip');
  const parametric = PARAMETRIC_OPS.map((op) => NB201_OPS.indexOf(op as (typeof NB201_OPS)[number]));
  const argmax = (row: readonly number[]) => row.reduce((b, w, i) => (w > row[b] ? i : b), 0);
  const mean = (f: (row: readonly number[]) => number) => weights.reduce((s, row) => s + f(row), 0) / weights.length;
  return {
    skipArgmaxShare: mean((row) => (argmax(row) === skip ? 1 : 0)),
    parameterFreeArgmaxShare: mean((row) => (parametric.includes(argmax(row)) ? 0 : 1)),
    meanSkipWeight: mean((row) => row[skip]),
    meanParametricWeight: mean((row) => parametric.reduce((s, j) => s + row[j], 0)),
  };
}

/** Options of runDartsSearch. */
export interface RunDartsSearchOptions {
  /** Ranks derived cells in both tables (cellRanker(loadBench(), loadNasBench201())). */
  rank: CellRanker;
  /** Rows per batch (default 64, NAS-Bench-Digits' training batch). */
  batchSize?: number;
  /** ℓ_min of the repair (default 2). */
  lMin?: number;
  /** Called after each epoch. */
  onEpoch?: (record: DartsEpochRecord) => void;
}

/**
 * One DARTS search on NAS-Bench-Digits' split and network, recording every epoch. The weights and
 * α are seeded by 'darts/seed/<seed>' (the same start for every setting), the batches' order by the run's key and epoch.
 * @param spec order, α step size, epochs, seed
 * @param opts rank (required), batchSize, lMin, onEpoch
 * @returns the run's record (key, spec, wall seconds, one record per epoch)
 * @throws TypeError/RangeError naming a bad field of spec or opts
 * @example runDartsSearch({ order: 1, alphaLearningRate: 3e-3, epochs: 3, seed: 0 }, { rank }).history[2].cells.repaired.digits.rank
 */
export function runDartsSearch(spec: DartsRunSpec, opts: RunDartsSearchOptions): DartsRunRecord {
  const caller = 'runDartsSearch';
  const s = checkRunSpec(spec, 'spec', caller);
  if (typeof opts?.rank !== 'function') throw new TypeError(`${caller}: 'opts.rank' must be a cell ranker (cellRanker(loadBench(), loadNasBench201())), got ${describe(opts?.rank)}`);
  const batchSize = checkInt('opts.batchSize', opts.batchSize ?? 64, { min: 1 }, caller);
  const lMin = checkInt('opts.lMin', opts.lMin ?? 2, { min: 0, max: 3 }, caller);
  const protocol = DEFAULT_DIGITS_PROTOCOL;
  const data = digitsBenchData(protocol);
  const train = dataTensors(data, 'train');
  const validation = dataTensors(data, 'validation');
  const perEpoch = Math.ceil(data.train.size / batchSize);
  const key = dartsRunKey(s);
  const darts = new DartsSearch({ rng: createRng(`darts/seed/${s.seed}`), steps: s.epochs * perEpoch, network: protocol.network, order: s.order, alphaLearningRate: s.alphaLearningRate });
  const started = performance.now();
  const history: DartsEpochRecord[] = [];
  try {
    for (let epoch = 1; epoch <= s.epochs; epoch++) {
      const batches = dartsEpochBatches(train, validation, batchSize, createRng(`darts/${key}/order/${epoch}`));
      try {
        for (const b of batches) darts.step(b);
      } finally {
        disposeDartsBatches(batches);
      }
      const last = darts.history[darts.history.length - 1];
      const derived = darts.derivedCells(lMin);
      const record: DartsEpochRecord = {
        epoch,
        step: last.step,
        trainLoss: last.trainLoss,
        validationLoss: last.validationLoss,
        ...collapseStats(last.weights),
        weights: last.weights,
        cells: { withNone: opts.rank(derived.withNone), withoutNone: opts.rank(derived.withoutNone), repaired: opts.rank(derived.repaired) },
      };
      history.push(record);
      opts.onEpoch?.(record);
    }
  } finally {
    darts.dispose();
    tf.dispose([train.x, train.y, validation.x, validation.y]);
  }
  return { key, ...s, seconds: (performance.now() - started) / 1000, history };
}

function checkRunSpec(spec: unknown, name: string, caller: string): DartsRunSpec {
  if (typeof spec !== 'object' || spec === null) throw new TypeError(`${caller}: '${name}' must be { order, alphaLearningRate, epochs, seed }, got ${describe(spec)}`);
  const s = spec as Record<string, unknown>;
  return {
    order: checkOneOf(`${name}.order`, s.order, [1, 2] as const, caller),
    alphaLearningRate: checkNumber(`${name}.alphaLearningRate`, s.alphaLearningRate, { min: 0, exclusiveMin: true }, caller),
    epochs: checkInt(`${name}.epochs`, s.epochs, { min: 1 }, caller),
    seed: checkInt(`${name}.seed`, s.seed, { min: 0 }, caller),
  };
}

/**
 * The header of a collapse experiment on a backend.
 * @param backend the tfjs backend ('wasm')
 * @param runs the plan (default DARTS_COLLAPSE_PLAN)
 * @throws TypeError/RangeError for a bad backend name or run
 */
export function dartsCollapseHeader(backend: string, runs: readonly DartsRunSpec[] = DARTS_COLLAPSE_PLAN): DartsCollapseHeader {
  const caller = 'dartsCollapseHeader';
  checkString('backend', backend, caller);
  checkArray('runs', runs, { minLength: 1 }, caller);
  return {
    experiment: 'darts-collapse',
    version: 1,
    data: DEFAULT_DIGITS_PROTOCOL.data,
    network: DEFAULT_DIGITS_PROTOCOL.network,
    batchSize: 64,
    lMin: 2,
    backend,
    runs: runs.map((r, i) => checkRunSpec(r, `runs[${i}]`, caller)),
  };
}

/** Options of runDartsCollapse. */
export interface RunDartsCollapseOptions {
  header: DartsCollapseHeader;
  /** The results file (created, or resumed when it exists with the same header). */
  out: string;
  shard: ShardSpec;
  rank: CellRanker;
  /** Run at most this many more runs. */
  limit?: number;
  /** Called after each epoch of each run. */
  progress?: (key: string, record: DartsEpochRecord) => void;
}

/**
 * Runs (or resumes) one shard of a collapse experiment, appending each finished run. A run killed
 * midway is run again from its start (runs are minutes long; epochs of one run are not resumable).
 * @returns the shard's run count, how many were done before, how many ran now
 * @throws Error when the file exists under another header
 */
export function runDartsCollapse(opts: RunDartsCollapseOptions): { total: number; before: number; ran: number } {
  const { header } = opts;
  const store = openJsonlStore<DartsCollapseHeader, DartsRunRecord>(opts.out, header, (r) => r.key);
  const run = (spec: DartsRunSpec) => {
    const key = dartsRunKey(spec);
    return runDartsSearch(spec, { rank: opts.rank, batchSize: header.batchSize, lMin: header.lMin, onEpoch: (r) => opts.progress?.(key, r) });
  };
  return runPending(store, header.runs, dartsRunKey, run, { shard: opts.shard, limit: opts.limit });
}

/** A collapse experiment read back: its header and every finished run. */
export interface DartsCollapse {
  header: DartsCollapseHeader;
  runs: DartsRunRecord[];
}

/**
 * Reads a collapse experiment's shard files (every `*.jsonl` in a folder, or a list of files): they
 * must share the setup (data, network, batch, ℓ_min, backend) and may run different plans; the
 * header returned lists every plan's runs.
 * @param source a folder or a list of files (default: the shipped runs, data/darts)
 * @throws Error when there is no shard file or two disagree on the setup
 * @example loadDartsCollapse().runs.length
 */
export function loadDartsCollapse(source: string | readonly string[] = path.join(dataDir(), 'darts')): DartsCollapse {
  const caller = 'loadDartsCollapse';
  if (typeof source === 'string' && !fs.existsSync(source)) throw new Error(`${caller}: 'source' must be a folder of shard files or a list of files, and ${describe(source)} does not exist`);
  const files = typeof source === 'string'
    ? fs.readdirSync(checkString('source', source, caller)).filter((f) => f.endsWith('.jsonl')).sort().map((f) => path.join(source, f))
    : checkArray<string>('source', source, {}, caller);
  if (files.length === 0) throw new Error(`${caller}: no .jsonl shard in ${describe(source)}`);
  const shards = files.map((f) => readJsonl<DartsCollapseHeader, DartsRunRecord>(f));
  // Files may hold different plans (the collapse plan, the longer search); everything else must agree.
  const setup = (h: DartsCollapseHeader) => JSON.stringify({ ...h, runs: undefined });
  shards.forEach((s, i) => {
    if (setup(s.header) !== setup(shards[0].header)) throw new Error(`${caller}: ${files[i]} was computed under another setup than ${files[0]} (data, network, batch, ℓ_min or backend)`);
  });
  const runs = new Map<string, DartsRunSpec>();
  for (const s of shards) for (const r of s.header.runs) runs.set(dartsRunKey(r), r);
  return { header: { ...shards[0].header, runs: [...runs.values()] }, runs: shards.flatMap((s) => s.records) };
}
