/**
 * Data sets for training real networks: loading, stratified seeded splits, normalisation, and
 * tensors in the layout the models take.
 *
 * Three steps, each a plain function, so a notebook can show (and a benchmark file can record)
 * what happened between the file and the tensors:
 *
 *   loadDigits()                      the 1797 raw 8x8 images and their labels
 *   stratifiedSplit(labels, rng)      which rows go to train / validation / test (plain indices)
 *   prepareData(dataset, split)       normalised features per part (statistics from train only)
 *   dataTensors(data, 'train', ...)   NHWC [n, 8, 8, 1] or flat [n, 64] tensors, one-hot or integer labels
 *
 * `prepareDigits(rng)` does the first three in one call.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { checkInt, checkNumber, checkOneOf, checkString, describe } from '../core/checks';
import { dataDir } from '../core/paths';
import { checkRng, type Rng } from '../core/rng';

/** A labelled image data set held in memory, features as stored in the file (not normalised). */
export interface ImageDataset {
  /** A short name ('digits'). */
  name: string;
  /** Row-major features, `size` rows of height·width·channels values each. */
  features: Float32Array;
  /** The class of each row, an integer in [0, numClasses). */
  labels: number[];
  /** The number of rows. */
  size: number;
  /** The shape of one image, [height, width, channels]. */
  imageShape: [number, number, number];
  numClasses: number;
  /** The largest value a feature can take (16 for digits), used by the 'scale' normalisation. */
  maxValue: number;
}

/** The fraction of each class that goes to each part of a split. */
export interface SplitFractions {
  train: number;
  validation: number;
  test: number;
}

/**
 * Which rows of a data set form each part: plain, sorted index lists, so a split can be written
 * into a benchmark file and re-used exactly.
 */
export interface DataSplit {
  /** The key of the random stream that drew the split (`rng.seed`). */
  seed: string;
  fractions: SplitFractions;
  train: number[];
  validation: number[];
  test: number[];
}

/** The names of a split's parts. */
export type SplitPart = 'train' | 'validation' | 'test';

export const SPLIT_PARTS: readonly SplitPart[] = ['train', 'validation', 'test'];

/** How features are normalised: 'scale' divides by the data set's maximum value; 'standardize' uses train-split statistics. */
export type NormalizationKind = 'scale' | 'standardize';

export const NORMALIZATION_KINDS: readonly NormalizationKind[] = ['scale', 'standardize'];

/**
 * The affine map applied to every feature j: x'_j = (x_j - shift[j]) / divisor[j]. Recorded so the
 * same map can be applied to new inputs.
 */
export interface Normalization {
  kind: NormalizationKind;
  shift: number[];
  divisor: number[];
}

/** One part of a prepared data set. */
export interface DataPart {
  /** Normalised features, row-major, `size` rows. */
  x: Float32Array;
  /** Integer class labels. */
  y: number[];
  size: number;
}

/** A data set split into parts and normalised: what `train()` takes. */
export interface PreparedData {
  name: string;
  imageShape: [number, number, number];
  numClasses: number;
  split: DataSplit;
  normalization: Normalization;
  train: DataPart;
  validation: DataPart;
  test: DataPart;
}

/** The tensor layout of the features: NHWC images for convolution networks, flat rows for MLPs. */
export type FeatureLayout = 'nhwc' | 'flat';

/** The label encoding: one-hot float rows or integer class ids. */
export type LabelEncoding = 'onehot' | 'int';

/** Number of pixel columns in digits.csv.gz; the label follows them. */
const DIGITS_PIXELS = 64;
const DIGITS_MAX = 16;
const DIGITS_CLASSES = 10;

/**
 * Loads the 8x8 hand-written digits (1797 images, pixels 0..16, labels 0..9) from `digits.csv.gz`.
 * @param opts.path the gzipped CSV to read (default: `digits.csv.gz` in the data folder)
 * @throws Error if the file does not exist, is not gzip, or a row is not 64 pixels in 0..16 then a label in 0..9
 * @example loadDigits().size // 1797
 */
