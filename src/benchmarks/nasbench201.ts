/**
 * The real NAS-Bench-201 table (12-epoch schedule, `data/nasbench201-hp12.csv.gz`): all 15625
 * cells of the space in `spaces/nb201.ts` with their CIFAR-10, CIFAR-100 and ImageNet16-120
 * accuracies, so a search run is a sequence of look-ups. Parameter counts and FLOPs are not in the
 * file: `nasBench201NetworkCost` computes them from the cell, with the formula NAS-Bench-201's API
 * used (see there).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { checkOneOf, checkString, describe } from '../core/checks';
import { dataDir } from '../core/paths';
import {
  NB201_SIZE,
  checkNb201Cell,
  formatNb201Cell,
  nb201FromIndex,
  nb201Index,
  parseNb201Cell,
  type Nb201Cell,
} from '../spaces/nb201';

/** The three data sets of NAS-Bench-201. */
export const NASBENCH201_DATASETS = ['cifar10', 'cifar100', 'imagenet16'] as const;
export type NasBench201Dataset = (typeof NASBENCH201_DATASETS)[number];

/** Which accuracy: on the validation split (model trained on train) or the test set. */
export const NASBENCH201_SPLITS = ['val', 'test'] as const;
export type NasBench201Split = (typeof NASBENCH201_SPLITS)[number];

/** The table's file name inside `dataDir()`. */
export const NASBENCH201_FILE = 'nasbench201-hp12.csv.gz';

const COLUMNS = ['index', 'cell', 'cifar10-test', 'cifar10-val', 'cifar100-test', 'cifar100-val', 'imagenet-test', 'imagenet-val'] as const;
const FILE_PREFIX: Record<NasBench201Dataset, string> = { cifar10: 'cifar10', cifar100: 'cifar100', imagenet16: 'imagenet' };

/** Parameters and FLOPs of one cell's full NAS-Bench-201 network. */
export interface NasBench201Cost {
  /** Trainable parameters (weights, BN scales and offsets, classifier bias). */
  params: number;
  /** Multiply-accumulates of convolutions and the classifier per image, as NAS-Bench-201 counts FLOPs. */
  flops: number;
}

/** Everything the table and the cost formula say about one cell. */
export interface NasBench201Record {
  /** The cell in our canonical string. */
  cell: string;
  /** Our index (`nb201Index`). */
  index: number;
  /** NAS-Bench-201's own architecture index (the file's `index` column). */
  nb201Index: number;
  /** Accuracies in percent, `${dataset}-${split}`. */
  accuracy: Record<`${NasBench201Dataset}-${NasBench201Split}`, number>;
  /** Parameters and FLOPs of the network for each data set (the classifier differs). */
  cost: Record<NasBench201Dataset, NasBench201Cost>;
}

/** A cell given as a value or as its string in either naming. */
export type Nb201CellLike = Nb201Cell | string;

/** The loaded table. */
export interface NasBench201 {
  /** Number of cells: 15625. */
  readonly size: number;
  /** The file it was read from. */
  readonly file: string;
  /** Accuracy (percent) of a cell on a data set's validation or test split. */
  query(cell: Nb201CellLike, opts: { dataset: NasBench201Dataset; split: NasBench201Split }): number;
  /** Parameters and FLOPs of a cell's network for a data set. */
  cost(cell: Nb201CellLike, opts: { dataset: NasBench201Dataset }): NasBench201Cost;
  /** Every field of one cell. */
  record(cell: Nb201CellLike): NasBench201Record;
  /** All cells, in our index order (0..15624), as fresh values. */
  cells(): IterableIterator<Nb201Cell>;
}

/** Image side and class count of each data set's network input/output. */
const DATASET_SHAPE: Record<NasBench201Dataset, { side: number; classes: number }> = {
  cifar10: { side: 32, classes: 10 },
  cifar100: { side: 32, classes: 100 },
  imagenet16: { side: 16, classes: 120 },
};

