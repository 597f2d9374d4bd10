/**
 * The fixed protocol of NAS-Bench-Digits: how every cell of the table is trained and measured, as
 * plain JSON recorded in every shard and table header, and the engine that ran it.
 *
 * A table is only worth anything if every row was made the same way; so the protocol is data, not
 * code defaults: the builder refuses to append to a shard made under a different protocol or
 * engine, and merge refuses to join shards that disagree.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkArray, checkInt, checkNumber, checkOneOf, checkString, describe } from '../../core/checks';
import { packageRoot } from '../../core/paths';
import { LEARNING_RATE_SCHEDULES, OPTIMIZER_NAMES, type LearningRateSchedule, type OptimizerName } from '../../tensor/train';

/** Everything that fixes the numbers of a NAS-Bench-Digits table. Plain JSON. */
export interface DigitsBenchProtocol {
  format: 'nas-bench-digits';
  version: 1;
  data: {
    /** Seed of the stratified split of the 1797 digits. */
    splitSeed: string;
    /** Fractions of the rows for train, validation and test (train may be smaller than the rest: a quick subset). */
    fractions: { train: number; validation: number; test: number };
  };
  /** How the cell is stacked into a network (see tensor/arch NetworkOptions). */
  network: { channels: number; cellsPerStage: number; stages: number };
  training: {
    epochs: number;
    batchSize: number;
    optimizer: OptimizerName;
    learningRate: number;
    schedule: LearningRateSchedule;
  };
  /** The epochs whose validation accuracy the README promises (the whole curve is recorded anyway). */
  checkpoints: number[];
  seeds: {
    /** Training seed of every cell. */
    primary: string;
    /** Training seed of the repeated cells (seed noise). */
    second: string;
    /** Fraction of cells trained a second time, chosen by a hash of the cell and `repeatKey`. */
    repeatFraction: number;
    repeatKey: string;
    /** Seed of `sample:N` cell selections. */
    sampleSeed: string;
  };
  latency: {
    batchSizes: number[];
    /** Timed runs per batch size; the median is recorded. */
    repeats: number;
    /** Untimed runs first (the first call compiles kernels and allocates). */
    warmup: number;
  };
}

/** The engine a table was built with. Numbers are reproducible on the same tfjs version, backend and kernels. */
export interface DigitsBenchEngine {
  tfjs: string;
  backend: string;
  nasbook: string;
  node: string;
  /** nasbook's wasm kernels the cells trained on; absent in tables made before the kernel pack, which means 'composed'. */
  kernels?: 'composed' | 'pack';
}

/**
 * The kernels NAS-Bench-Digits trains on: the composed ones, which built the shipped table. The
 * SIMD kernel pack sums in another order, and a few float32 roundings are enough to move a
 * 10-epoch run's accuracies, so the builder and `verify` switch the pack off (trainDigitsCell)
 * rather than give numbers the shipped rows cannot match.
 */
export const DIGITS_KERNELS: 'composed' | 'pack' = 'composed';

/**
 * The protocol of the shipped table. Data: validation and test are 20% of the digits each (360 and
 * 358 rows, as in the course's standard split) but only 30% train (541 rows), the rest unused: that
 * halves the cost and keeps accuracies off the ceiling (on 10 sampled cells the final validation
 * accuracy spread with sd 0.012 around 0.95, against sd 0.004 around 0.985 with 60% train).
 * Network: 8 channels, 2 stages (8x8 and 4x4), one cell per stage. Training: 10 epochs of Adam
 * (lr 0.01, cosine to 0) at batch 64. Measured here (wasm, one process): about 3 s per cell.
 */
