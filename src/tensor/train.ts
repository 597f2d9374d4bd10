/**
 * Seeded training of an architecture on a prepared data set.
 *
 * `train(arch, data, opts)` builds the model (seeded initial weights), trains it with Adam or SGD
 * on mini-batches in a seeded order, evaluates on the validation part after every epoch (optionally
 * stopping early on the validation loss), then measures the test accuracy once, and releases every
 * tensor it made. Same seed and backend: same numbers.
 *
 * The loop is our own, a loop over the pieces of step.ts (trainStep with a GroupOptimizer over the
 * model's trainable variables, evaluate), rather than `LayersModel.fit`: on the wasm backend fit was
 * slower for the same model, data and batch order (bench/training.ts measures both), its own
 * shuffling draws from Math.random, and a per-step learning-rate schedule would need a callback
 * per batch.
 *
 * Where the kernel pack is loaded and covers the network, each step is the tape-free step of
 * ./engine (hand-written backward pass, fused optimiser, no tfjs kernel in the step), which writes
 * the weights back into the model before each evaluation; elsewhere (pack off, another backend, an
 * operation it does not cover) the step is trainStep's. `TrainResult.step` says which ran.
 */
import * as tf from '@tensorflow/tfjs';
import { checkFunction, checkInt, checkNumber, checkOneOf, describe } from '../core/checks';
import { checkRng, type Rng } from '../core/rng';
import { checkArchitecture, resolveNetworkOptions, type Architecture, type NetworkOptions, type ResolvedNetworkOptions } from './arch';
import { archCost } from './cost';
import { TapeFreeStep } from './engine';
import { describeChecked } from './network';
import { SPLIT_PARTS, dataTensors, splitChecksum, type PreparedData } from './data';
import { buildModel, inputLayout } from './models';
import { GroupOptimizer, evaluate, modelForward, trainStep, trainableGroup, type Forward, type OptimizerConfig } from './step';

/** The optimisers `train` offers. */
export type OptimizerName = 'adam' | 'sgd';

export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['adam', 'sgd'];

/** How the step size changes over a run: fixed, or cosine-annealed from `learningRate` to 0 over all steps (as NAS-Bench-201 trains). */
export type LearningRateSchedule = 'constant' | 'cosine';

export const LEARNING_RATE_SCHEDULES: readonly LearningRateSchedule[] = ['constant', 'cosine'];

/** Stop when the validation loss has not improved by more than `minDelta` for `patience` epochs. */
export interface EarlyStopping {
  patience: number;
  /** Smallest decrease that counts as an improvement (default 0). */
  minDelta?: number;
  /** Put back the weights of the best epoch before testing (default true). */
  restoreBest?: boolean;
}

/** Options of `train`. */
export interface TrainOptions {
  /** Seeds the initial weights (stream 'init') and the batch order (stream 'batches'). */
  rng: Rng;
  /** Epochs (default 10). */
  epochs?: number;
  /** Mini-batch size (default 64); the last batch of an epoch may be smaller. */
  batchSize?: number;
  /** 'adam' (default) or 'sgd'. */
  optimizer?: OptimizerName;
  /** Step size (default 0.01 for Adam and 0.05 for SGD). */
  learningRate?: number;
  /** SGD momentum in [0, 1) (default 0.9; 0 = plain SGD). Only for 'sgd'. */
  momentum?: number;
  /** 'cosine' (default) or 'constant'. */
  schedule?: LearningRateSchedule;
  earlyStopping?: EarlyStopping;
  /** How a cell is stacked into a network (ignored for MLPs). */
  network?: NetworkOptions;
  /** Called after every epoch with its record; may return a promise, which is awaited. */
  onEpoch?: (record: EpochRecord) => void | Promise<void>;
}

/** What one epoch did. Losses are mean cross-entropies; train figures are running means over the epoch's batches (training mode), validation figures are measured after it (inference mode). */
export interface EpochRecord {
  /** 1-based. */
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  validationLoss: number;
  validationAccuracy: number;
  /** Wall time of this epoch, validation included (not reproducible). */
  seconds: number;
}

/** The options a run used, defaults filled in. */
export interface ResolvedTrainOptions {
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  learningRate: number;
  momentum: number;
  schedule: LearningRateSchedule;
  earlyStopping: Required<EarlyStopping> | null;
  network: ResolvedNetworkOptions | null;
  seed: string;
}

