/**
 * Seeded training of an architecture on a prepared data set.
 *
 * `train(arch, data, opts)` builds the model (seeded initial weights), trains it with Adam or SGD
 * on mini-batches in a seeded order, evaluates on the validation part after every epoch (optionally
 * stopping early on the validation loss), then measures the test accuracy once, and releases every
 * tensor it made. Same seed and backend: same numbers.
 *
 * The loop is our own (optimizer.minimize on the model's trainable variables, one tidy per batch)
 * rather than `LayersModel.fit`: on the wasm backend fit was 7-19% slower for the same model, data
 * and batch order (bench/training.ts measures both), its own shuffling draws from Math.random, and
 * a per-step learning-rate schedule would need a callback per batch.
 */
import * as tf from '@tensorflow/tfjs';
import { checkFunction, checkInt, checkNumber, checkOneOf, describe } from '../core/checks';
import { checkRng, type Rng } from '../core/rng';
import { checkArchitecture, resolveNetworkOptions, type Architecture, type NetworkOptions, type ResolvedNetworkOptions } from './arch';
import { archCost } from './cost';
import { SPLIT_PARTS, dataTensors, splitChecksum, type PreparedData } from './data';
import { buildModel, inputLayout } from './models';

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

/** Largest batch evaluated at once; keeps memory flat for bigger data sets. */
const EVAL_CHUNK = 512;

/** Keeps log(0) out of the loss: the model ends in a softmax whose outputs can underflow to 0. */
const PROB_EPSILON = 1e-7;

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

function makeOptimizer(o: ResolvedTrainOptions): tf.Optimizer {
  if (o.optimizer === 'adam') return tf.train.adam(o.learningRate);
  return o.momentum > 0 ? tf.train.momentum(o.learningRate, o.momentum) : tf.train.sgd(o.learningRate);
}

/**
 * Changes an optimiser's step size in place, keeping its state (Adam's moments, the momentum).
 * SGD and momentum have `setLearningRate`; Adam has none, but reads its `learningRate` field at
 * every step, so the field is set directly.
 */
function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  // Not `instanceof tf.SGDOptimizer`: tfjs's Optimizer overrides instanceof with a duck-type test
  // that every optimiser passes.
  const sgd = optimizer as unknown as { setLearningRate?: (lr: number) => void };
  if (typeof sgd.setLearningRate === 'function') {
    sgd.setLearningRate(learningRate);
    return;
  }
  const o = optimizer as unknown as { learningRate?: number };
  if (typeof o.learningRate !== 'number') throw new Error(`train: cannot set the learning rate of ${optimizer.getClassName()}`);
  o.learningRate = learningRate;
}

/** The step size of step `t` of `total` (0-based). Cosine: lr·(1 + cos(π·t/total))/2. */
function scheduledRate(o: ResolvedTrainOptions, t: number, total: number): number {
  return o.schedule === 'constant' ? o.learningRate : (o.learningRate * (1 + Math.cos((Math.PI * t) / total))) / 2;
}

/** Mean cross-entropy between softmax outputs and one-hot labels. */
function crossEntropy(probs: tf.Tensor, oneHot: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.log(tf.clipByValue(probs, PROB_EPSILON, 1))), -1))) as tf.Scalar);
}

/** Number of rows whose arg-max output matches the one-hot label (a float32 scalar). */
function correctCount(probs: tf.Tensor, oneHot: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(probs, -1), tf.argMax(oneHot, -1)), 'float32')) as tf.Scalar);
}

/** Mean loss and accuracy in inference mode, in chunks. */
async function evaluate(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): Promise<{ loss: number; accuracy: number }> {
  const n = x.shape[0];
  const totals = tf.tidy(() => {
    let loss: tf.Tensor = tf.scalar(0);
    let correct: tf.Tensor = tf.scalar(0);
    for (let start = 0; start < n; start += EVAL_CHUNK) {
      const size = Math.min(EVAL_CHUNK, n - start);
      const xb = x.slice(start, size);
      const yb = y.slice(start, size);
      const probs = model.apply(xb, { training: false }) as tf.Tensor;
      loss = tf.add(loss, tf.mul(crossEntropy(probs, yb), size));
      correct = tf.add(correct, correctCount(probs, yb));
    }
    return tf.stack([loss, correct]);
  });
  const [loss, correct] = await totals.data();
  totals.dispose();
  return { loss: loss / n, accuracy: correct / n };
}

/** One epoch of mini-batch steps; returns the running mean loss and accuracy. */
async function trainEpoch(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
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
      setLearningRate(optimizer, rateOfBatch(b));
      const next = tf.tidy(() => {
        const xb = xs.slice(start, size);
        const yb = ys.slice(start, size);
        let probs: tf.Tensor | null = null;
        const loss = optimizer.minimize(
          () => {
            // Kept past minimize's own tidy so the batch accuracy costs no second forward pass.
            probs = tf.keep(model.apply(xb, { training: true }) as tf.Tensor);
            return crossEntropy(probs, yb);
          },
          true,
          variables,
        ) as tf.Scalar;
        const p = probs as unknown as tf.Tensor;
        const batch = tf.stack([tf.mul(loss, size), correctCount(p, yb)]);
        p.dispose();
        return tf.add(sums, batch);
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
  const optimizer = makeOptimizer(options);
  const layout = inputLayout(arch);
  const tensors = SPLIT_PARTS.map((part) => dataTensors(data, part, { layout }));
  const [trainT, valT, testT] = tensors;
  let best: { loss: number; epoch: number; weights: tf.Tensor[] | null } = { loss: Infinity, epoch: 0, weights: null };
  const history: EpochRecord[] = [];
  let stoppedEarly = false;
  try {
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const rows = Array.from({ length: data.train.size }, (_, i) => i);
    const stepsPerEpoch = Math.ceil(data.train.size / options.batchSize);
    const totalSteps = stepsPerEpoch * options.epochs;
    let waited = 0;
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const t0 = performance.now();
      const rate = (b: number) => scheduledRate(options, (epoch - 1) * stepsPerEpoch + b, totalSteps);
      const fit = await trainEpoch(model, optimizer, variables, trainT.x, trainT.y, batchRng.shuffle(rows), options.batchSize, rate);
      const val = await evaluate(model, valT.x, valT.y);
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
    const test = await evaluate(model, testT.x, testT.y);
    return {
      arch: JSON.parse(JSON.stringify(arch)) as Architecture,
      options,
      backend: tf.getBackend(),
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
    model.dispose();
  }
}