export function loadDigits(opts: { path?: string } = {}): ImageDataset {
  const caller = 'loadDigits';
  const file = opts.path === undefined ? path.join(dataDir(), 'digits.csv.gz') : checkString('path', opts.path, caller);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    throw new Error(`${caller}: 'path' must name an existing file, got ${describe(file)} (no such file)`);
  }
  let text: string;
  try {
    text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
  } catch (err) {
    throw new Error(`${caller}: cannot decompress ${describe(file)}: ${(err as Error).message}`);
  }
  const lines = text.split('\n').filter((line) => line.trim().length > 0);
  if (lines.length === 0) throw new Error(`${caller}: ${describe(file)} holds no rows`);
  const features = new Float32Array(lines.length * DIGITS_PIXELS);
  const labels: number[] = new Array(lines.length);
  lines.forEach((line, row) => {
    const cells = line.split(',');
    const where = `${describe(file)} line ${row + 1}`;
    if (cells.length !== DIGITS_PIXELS + 1) {
      throw new Error(`${caller}: ${where} must have ${DIGITS_PIXELS + 1} comma-separated values, got ${cells.length}`);
    }
    for (let j = 0; j <= DIGITS_PIXELS; j++) {
      const value = Number(cells[j]);
      const max = j < DIGITS_PIXELS ? DIGITS_MAX : DIGITS_CLASSES - 1;
      if (cells[j].trim() === '' || !Number.isInteger(value) || value < 0 || value > max) {
        throw new Error(`${caller}: ${where} column ${j + 1} must be an integer in 0..${max}, got ${describe(cells[j])}`);
      }
      if (j < DIGITS_PIXELS) features[row * DIGITS_PIXELS + j] = value;
      else labels[row] = value;
    }
  });
  return { name: 'digits', features, labels, size: lines.length, imageShape: [8, 8, 1], numClasses: DIGITS_CLASSES, maxValue: DIGITS_MAX };
}

/**
 * The number of rows of each class.
 * @param labels class integers in [0, numClasses)
 * @param numClasses the number of classes
 * @throws TypeError/RangeError for a label outside [0, numClasses) or a bad class count
 * @example classCounts([0, 2, 2], 3) // [1, 0, 2]
 */
export function classCounts(labels: readonly number[], numClasses: number): number[] {
  checkInt('numClasses', numClasses, { min: 1 }, 'classCounts');
  const counts = new Array<number>(numClasses).fill(0);
  labels.forEach((y, i) => {
    counts[checkInt(`labels[${i}]`, y, { min: 0, max: numClasses - 1 }, 'classCounts')]++;
  });
  return counts;
}

function checkFractions(opts: Partial<SplitFractions>, caller: string): SplitFractions {
  const validation = checkNumber('validation', opts.validation ?? 0.2, { min: 0, max: 1, exclusiveMax: true }, caller);
  const test = checkNumber('test', opts.test ?? 0.2, { min: 0, max: 1, exclusiveMax: true }, caller);
  if (validation + test >= 1) {
    throw new RangeError(`${caller}: 'validation' + 'test' must be < 1 to leave rows for training, got ${validation} + ${test}`);
  }
  const rest = 1 - validation - test;
  const train = opts.train === undefined ? rest : checkNumber('train', opts.train, { min: 0, max: 1, exclusiveMin: true }, caller);
  // A small tolerance: 0.6 + 0.2 + 0.2 is 1.0000000000000002 in floating point.
  if (train > rest + 1e-12) {
    throw new RangeError(`${caller}: 'train' + 'validation' + 'test' must be <= 1, got ${train} + ${validation} + ${test}`);
  }
  return { train: Math.min(train, rest), validation, test };
}

/**
 * Splits `n` items into parts in proportion to `weights` (summing to 1) by largest remainder: each
 * part gets floor(n·w) or one more, so it is within 1 of its exact share, and the parts sum to n.
 * Ties go to the earlier part.
 */
function apportion(n: number, weights: readonly number[]): number[] {
  const exact = weights.map((w) => n * w);
  const counts = exact.map((e) => Math.floor(e + 1e-9));
  let left = n - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, rem: e - counts[i] })).sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) counts[order[k].i]++;
  return counts;
}

/**
 * A stratified, seeded split into train, validation and test rows: each class is shuffled and cut
 * in the given proportions, so every part holds each class within one row of its exact share.
 * @param labels the class of each row (integers >= 0)
 * @param rng the random stream that shuffles each class (its key is recorded in the split)
 * @param fractions validation (default 0.2) and test (default 0.2) fractions; train defaults to the
 *   rest, and a smaller train fraction leaves the remaining rows unused (for quick subsets)
 * @throws RangeError if a fraction is outside [0, 1) or they sum to more than 1; TypeError for a bad label
 * @example stratifiedSplit(loadDigits().labels, createRng(0)).test.length // 357
 */