/** The outcome of `train`. Plain data: JSON-safe. */
export interface TrainResult {
  arch: Architecture;
  options: ResolvedTrainOptions;
  /** The tfjs backend that ran it. */
  backend: string;
  /** Which training step ran: the tape-free step on the kernel pack, or trainStep with tfjs's gradient tape. */
  step: 'tape-free' | 'tape';
  /** Checksum of the data split (see splitChecksum), or null when the data carry no split. */
  split: string | null;
  /** Trainable parameters. */
  params: number;
  /** All parameters, batch-norm statistics included (tfjs countParams). */
  totalParams: number;
  /** Multiply-accumulates per example. */
  macs: number;
  history: EpochRecord[];
  /** The epoch whose weights were tested (the last one, or the best one when early stopping restored it). */
  testedEpoch: number;
  stoppedEarly: boolean;
  testLoss: number;
  testAccuracy: number;
  /** Wall time of the whole run, building and testing included (not reproducible). */
  wallSeconds: number;
}

const DEFAULT_LEARNING_RATE: Record<OptimizerName, number> = { adam: 0.01, sgd: 0.05 };

function resolveOptions(arch: Architecture, opts: TrainOptions, caller: string): ResolvedTrainOptions & { rng: Rng } {
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be an object with at least { rng }, got ${describe(opts)}`);
  const rng = checkRng('opts.rng', opts.rng, caller);
  const optimizer = checkOneOf('opts.optimizer', opts.optimizer ?? 'adam', OPTIMIZER_NAMES, caller);
  if (optimizer !== 'sgd' && opts.momentum !== undefined) {
    throw new RangeError(`${caller}: 'opts.momentum' applies to optimizer 'sgd' only, got momentum ${describe(opts.momentum)} with ${describe(optimizer)}`);
  }
  let earlyStopping: Required<EarlyStopping> | null = null;
  if (opts.earlyStopping !== undefined) {
    const es = opts.earlyStopping;
    if (typeof es !== 'object' || es === null) {
      throw new TypeError(`${caller}: 'opts.earlyStopping' must be an object { patience, minDelta?, restoreBest? }, got ${describe(es)}`);
    }
    const restoreBest = es.restoreBest ?? true;
    if (typeof restoreBest !== 'boolean') throw new TypeError(`${caller}: 'opts.earlyStopping.restoreBest' must be a boolean, got ${describe(restoreBest)}`);
    earlyStopping = {
      patience: checkInt('opts.earlyStopping.patience', es.patience, { min: 1 }, caller),
      minDelta: checkNumber('opts.earlyStopping.minDelta', es.minDelta ?? 0, { min: 0 }, caller),
      restoreBest,
    };
  }
  if (opts.onEpoch !== undefined) checkFunction('opts.onEpoch', opts.onEpoch, caller);
  return {
    rng,
    seed: rng.seed,
    epochs: checkInt('opts.epochs', opts.epochs ?? 10, { min: 1 }, caller),
    batchSize: checkInt('opts.batchSize', opts.batchSize ?? 64, { min: 1 }, caller),
    optimizer,
    learningRate: checkNumber('opts.learningRate', opts.learningRate ?? DEFAULT_LEARNING_RATE[optimizer], { min: 0, exclusiveMin: true }, caller),
    momentum: optimizer === 'sgd' ? checkNumber('opts.momentum', opts.momentum ?? 0.9, { min: 0, max: 1, exclusiveMax: true }, caller) : 0,
    schedule: checkOneOf('opts.schedule', opts.schedule ?? 'cosine', LEARNING_RATE_SCHEDULES, caller),
    earlyStopping,
    network: arch.kind === 'cell' ? resolveNetworkOptions(opts.network, caller, 'opts.network.') : null,
  };
}

function checkData(data: PreparedData, caller: string): void {
  if (typeof data !== 'object' || data === null || !Array.isArray(data.imageShape)) {
    throw new TypeError(`${caller}: 'data' must be a PreparedData (from prepareData or prepareDigits), got ${describe(data)}`);
  }
  checkInt('data.numClasses', data.numClasses, { min: 2 }, caller);
  const d = data.imageShape.reduce((a, b) => a * b, 1);
  for (const part of SPLIT_PARTS) {
    const p = data[part];
    if (typeof p !== 'object' || p === null || !(p.x instanceof Float32Array) || !Array.isArray(p.y)) {
      throw new TypeError(`${caller}: 'data.${part}' must be a part { x: Float32Array, y: number[], size }, got ${describe(p)}`);
    }
    checkInt(`data.${part}.size`, p.size, { min: 1 }, caller);
    if (p.x.length !== p.size * d || p.y.length !== p.size) {
      throw new RangeError(`${caller}: 'data.${part}' must hold ${p.size} rows of ${d} features and ${p.size} labels, got ${p.x.length} features and ${p.y.length} labels`);
    }
    p.y.forEach((y, i) => checkInt(`data.${part}.y[${i}]`, y, { min: 0, max: data.numClasses - 1 }, caller));
  }
}

/** The optimiser settings of a run. */
function optimizerConfig(o: ResolvedTrainOptions): OptimizerConfig {
  return o.optimizer === 'adam' ? { kind: 'adam', learningRate: o.learningRate } : { kind: 'sgd', learningRate: o.learningRate, momentum: o.momentum };
}

/** The optimiser `train` uses for a model's weights on the tape path. */
function makeOptimizer(model: tf.LayersModel, o: ResolvedTrainOptions): GroupOptimizer {
  return new GroupOptimizer(trainableGroup(model), optimizerConfig(o));
}

/** The step size of step `t` of `total` (0-based). Cosine: lr·(1 + cos(π·t/total))/2. */
function scheduledRate(o: ResolvedTrainOptions, t: number, total: number): number {
  return o.schedule === 'constant' ? o.learningRate : (o.learningRate * (1 + Math.cos((Math.PI * t) / total))) / 2;
}

/** One epoch of tape-free steps on the rows of x and y in `order`; returns the running mean loss and accuracy. */
function tapeFreeEpoch(
  step: TapeFreeStep,
  x: tf.Tensor,
  y: tf.Tensor,
  order: number[],
  batchSize: number,
  rateOfBatch: (b: number) => number,
): { loss: number; accuracy: number } {
  const n = order.length;
  const [xs, ys] = tf.tidy(() => {
    const idx = tf.tensor1d(order, 'int32');
    return [tf.gather(x, idx), tf.gather(y, idx)];
  });
  try {
    let loss = 0;
    let correct = 0;
    for (let start = 0, b = 0; start < n; start += batchSize, b++) {
      const size = Math.min(batchSize, n - start);
      step.learningRate = rateOfBatch(b);
      const r = step.step(xs, ys, start, size);
      loss += r.loss * size;
      correct += r.correct;
    }
    step.syncToModel();
    return { loss: loss / n, accuracy: correct / n };
  } finally {
    xs.dispose();
    ys.dispose();
  }
}

/** One epoch of mini-batch steps; returns the running mean loss and accuracy. */
async function trainEpoch(
  forward: Forward,
  optimizer: GroupOptimizer,
  x: tf.Tensor,
  y: tf.Tensor,
  order: number[],
  batchSize: number,
  rateOfBatch: (b: number) => number,
): Promise<{ loss: number; accuracy: number }> {
  const n = order.length;
  // One gather per epoch puts the rows in this epoch's order; batches are then contiguous slices.
  const [xs, ys] = tf.tidy(() => {
    const idx = tf.tensor1d(order, 'int32');
    return [tf.gather(x, idx), tf.gather(y, idx)];
  });
  let sums: tf.Tensor = tf.zeros([2]);
  try {
    for (let start = 0, b = 0; start < n; start += batchSize, b++) {
      const size = Math.min(batchSize, n - start);
      optimizer.learningRate = rateOfBatch(b);
      const next = tf.tidy(() => {
        const { loss, correct } = trainStep(forward, optimizer, { x: xs.slice(start, size), y: ys.slice(start, size) });
        return tf.add(sums, tf.stack([tf.mul(loss, size), correct]));
      });
      sums.dispose();
      sums = next;
    }
    const [loss, correct] = await sums.data();
    return { loss: loss / n, accuracy: correct / n };
  } finally {
    sums.dispose();
    xs.dispose();
    ys.dispose();
  }
}

/**
 * Trains an architecture on a prepared data set and tests it: seeded initial weights and batch
 * order, Adam or SGD, per-epoch train and validation loss and accuracy, optional early stopping
 * on the validation loss, and the final test accuracy. Every tensor made is released, also on error.
 * @param arch an MLP genome or a cell
 * @param data a prepared data set (from prepareDigits or prepareData); validation and test must be non-empty
 * @param opts rng (required), epochs (10), batchSize (64), optimizer ('adam'), learningRate (0.01
 *   Adam, 0.05 SGD), momentum (SGD only, 0.9), schedule ('cosine' from learningRate to 0 over the
 *   planned epochs, or 'constant'), earlyStopping ({ patience, minDelta, restoreBest }),
 *   network (cell networks: channels, cellsPerStage, stages), onEpoch (progress callback)
 * @throws TypeError/RangeError naming the bad option, architecture or data field
 * @example const r = await train({ kind: 'mlp', widths: [64, 32, 16] }, prepareDigits(createRng(0)), { rng: createRng(1) });
 * r.testAccuracy // 0.94 here (wasm); other seeds 0.94 to 0.98
 */
export async function train(arch: Architecture, data: PreparedData, opts: TrainOptions): Promise<TrainResult> {
  const caller = 'train';
  checkArchitecture(arch, caller);
  checkData(data, caller);
  const { rng, ...options } = resolveOptions(arch, opts, caller);
  const started = performance.now();
  const shape = { inputShape: data.imageShape, numClasses: data.numClasses, ...(options.network ?? {}) };
  const cost = archCost(arch, shape);
  const batchRng = rng.child('batches');
  const model = buildModel(arch, { ...shape, rng: rng.child('init') });
  const optimizer = makeOptimizer(model, options);
  const tapeFree = TapeFreeStep.compile(describeChecked(arch, shape, caller), model, optimizerConfig(options), options.batchSize);
  const forward = modelForward(model);
  const layout = inputLayout(arch);
  const tensors = SPLIT_PARTS.map((part) => dataTensors(data, part, { layout }));
  const [trainT, valT, testT] = tensors;
  let best: { loss: number; epoch: number; weights: tf.Tensor[] | null } = { loss: Infinity, epoch: 0, weights: null };
  const history: EpochRecord[] = [];
  let stoppedEarly = false;
  try {
    const rows = Array.from({ length: data.train.size }, (_, i) => i);
    const stepsPerEpoch = Math.ceil(data.train.size / options.batchSize);
    const totalSteps = stepsPerEpoch * options.epochs;
    let waited = 0;
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const t0 = performance.now();
      const rate = (b: number) => scheduledRate(options, (epoch - 1) * stepsPerEpoch + b, totalSteps);
      const order = batchRng.shuffle(rows);
      const fit = typeof tapeFree === 'string'
        ? await trainEpoch(forward, optimizer, trainT.x, trainT.y, order, options.batchSize, rate)
        : tapeFreeEpoch(tapeFree, trainT.x, trainT.y, order, options.batchSize, rate);
      const val = await evaluate(forward, valT.x, valT.y);
      if (!Number.isFinite(fit.loss) || !Number.isFinite(val.loss)) {
        throw new Error(`${caller}: the loss diverged to ${fit.loss} (train) / ${val.loss} (validation) in epoch ${epoch}; lower 'opts.learningRate' (now ${options.learningRate})`);
      }
      const record: EpochRecord = {
        epoch,
        trainLoss: fit.loss,
        trainAccuracy: fit.accuracy,
        validationLoss: val.loss,
        validationAccuracy: val.accuracy,
        seconds: (performance.now() - t0) / 1000,
      };
      history.push(record);
      if (opts.onEpoch) await opts.onEpoch({ ...record });
      const es = options.earlyStopping;
      if (!es) continue;
      if (val.loss < best.loss - es.minDelta) {
        best.weights?.forEach((w) => w.dispose());
        best = { loss: val.loss, epoch, weights: es.restoreBest ? model.getWeights().map((w) => w.clone()) : null };
        waited = 0;
      } else if (++waited >= es.patience) {
        stoppedEarly = epoch < options.epochs;
        break;
      }
    }
    let testedEpoch = history.length;
    if (options.earlyStopping?.restoreBest && best.weights && best.epoch !== history.length) {
      model.setWeights(best.weights);
      testedEpoch = best.epoch;
    }
    const test = await evaluate(forward, testT.x, testT.y);
    return {
      arch: JSON.parse(JSON.stringify(arch)) as Architecture,
      options,
      backend: tf.getBackend(),
      step: typeof tapeFree === 'string' ? 'tape' : 'tape-free',
      split: data.split ? splitChecksum(data.split) : null,
      params: cost.params,
      totalParams: cost.totalParams,
      macs: cost.macs,
      history,
      testedEpoch,
      stoppedEarly,
      testLoss: test.loss,
      testAccuracy: test.accuracy,
      wallSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    best.weights?.forEach((w) => w.dispose());
    for (const t of tensors) {
      t.x.dispose();
      t.y.dispose();
    }
    optimizer.dispose();
    if (typeof tapeFree !== 'string') tapeFree.dispose();
    model.dispose();
  }
}