export const DEFAULT_DIGITS_PROTOCOL: DigitsBenchProtocol = Object.freeze({
  format: 'nas-bench-digits',
  version: 1,
  data: { splitSeed: 'nas-bench-digits/split', fractions: { train: 0.3, validation: 0.2, test: 0.2 } },
  network: { channels: 8, cellsPerStage: 1, stages: 2 },
  training: { epochs: 10, batchSize: 64, optimizer: 'adam', learningRate: 0.01, schedule: 'cosine' },
  checkpoints: [1, 2, 4, 8],
  seeds: { primary: 'nas-bench-digits/seed0', second: 'nas-bench-digits/seed1', repeatFraction: 0.1, repeatKey: 'nas-bench-digits/repeat', sampleSeed: 'nas-bench-digits/sample' },
  latency: { batchSizes: [1, 64], repeats: 15, warmup: 2 },
}) as DigitsBenchProtocol;

/**
 * A protocol small enough for tests (well under a second per cell): 4 channels, 1 stage, 2 epochs
 * at a large step size on 20% of the digits (validation and test 5% each: 90 rows), so cells
 * already differ (validation accuracies about 0.1 to 0.3); half the cells are repeated so a
 * 3-cell build has second-seed rows.
 */
export const TINY_DIGITS_PROTOCOL: DigitsBenchProtocol = Object.freeze({
  format: 'nas-bench-digits',
  version: 1,
  data: { splitSeed: 'tiny/split', fractions: { train: 0.2, validation: 0.05, test: 0.05 } },
  network: { channels: 4, cellsPerStage: 1, stages: 1 },
  training: { epochs: 2, batchSize: 16, optimizer: 'adam', learningRate: 0.05, schedule: 'cosine' },
  checkpoints: [1, 2],
  seeds: { primary: 'tiny/seed0', second: 'tiny/seed1', repeatFraction: 0.5, repeatKey: 'tiny/repeat', sampleSeed: 'tiny/sample' },
  latency: { batchSizes: [1, 8], repeats: 3, warmup: 1 },
}) as DigitsBenchProtocol;

