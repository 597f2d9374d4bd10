/**
 * Single-path one-shot training (SPOS; Guo et al., "Single Path One-Shot Neural Architecture Search
 * with Uniform Sampling", ECCV 2020) over the NAS-Bench-201 cell space, on the NAS-Bench-Digits
 * network: every training step draws one operation per cell edge uniformly at random and updates
 * only the weights that path uses; after training, any cell of the space is scored with the
 * weights it inherits from the supernet, without training of its own.
 *
 * What differs from the paper, and why: the paper trains with SGD (momentum 0.9, step size 0.5,
 * linear decay) for 120 ImageNet epochs. Here the supernet is trained as NAS-Bench-Digits trains
 * each cell stand-alone (Adam, step size 0.01, batch 64, the same data split) but at a constant step
 * size, so that the supernet after E epochs is the same run at every budget: the ranking after
 * 1, 2, 4, ... epochs is one training curve, not separate trainings.
 *
 * ```ts
 * const spos = new SposSupernet(digitsBenchData(DEFAULT_DIGITS_PROTOCOL), { rng: createRng(0) });
 * await spos.trainEpochs(4);
 * await spos.inheritedAccuracy(cell, { recalibrate: true });   // validation accuracy, inherited weights
 * spos.dispose();
 * ```
 */
import * as tf from '@tensorflow/tfjs';
import { checkInt, checkNumber, checkOneOf, describe } from '../../core/checks';
import { checkRng, type Rng } from '../../core/rng';
import { NB201_EDGES, NB201_OPS, checkNb201Cell, nb201Cell, nb201CellArch, type Nb201Cell } from '../../spaces/nb201';
import { withCandidates, type CellArch, type NetworkOptions } from '../../tensor/arch';
import { dataTensors, type PreparedData } from '../../tensor/data';
import { GroupOptimizer, disposeStep, trainStep, type Batch } from '../../tensor/step';
import { buildSupernet, type Supernet } from '../../tensor/supernet';
import { nb201Space } from '../../spaces/nb201Space';
import { RegularizedEvolution } from '../../strategies/evolution/regularized';
import type { ArchitectureWeights, OneShotBatches, OneShotStepRecord, OneShotStrategy } from '../../strategies/oneshot';
import { runSearchAsync, type Trial } from '../../strategies/types';

/** The NAS-Bench-Digits network around the cell: 8 channels, 2 stages, 1 cell per stage. */
export const SPOS_DIGITS_NETWORK: Required<NetworkOptions> = Object.freeze({ channels: 8, cellsPerStage: 1, stages: 2 });

/** Options of a SposSupernet. */
export interface SposOptions {
  /** Seeds the weights (rng.child('init')), the batch order (rng.child('batches')) and the paths (rng.child('paths')). */
  rng: Rng;
  /** The network around the cell (default SPOS_DIGITS_NETWORK). */
  network?: NetworkOptions;
  /** Adam's constant step size (default 0.01, NAS-Bench-Digits' initial one). */
  learningRate?: number;
  /** Rows per training step (default 64). */
  batchSize?: number;
  /** Training batches batch norm is recalibrated on before an inherited-weight evaluation (default 4). */
  recalibrationBatches?: number;
}

/** Options of the search over inherited-weight accuracy (SposSupernet.search). */
export interface SposSearchOptions {
  /** Seeds the search. */
  rng: Rng;
  /** Cells evaluated (default 100). */
  trials?: number;
  /** Regularized evolution's population (default 20) and tournament size (default 5). */
  population?: number;
  sample?: number;
}

/** Options of an inherited-weight evaluation. */
export interface InheritedOptions {
  /** Recompute batch norm's statistics for this path on a few training batches first (default false: the supernet's moving statistics). */
  recalibrate?: boolean;
}

/**
 * A supernet over the NAS-Bench-201 cell (all five operations on every edge) trained by uniform
 * single-path sampling on a prepared data set, which it holds as tensors until `dispose()`. As a
 * one-shot strategy (strategies/oneshot.ts): `step` trains one path on `batches.train`, the
 * architecture weights are uniform (SPOS learns none), and `derive()` searches the trained
 * supernet by regularized evolution over recalibrated inherited accuracy.
 */