export function stratifiedSplit(labels: readonly number[], rng: Rng, fractions: Partial<SplitFractions> = {}): DataSplit {
  const caller = 'stratifiedSplit';
  if (!Array.isArray(labels) || labels.length === 0) {
    throw new TypeError(`${caller}: 'labels' must be a non-empty array of class integers, got ${describe(labels)}`);
  }
  labels.forEach((y, i) => checkInt(`labels[${i}]`, y, { min: 0 }, caller));
  checkRng('rng', rng, caller);
  const f = checkFractions(fractions, caller);
  const byClass = new Map<number, number[]>();
  labels.forEach((y, i) => {
    const rows = byClass.get(y) ?? [];
    rows.push(i);
    byClass.set(y, rows);
  });
  const split: DataSplit = { seed: rng.seed, fractions: f, train: [], validation: [], test: [] };
  // Largest remainder per class; ties favour train, then validation, then test.
  const weights = [f.train, f.validation, f.test, Math.max(0, 1 - f.train - f.validation - f.test)];
  // Classes in increasing order so the draws do not depend on the order rows appear in.
  for (const y of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = rng.shuffle(byClass.get(y) as number[]);
    const [nTrain, nValidation, nTest] = apportion(rows.length, weights);
    split.train.push(...rows.slice(0, nTrain));
    split.validation.push(...rows.slice(nTrain, nTrain + nValidation));
    split.test.push(...rows.slice(nTrain + nValidation, nTrain + nValidation + nTest));
  }
  for (const part of SPLIT_PARTS) split[part].sort((a, b) => a - b);
  return split;
}

/**
 * A short checksum of a split (FNV-1a, 32 bits, over the train, validation and test index lists),
 * to record beside results and compare cheaply.
 * @param split the split (its index lists are read in order)
 * @example splitChecksum({ train: [0, 2], validation: [1], test: [] }) // '23e19bea'
 */