function checkObject(name: string, value: unknown, caller: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${caller}: '${name}' must be an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

/**
 * Checks a protocol field by field and returns a plain copy of it.
 * @param protocol the value to check (e.g. parsed from a shard header)
 * @param caller the public function's name, for the error message
 * @throws TypeError/RangeError naming the bad field
 * @example checkDigitsProtocol(DEFAULT_DIGITS_PROTOCOL, 'f').training.epochs // 10
 */
export function checkDigitsProtocol(protocol: unknown, caller: string): DigitsBenchProtocol {
  const p = checkObject('protocol', protocol, caller);
  checkOneOf('protocol.format', p.format, ['nas-bench-digits'], caller);
  checkOneOf('protocol.version', p.version, [1], caller);
  const data = checkObject('protocol.data', p.data, caller);
  const fr = checkObject('protocol.data.fractions', data.fractions, caller);
  const fractions = {
    train: checkNumber('protocol.data.fractions.train', fr.train, { min: 0, max: 1, exclusiveMin: true }, caller),
    validation: checkNumber('protocol.data.fractions.validation', fr.validation, { min: 0, max: 1, exclusiveMin: true }, caller),
    test: checkNumber('protocol.data.fractions.test', fr.test, { min: 0, max: 1, exclusiveMin: true }, caller),
  };
  if (fractions.train + fractions.validation + fractions.test > 1 + 1e-12) {
    throw new RangeError(`${caller}: 'protocol.data.fractions' must sum to at most 1, got ${fractions.train} + ${fractions.validation} + ${fractions.test}`);
  }
  const net = checkObject('protocol.network', p.network, caller);
  const tr = checkObject('protocol.training', p.training, caller);
  const epochs = checkInt('protocol.training.epochs', tr.epochs, { min: 1 }, caller);
  const checkpoints = checkArray<unknown>('protocol.checkpoints', p.checkpoints, {}, caller).map((c, i) =>
    checkInt(`protocol.checkpoints[${i}]`, c, { min: 1, max: epochs }, caller),
  );
  const seeds = checkObject('protocol.seeds', p.seeds, caller);
  const lat = checkObject('protocol.latency', p.latency, caller);
  return {
    format: 'nas-bench-digits',
    version: 1,
    data: { splitSeed: checkString('protocol.data.splitSeed', data.splitSeed, caller), fractions },
    network: {
      channels: checkInt('protocol.network.channels', net.channels, { min: 1, max: 4096 }, caller),
      cellsPerStage: checkInt('protocol.network.cellsPerStage', net.cellsPerStage, { min: 1, max: 64 }, caller),
      stages: checkInt('protocol.network.stages', net.stages, { min: 1, max: 3 }, caller),
    },
    training: {
      epochs,
      batchSize: checkInt('protocol.training.batchSize', tr.batchSize, { min: 1 }, caller),
      optimizer: checkOneOf('protocol.training.optimizer', tr.optimizer, OPTIMIZER_NAMES, caller),
      learningRate: checkNumber('protocol.training.learningRate', tr.learningRate, { min: 0, exclusiveMin: true }, caller),
      schedule: checkOneOf('protocol.training.schedule', tr.schedule, LEARNING_RATE_SCHEDULES, caller),
    },
    checkpoints,
    seeds: {
      primary: checkString('protocol.seeds.primary', seeds.primary, caller),
      second: checkString('protocol.seeds.second', seeds.second, caller),
      repeatFraction: checkNumber('protocol.seeds.repeatFraction', seeds.repeatFraction, { min: 0, max: 1 }, caller),
      repeatKey: checkString('protocol.seeds.repeatKey', seeds.repeatKey, caller),
      sampleSeed: checkString('protocol.seeds.sampleSeed', seeds.sampleSeed, caller),
    },
    latency: {
      batchSizes: checkArray<unknown>('protocol.latency.batchSizes', lat.batchSizes, { minLength: 1 }, caller).map((b, i) =>
        checkInt(`protocol.latency.batchSizes[${i}]`, b, { min: 1, max: 4096 }, caller),
      ),
      repeats: checkInt('protocol.latency.repeats', lat.repeats, { min: 1 }, caller),
      warmup: checkInt('protocol.latency.warmup', lat.warmup, { min: 0 }, caller),
    },
  };
}

/** JSON with object keys sorted at every level: equal protocols give equal strings. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Whether two protocols are the same (key order ignored).
 * @example sameDigitsProtocol(DEFAULT_DIGITS_PROTOCOL, TINY_DIGITS_PROTOCOL) // false
 */
export function sameDigitsProtocol(a: DigitsBenchProtocol, b: DigitsBenchProtocol): boolean {
  return stableJson(a) === stableJson(b);
}

function readVersion(manifest: string): string {
  try {
    return String((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version?: unknown }).version);
  } catch {
    return 'unknown';
  }
}

/**
 * The engine of this process: tfjs and nasbook versions, the tfjs backend in use, Node's version.
 * @param backend the backend name (from `init()`)
 * @example digitsBenchEngine('wasm') // { tfjs: '4.22.0', backend: 'wasm', nasbook: '0.1.0', node: 'v20...' }
 */
export function digitsBenchEngine(backend: string): DigitsBenchEngine {
  return {
    tfjs: readVersion(require.resolve('@tensorflow/tfjs/package.json')),
    backend: checkString('backend', backend, 'digitsBenchEngine'),
    nasbook: readVersion(path.join(packageRoot(), 'package.json')),
    node: process.version,
    kernels: DIGITS_KERNELS,
  };
}

/**
 * Whether numbers made under engine `b` can be compared to numbers made under `a`: the same tfjs
 * version, backend and kernels (Node and nasbook versions do not change the arithmetic of a fixed
 * protocol).
 */
export function compatibleEngines(a: DigitsBenchEngine, b: DigitsBenchEngine): boolean {
  return a.tfjs === b.tfjs && a.backend === b.backend && (a.kernels ?? 'composed') === (b.kernels ?? 'composed');
}