/**
 * Parameters and FLOPs of the full NAS-Bench-201 network built from a cell, computed from the cell.
 *
 * The network: stem conv3x3 (3 -> C, no bias) + BN; three stages of N = 5 copies of the cell with
 * C = 16, 32, 64 channels at side S, S/2, S/4 (S = 32 for CIFAR, 16 for ImageNet16-120); between
 * stages a residual block (ReLU-conv3x3 stride 2-BN, ReLU-conv3x3-BN; shortcut 2x2 avgpool + conv1x1
 * without BN); then BN, ReLU, global average pooling and a linear classifier to K classes (10, 100,
 * 120). Each cell edge with conv1x1/conv3x3 is ReLU-conv(k x k, C -> C, no bias)-BN; NAS-Bench-201
 * builds and counts EVERY non-'none' edge, live or dead. With n1, n3 the numbers of conv1x1 and
 * conv3x3 edges of the cell:
 *
 *   params = (27·16 + 2·16) + Σ_{C=16,32,64} 5·[n1·(C² + 2C) + n3·(9C² + 2C)]
 *          + Σ_{(a,b)=(16,32),(32,64)} (9ab + 9b² + ab + 4b) + 2·64 + (64K + K)
 *   flops  = S²·16·27 + Σ_{stages} 5·(S_s)²·(n1 + 9·n3)·C_s²
 *          + Σ_{reductions} (S_out)²·(9ab + 9b² + ab) + 64K + K
 *
 * FLOPs follow NAS-Bench-201's counter: one per multiply-accumulate of convolutions and the linear
 * layer (plus its bias); pooling, BN, ReLU and additions count nothing. With these conventions the
 * published values are met exactly, e.g. 113.95137 MFLOPs / 0.802426 M params for CIFAR-10 cells
 * with three conv3x3 edges and 15.64737 MFLOPs for NAS-Bench-201's cell 0. (For a few cells
 * NAS-Bench-201's 200-epoch records carry different numbers, a known inconsistency of its files,
 * see D-X-Y/NATS-Bench issue 36; we follow the formula.)
 * @param cell the cell (value or string in either naming)
 * @param opts.dataset 'cifar10' (default), 'cifar100' or 'imagenet16'
 * @throws TypeError/RangeError for an invalid cell or data set
 * @example nasBench201NetworkCost('|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|').params // 1531546
 */
export function nasBench201NetworkCost(cell: Nb201CellLike, opts: { dataset?: NasBench201Dataset } = {}): NasBench201Cost {
  const caller = 'nasBench201NetworkCost';
  const c = toCell(cell, caller);
  const dataset = checkOneOf('dataset', opts.dataset ?? 'cifar10', NASBENCH201_DATASETS, caller);
  return networkCost(c, dataset);
}

function networkCost(cell: Nb201Cell, dataset: NasBench201Dataset): NasBench201Cost {
  const { side, classes } = DATASET_SHAPE[dataset];
  const cellsPerStage = 5;
  const n1 = cell.ops.filter((op) => op === 'conv1x1').length;
  const n3 = cell.ops.filter((op) => op === 'conv3x3').length;
  let c = 16;
  let s = side;
  let params = 27 * c + 2 * c;
  let flops = s * s * c * 27;
  for (let stage = 0; stage < 3; stage++) {
    if (stage > 0) {
      const a = c;
      const b = 2 * c;
      s = Math.ceil(s / 2);
      params += 9 * a * b + 9 * b * b + a * b + 2 * (2 * b);
      flops += s * s * (9 * a * b + 9 * b * b + a * b);
      c = b;
    }
    params += cellsPerStage * (n1 * (c * c + 2 * c) + n3 * (9 * c * c + 2 * c));
    flops += cellsPerStage * s * s * (n1 + 9 * n3) * c * c;
  }
  params += 2 * c + c * classes + classes;
  flops += c * classes + classes;
  return { params, flops };
}

function toCell(cell: unknown, caller: string): Nb201Cell {
  if (typeof cell === 'string') {
    try {
      return parseNb201Cell(cell);
    } catch (err) {
      throw new RangeError(`${caller}: 'cell' must be a NAS-Bench-201 cell or its string, got ${describe(cell)} (${(err as Error).message})`);
    }
  }
  return checkNb201Cell(cell, caller);
}

/** Parsed tables, one per file path, for the life of the process. */
const loaded = new Map<string, NasBench201>();

/**
 * Reads the NAS-Bench-201 12-epoch table (memoised per file for the process).
 * @param opts.file another copy of the table (default `dataDir()/nasbench201-hp12.csv.gz`)
 * @throws Error naming the file and the line when it is missing, not gzip, lacks the expected
 *   header, has a malformed row, a duplicate cell or index, or not exactly 15625 cells
 * @example loadNasBench201().query('|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|', { dataset: 'cifar10', split: 'test' }) // 88.22
 */
export function loadNasBench201(opts: { file?: string } = {}): NasBench201 {
  const caller = 'loadNasBench201';
  const file = path.resolve(opts.file === undefined ? path.join(dataDir(), NASBENCH201_FILE) : checkString('file', opts.file, caller));
  const cached = loaded.get(file);
  if (cached) return cached;
  const table = parseTable(file);
  loaded.set(file, table);
  return table;
}