export function splitChecksum(split: Pick<DataSplit, SplitPart>): string {
  let hash = 0x811c9dc5;
  const mix = (value: number): void => {
    // The four bytes of the value, low byte first; -1 (0xffffffff) separates the parts.
    for (let b = 0; b < 4; b++) {
      hash ^= (value >>> (8 * b)) & 0xff;
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  };
  for (const part of SPLIT_PARTS) {
    for (const i of split[part]) mix(i);
    mix(-1);
  }
  return hash.toString(16).padStart(8, '0');
}

function checkSplit(split: DataSplit, size: number, caller: string): void {
  const seen = new Uint8Array(size);
  for (const part of SPLIT_PARTS) {
    const rows = split?.[part];
    if (!Array.isArray(rows)) throw new TypeError(`${caller}: 'split.${part}' must be an array of row indices, got ${describe(rows)}`);
    rows.forEach((i, k) => {
      checkInt(`split.${part}[${k}]`, i, { min: 0, max: size - 1 }, caller);
      if (seen[i]) throw new RangeError(`${caller}: 'split' must use each row once, got row ${i} twice`);
      seen[i] = 1;
    });
  }
  if (split.train.length === 0) throw new RangeError(`${caller}: 'split.train' must hold at least 1 row, got an empty array`);
}

function normalizationFor(dataset: ImageDataset, train: readonly number[], kind: NormalizationKind): Normalization {
  const d = dataset.features.length / dataset.size;
  if (kind === 'scale') {
    return { kind, shift: new Array<number>(d).fill(0), divisor: new Array<number>(d).fill(dataset.maxValue) };
  }
  // Per-feature mean and (population) standard deviation over the train rows only, so nothing
  // about validation or test leaks into training. A constant feature (the corners of the digits
  // are always 0) keeps divisor 1 rather than dividing by zero.
  const mean = new Array<number>(d).fill(0);
  const sq = new Array<number>(d).fill(0);
  for (const i of train) {
    for (let j = 0; j < d; j++) mean[j] += dataset.features[i * d + j];
  }
  for (let j = 0; j < d; j++) mean[j] /= train.length;
  for (const i of train) {
    for (let j = 0; j < d; j++) sq[j] += (dataset.features[i * d + j] - mean[j]) ** 2;
  }
  const divisor = sq.map((s) => {
    const std = Math.sqrt(s / train.length);
    return std > 1e-6 ? std : 1;
  });
  return { kind, shift: mean, divisor };
}

function takeRows(dataset: ImageDataset, rows: readonly number[], norm: Normalization): DataPart {
  const d = dataset.features.length / dataset.size;
  const x = new Float32Array(rows.length * d);
  rows.forEach((i, r) => {
    for (let j = 0; j < d; j++) x[r * d + j] = (dataset.features[i * d + j] - norm.shift[j]) / norm.divisor[j];
  });
  return { x, y: rows.map((i) => dataset.labels[i]), size: rows.length };
}

/**
 * Cuts a data set into the parts of a split and normalises the features: 'scale' divides every
 * pixel by the data set's maximum (digits: /16, values in [0, 1]); 'standardize' subtracts each
 * pixel's train-split mean and divides by its train-split standard deviation.
 * @param dataset the data set, e.g. from `loadDigits()`
 * @param split which rows form each part, e.g. from `stratifiedSplit`
 * @param opts.normalization 'scale' (default) or 'standardize'
 * @throws RangeError/TypeError if the split names a row outside the data set, a row twice, or no train row
 * @example prepareData(loadDigits(), split).train.size // split.train.length
 */
export function prepareData(dataset: ImageDataset, split: DataSplit, opts: { normalization?: NormalizationKind } = {}): PreparedData {
  const caller = 'prepareData';
  if (typeof dataset !== 'object' || dataset === null || !(dataset.features instanceof Float32Array)) {
    throw new TypeError(`${caller}: 'dataset' must be an ImageDataset (from loadDigits), got ${describe(dataset)}`);
  }
  checkSplit(split, dataset.size, caller);
  const kind = checkOneOf('normalization', opts.normalization ?? 'scale', NORMALIZATION_KINDS, caller);
  const normalization = normalizationFor(dataset, split.train, kind);
  return {
    name: dataset.name,
    imageShape: [...dataset.imageShape],
    numClasses: dataset.numClasses,
    split,
    normalization,
    train: takeRows(dataset, split.train, normalization),
    validation: takeRows(dataset, split.validation, normalization),
    test: takeRows(dataset, split.test, normalization),
  };
}

/**
 * The digits, split (stratified, from `rng`) and normalised, in one call.
 * @param rng the random stream of the split
 * @param opts split fractions (validation and test default 0.2, train the rest), normalization
 *   ('scale' by default), and an optional file path
 * @throws as loadDigits, stratifiedSplit and prepareData
 * @example prepareDigits(createRng(0)).train.size // 1078
 */
export function prepareDigits(
  rng: Rng,
  opts: Partial<SplitFractions> & { normalization?: NormalizationKind; path?: string } = {},
): PreparedData {
  const dataset = loadDigits({ path: opts.path });
  const split = stratifiedSplit(dataset.labels, rng, { train: opts.train, validation: opts.validation, test: opts.test });
  return prepareData(dataset, split, { normalization: opts.normalization });
}

/**
 * Tensors of one part of a prepared data set: features as NHWC images [n, h, w, c] (convolution
 * networks) or flat rows [n, h·w·c] (MLPs); labels one-hot float32 [n, classes] or int32 [n].
 * The caller owns the tensors and disposes them.
 * @param data the prepared data set
 * @param part 'train', 'validation' or 'test'
 * @param opts.layout 'nhwc' (default) or 'flat'; opts.labels 'onehot' (default) or 'int'
 * @throws RangeError for an unknown part, layout or label encoding
 * @example const { x, y } = dataTensors(data, 'train', { layout: 'flat' }); // x: [1078, 64], y: [1078, 10]
 */
export function dataTensors(
  data: PreparedData,
  part: SplitPart,
  opts: { layout?: FeatureLayout; labels?: LabelEncoding } = {},
): { x: tf.Tensor; y: tf.Tensor } {
  const caller = 'dataTensors';
  checkOneOf('part', part, SPLIT_PARTS, caller);
  const layout = checkOneOf('layout', opts.layout ?? 'nhwc', ['nhwc', 'flat'] as const, caller);
  const encoding = checkOneOf('labels', opts.labels ?? 'onehot', ['onehot', 'int'] as const, caller);
  const p = data[part];
  const [h, w, c] = data.imageShape;
  const x = tf.tensor(p.x, layout === 'nhwc' ? [p.size, h, w, c] : [p.size, h * w * c], 'float32');
  const y =
    encoding === 'int'
      ? tf.tensor1d(p.y, 'int32')
      : tf.tidy(() => tf.oneHot(tf.tensor1d(p.y, 'int32'), data.numClasses).toFloat());
  return { x, y };
}