export class SposSupernet implements OneShotStrategy {
  readonly name = 'SPOS';
  readonly supernet: Supernet;
  /** Epochs trained so far. */
  epochs = 0;
  /** Steps trained so far. */
  steps = 0;
  /** Wall time spent in training steps so far (seconds). */
  trainSeconds = 0;
  readonly batchSize: number;
  private readonly optimizer: GroupOptimizer;
  private readonly batchRng: Rng;
  private readonly pathRng: Rng;
  private readonly deriveRng: Rng;
  private readonly train: { x: tf.Tensor; y: tf.Tensor };
  private readonly validation: { x: tf.Tensor; y: tf.Tensor };
  private readonly recalibration: Batch[];

  /**
   * @param data a prepared image data set (e.g. digitsBenchData(DEFAULT_DIGITS_PROTOCOL))
   * @param opts see SposOptions
   * @throws TypeError/RangeError naming the bad option (rng not an Rng, a step size <= 0, a batch size < 1)
   */
  constructor(data: PreparedData, opts: SposOptions) {
    const caller = 'SposSupernet';
    if (typeof data !== 'object' || data === null || !data.train || !data.validation) {
      throw new TypeError(`${caller}: 'data' must be prepared data { train, validation, imageShape, numClasses }, got ${describe(data)}`);
    }
    if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be { rng, ... }, got ${describe(opts)}`);
    const rng = checkRng('opts.rng', opts.rng, caller);
    const learningRate = checkNumber('opts.learningRate', opts.learningRate ?? 0.01, { min: 0, exclusiveMin: true }, caller);
    this.batchSize = checkInt('opts.batchSize', opts.batchSize ?? 64, { min: 1 }, caller);
    const recalibrationBatches = checkInt('opts.recalibrationBatches', opts.recalibrationBatches ?? 4, { min: 1 }, caller);
    const cell = withCandidates(nb201CellArch(nb201Cell(NB201_EDGES.map(() => 'none'))), NB201_OPS);
    this.supernet = buildSupernet(cell, { inputShape: data.imageShape, numClasses: data.numClasses, ...SPOS_DIGITS_NETWORK, ...(opts.network ?? {}), rng: rng.child('init') });
    this.optimizer = new GroupOptimizer(this.supernet.weights, { kind: 'adam', learningRate });
    this.batchRng = rng.child('batches');
    this.pathRng = rng.child('paths');
    this.deriveRng = rng.child('derive');
    this.train = dataTensors(data, 'train', { layout: 'nhwc' });
    this.validation = dataTensors(data, 'validation', { layout: 'nhwc' });
    // A fixed set of training batches, so every path is recalibrated on the same rows.
    const order = rng.child('recalibration').shuffle(Array.from({ length: data.train.size }, (_, i) => i));
    this.recalibration = this.cut(order).slice(0, recalibrationBatches);
  }

  /** Row indices cut into batches of `batchSize` (the last may be shorter), gathered from the training tensors. */
  private cut(rows: readonly number[]): Batch[] {
    const out: Batch[] = [];
    for (let s = 0; s < rows.length; s += this.batchSize) {
      const idx = tf.tensor1d(rows.slice(s, s + this.batchSize), 'int32');
      out.push({ x: tf.gather(this.train.x, idx), y: tf.gather(this.train.y, idx) });
      idx.dispose();
    }
    return out;
  }

  /**
   * One SPOS step: a uniformly drawn path, one Adam step of its weights on `batches.train`.
   * @returns the batch's loss and the path trained
   * @throws TypeError if `batches.train` is not { x, y } tensors
   */
  step(batches: OneShotBatches): OneShotStepRecord & { path: CellArch } {
    const batch = batches?.train;
    if (!(batch?.x instanceof tf.Tensor) || !(batch.y instanceof tf.Tensor)) {
      throw new TypeError(`SposSupernet.step: 'batches.train' must be { x: tf.Tensor, y: tf.Tensor (one-hot) }, got ${describe(batch)}`);
    }
    const path = this.supernet.samplePath(this.pathRng);
    const t0 = performance.now();
    const result = trainStep(this.supernet.pathForward(path), this.optimizer, batch);
    const trainLoss = result.loss.dataSync()[0];
    disposeStep(result);
    this.trainSeconds += (performance.now() - t0) / 1000;
    this.steps++;
    return { trainLoss, path };
  }

  /**
   * Trains `epochs` more epochs: each a seeded shuffle of the training rows cut into batches, one
   * uniformly drawn path per batch.
   * @param epochs whole epochs (>= 0)
   * @returns the mean training loss of each epoch
   * @throws RangeError if epochs is not an integer >= 0; Error if the loss diverges
   */
  async trainEpochs(epochs: number): Promise<number[]> {
    const caller = 'SposSupernet.trainEpochs';
    checkInt('epochs', epochs, { min: 0 }, caller);
    const losses: number[] = [];
    for (let e = 0; e < epochs; e++) {
      const t0 = performance.now();
      const rows = this.batchRng.shuffle(Array.from({ length: this.train.x.shape[0] }, (_, i) => i));
      const batches = this.cut(rows);
      this.trainSeconds += (performance.now() - t0) / 1000;
      let sum = 0;
      for (const b of batches) sum += this.step({ train: b }).trainLoss;
      tf.dispose(batches.flatMap((b) => [b.x, b.y]));
      const loss = sum / batches.length;
      if (!Number.isFinite(loss)) throw new Error(`${caller}: the loss diverged to ${loss} in epoch ${this.epochs + 1}; lower 'opts.learningRate'`);
      losses.push(loss);
      this.epochs++;
    }
    return losses;
  }

  /**
   * Validation accuracy of a cell with the weights it inherits from the supernet (inference mode).
   * @param cell a NAS-Bench-201 cell (every operation is one the supernet offers)
   * @param opts recalibrate: recompute batch norm's statistics for this path first
   * @throws TypeError/RangeError for a cell that is not a NAS-Bench-201 cell
   * @example await spos.inheritedAccuracy(parseNb201Cell('|conv3x3~0|+|skip~0|conv1x1~1|+|none~0|skip~1|avgpool3x3~2|'))
   */
  async inheritedAccuracy(cell: Nb201Cell, opts: InheritedOptions = {}): Promise<number> {
    const caller = 'SposSupernet.inheritedAccuracy';
    checkNb201Cell(cell, caller);
    const recalibrate = checkOneOf('opts.recalibrate', opts.recalibrate ?? false, [true, false] as const, caller);
    const path = nb201CellArch(cell);
    const r = await this.supernet.evaluateSubnet(path, this.validation.x, this.validation.y, recalibrate ? { recalibrate: this.recalibration } : {});
    return r.accuracy;
  }

  /** Uniform weights on every edge: SPOS samples operations uniformly and learns no α. */
  architectureWeights(): ArchitectureWeights {
    return Object.fromEntries(NB201_EDGES.map((e) => [`${e.to}<-${e.from}`, { candidates: [...NB201_OPS], weights: NB201_OPS.map(() => 1 / NB201_OPS.length) }]));
  }

  /**
   * Regularized evolution (Real et al. 2019) over the canonical NAS-Bench-201 cells, scored by
   * recalibrated inherited accuracy, as SPOS searches its trained supernet.
   * @param opts rng, trials (100), population (20), sample (5)
   * @returns every trial in order (cell and inherited accuracy)
   * @throws TypeError/RangeError for a bad rng, trials, population or sample
   */
  async search(opts: SposSearchOptions): Promise<Trial<Nb201Cell>[]> {
    const caller = 'SposSupernet.search';
    const rng = checkRng('opts.rng', opts?.rng, caller);
    const trials = checkInt('opts.trials', opts.trials ?? 100, { min: 1 }, caller);
    const strategy = new RegularizedEvolution<Nb201Cell>({ space: nb201Space({ dedupe: 'canonical' }), population: opts.population ?? 20, sample: opts.sample ?? 5 });
    return runSearchAsync(strategy, (c) => this.inheritedAccuracy(c, { recalibrate: true }), { trials, rng });
  }

  /** The cell the search returns: its best-scored trial (100 trials, seeded by the supernet's rng). */
  async derive(): Promise<CellArch> {
    const history = await this.search({ rng: this.deriveRng });
    const best = history.reduce((b, t) => (t.score > b.score ? t : b), history[0]);
    return nb201CellArch(best.arch);
  }

  /** Releases the supernet, its optimiser and its data tensors. */
  dispose(): void {
    this.optimizer.dispose();
    tf.dispose([this.train.x, this.train.y, this.validation.x, this.validation.y, ...this.recalibration.flatMap((b) => [b.x, b.y])]);
    this.supernet.dispose();
  }
}