function parseTable(file: string): NasBench201 {
  const fail = (why: string): never => {
    throw new Error(`loadNasBench201: cannot read the NAS-Bench-201 table ${file}: ${why}`);
  };
  let text = '';
  try {
    text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
  } catch (err) {
    fail((err as Error).message);
  }
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0 || lines[0].trim() !== COLUMNS.join(',')) fail(`the first line must be the header '${COLUMNS.join(',')}'`);
  const accuracy = new Map<string, Float64Array>();
  for (const col of COLUMNS.slice(2)) accuracy.set(col, new Float64Array(NB201_SIZE).fill(NaN));
  const theirIndex = new Int32Array(NB201_SIZE).fill(-1);
  const seenTheirs = new Set<number>();
  for (let r = 1; r < lines.length; r++) {
    const fields = lines[r].trim().split(',');
    const where = `line ${r + 1}`;
    if (fields.length !== COLUMNS.length) fail(`${where} has ${fields.length} fields, expected ${COLUMNS.length}`);
    const nbIndex = Number(fields[0]);
    if (!Number.isInteger(nbIndex) || nbIndex < 0 || nbIndex >= NB201_SIZE) fail(`${where}: index ${describe(fields[0])} is not an integer in 0..${NB201_SIZE - 1}`);
    if (seenTheirs.has(nbIndex)) fail(`${where}: index ${nbIndex} appears twice`);
    seenTheirs.add(nbIndex);
    let cell: Nb201Cell | null = null;
    try {
      cell = parseNb201Cell(fields[1]);
    } catch (err) {
      fail(`${where}: ${(err as Error).message}`);
    }
    const ours = nb201Index(cell as Nb201Cell);
    if (theirIndex[ours] !== -1) fail(`${where}: cell ${fields[1]} appears twice`);
    theirIndex[ours] = nbIndex;
    COLUMNS.slice(2).forEach((col, k) => {
      const value = Number(fields[k + 2]);
      if (fields[k + 2].trim() === '' || !Number.isFinite(value) || value < 0 || value > 100) fail(`${where}: ${col} ${describe(fields[k + 2])} is not a percentage`);
      (accuracy.get(col) as Float64Array)[ours] = value;
    });
  }
  if (lines.length - 1 !== NB201_SIZE) fail(`expected ${NB201_SIZE} cells, found ${lines.length - 1}`);
  return makeTable(file, accuracy, theirIndex);
}

function makeTable(file: string, accuracy: Map<string, Float64Array>, theirIndex: Int32Array): NasBench201 {
  const column = (dataset: NasBench201Dataset, split: NasBench201Split): Float64Array => accuracy.get(`${FILE_PREFIX[dataset]}-${split}`) as Float64Array;
  const table: NasBench201 = {
    size: NB201_SIZE,
    file,
    query(cell, opts) {
      const caller = 'NasBench201.query';
      const c = toCell(cell, caller);
      const o = checkOptionsObject(opts, caller);
      const dataset = checkOneOf('dataset', o.dataset, NASBENCH201_DATASETS, caller);
      const split = checkOneOf('split', o.split, NASBENCH201_SPLITS, caller);
      return column(dataset, split)[nb201Index(c)];
    },
    cost(cell, opts) {
      const caller = 'NasBench201.cost';
      const c = toCell(cell, caller);
      const dataset = checkOneOf('dataset', checkOptionsObject(opts, caller).dataset, NASBENCH201_DATASETS, caller);
      return networkCost(c, dataset);
    },
    record(cell) {
      const c = toCell(cell, 'NasBench201.record');
      const i = nb201Index(c);
      const acc = {} as NasBench201Record['accuracy'];
      const cost = {} as NasBench201Record['cost'];
      for (const dataset of NASBENCH201_DATASETS) {
        for (const split of NASBENCH201_SPLITS) acc[`${dataset}-${split}`] = column(dataset, split)[i];
        cost[dataset] = networkCost(c, dataset);
      }
      return { cell: formatNb201Cell(c), index: i, nb201Index: theirIndex[i], accuracy: acc, cost };
    },
    *cells() {
      for (let i = 0; i < NB201_SIZE; i++) yield nb201FromIndex(i);
    },
  };
  return Object.freeze(table);
}

function checkOptionsObject(opts: unknown, caller: string): Record<string, unknown> {
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be an object { dataset, split }, got ${describe(opts)}`);
  return opts as Record<string, unknown>;
}
