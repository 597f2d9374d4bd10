/**
 * DARTS (Liu et al. 2019) on the NAS-Bench-201 cell space, first order: a supernet whose every cell
 * edge is a softmax(α)-weighted mixture of the five operations, trained by alternating two steps on
 * each pair of batches:
 *
 * 1. α on a validation batch: Adam, β = (0.5, 0.999), weight decay 1e-3 on α (the paper's);
 * 2. the weights w on a training batch: SGD with momentum 0.9, weight decay 3e-4, step size
 *    cosine-annealed from 0.025 to 0.001 over the planned steps (the paper's, per step here
 *    instead of per epoch).
 *
 * The paper's α step size is 3e-4 for about 20,000 steps (50 epochs of 391 batches on CIFAR-10);
 * a search here takes tens to hundreds of steps, and Adam moves a parameter by about its step size
 * per step, so the default is ten times the paper's, 3e-3 (set `alphaLearningRate` to change it).
 * Weight decay is coupled (added to the gradient, as PyTorch's SGD and Adam do); GroupOptimizer
 * has none of its own. Left out: the paper's gradient clipping at norm 5, and the second-order
 * variant (the finite-difference Hessian-vector product): only first order is implemented.
 *
 * Optionally, after every α step each edge's α is replaced by its sparse projection
 * (projectEdgeWeights: α ← S_λ(α − μ), Σα = 1), which zeroes small scores exactly.
 */
import * as tf from '@tensorflow/tfjs';
import { checkArray, checkInt, checkNumber, describe } from '../../core/checks';
import { checkRng, type Rng } from '../../core/rng';
import { withCandidates, type CellArch, type CellOp, type NetworkOptions } from '../../tensor/arch';
import { crossEntropy, GroupOptimizer, type Batch } from '../../tensor/step';
import { argmaxCell, buildSupernet, edgeKey, type Supernet } from '../../tensor/supernet';
import { NB201_EDGES, NB201_OPS, nb201Cell, nb201CellArch, type Nb201Cell, type Nb201Op } from '../../spaces/nb201';
import type { ArchitectureWeights, OneShotBatches, OneShotStepRecord, OneShotStrategy } from '../oneshot';
import { nb201ConstrainedPath } from './path';
import { projectEdgeWeights } from './projection';

/** The operations with weights: what the ℓ_min repair counts (average pooling has none, so it does not count). */
export const PARAMETRIC_OPS: readonly CellOp[] = ['conv1x1', 'conv3x3'];

/** The NAS-Bench-Digits network (DEFAULT_DIGITS_PROTOCOL.network): 8 channels, 2 stages, 1 cell per stage. */
const DIGITS_NETWORK: Required<NetworkOptions> = { channels: 8, cellsPerStage: 1, stages: 2 };

/** Options of a DARTS search. Defaults are the DARTS paper's, scaled as the file header says. */
export interface DartsSearchOptions {
  /** Seeds the supernet's weights and α. */
  rng: Rng;
  /** Planned number of steps: the length of the cosine schedule of w's step size. */
  steps: number;
  /** The network around the cell (default NAS-Bench-Digits': 8 channels, 2 stages, 1 cell per stage). */
  network?: NetworkOptions;
  /** Input image shape (default [8, 8, 1], the digits). */
  inputShape?: [number, number, number];
  /** Classes (default 10). */
  numClasses?: number;
  /** w: initial and final step size of the cosine schedule (0.025, 0.001), momentum (0.9), weight decay (3e-4). */
  weightLearningRate?: number;
  weightLearningRateMin?: number;
  momentum?: number;
  weightDecay?: number;
  /** α: Adam step size (3e-3 = 10 × the paper's 3e-4) and weight decay (1e-3). */
  alphaLearningRate?: number;
  alphaWeightDecay?: number;
  /** λ of the sparse projection of every edge's α after each α step; omit for plain DARTS. */
  projectionLambda?: number;
}

/** What one step recorded: the losses and α after it. */
export interface DartsStepRecord extends OneShotStepRecord {
  /** 1-based step number. */
  step: number;
  validationLoss: number;
  /** w's step size used in this step. */
  learningRate: number;
  /** α after the step: one row per edge of NB201_EDGES, one column per operation of NB201_OPS. */
  alpha: number[][];
  /** softmax(α), same layout: the architecture weights. */
  weights: number[][];
}

/** The cells a DARTS result derives to, in NAS-Bench-201 form. */
export interface DartsDerivedCells {
  /** Argmax per edge over all five operations. */
  withNone: Nb201Cell;
  /** Argmax per edge with 'none' excluded (NAS-Bench-201's rule). */
  withoutNone: Nb201Cell;
  /** The ℓ_min repair (nb201ConstrainedPath on softmax(α)): the best path with at least ℓ_min convolutions (PARAMETRIC_OPS). */
  repaired: Nb201Cell;
  /** The ℓ_min the repair used. */
  lMin: number;
}

/**
 * A first-order DARTS search over the NAS-Bench-201 cell space, as a one-shot strategy: the
 * caller feeds pairs of batches to `step` (w on `train`, α on `validation`) and asks `derive()`.
 * @example
 * const darts = new DartsSearch({ rng: createRng(0), steps: 60 });
 * for (const b of batches) darts.step(b);            // b = { train, validation }
 * darts.derivedCells().withoutNone                     // a NAS-Bench-201 cell
 * darts.dispose();
 */
export class DartsSearch implements OneShotStrategy {
  readonly name: string;
  readonly supernet: Supernet;
  /** One record per step taken, α included. */
  readonly history: DartsStepRecord[] = [];
  private readonly weightOpt: GroupOptimizer;
  private readonly alphaOpt: GroupOptimizer;
  private readonly o: Required<Omit<DartsSearchOptions, 'rng' | 'network' | 'projectionLambda'>> & { projectionLambda?: number };

  /**
   * @param opts see DartsSearchOptions
   * @throws TypeError/RangeError naming the bad option (rng not an Rng, steps not a positive integer, a step size <= 0, ...)
   */
  constructor(opts: DartsSearchOptions) {
    const caller = 'DartsSearch';
    if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be { rng, steps, ... }, got ${describe(opts)}`);
    const rng = checkRng('opts.rng', opts.rng, caller);
    const positive = (name: keyof DartsSearchOptions, fallback: number) => checkNumber(`opts.${name}`, opts[name] ?? fallback, { min: 0, exclusiveMin: true }, caller);
    const nonNegative = (name: keyof DartsSearchOptions, fallback: number) => checkNumber(`opts.${name}`, opts[name] ?? fallback, { min: 0 }, caller);
    this.o = {
      steps: checkInt('opts.steps', opts.steps, { min: 1 }, caller),
      inputShape: opts.inputShape ?? [8, 8, 1],
      numClasses: opts.numClasses ?? 10,
      weightLearningRate: positive('weightLearningRate', 0.025),
      weightLearningRateMin: nonNegative('weightLearningRateMin', 0.001),
      momentum: checkNumber('opts.momentum', opts.momentum ?? 0.9, { min: 0, max: 1, exclusiveMax: true }, caller),
      weightDecay: nonNegative('weightDecay', 3e-4),
      alphaLearningRate: positive('alphaLearningRate', 3e-3),
      alphaWeightDecay: nonNegative('alphaWeightDecay', 1e-3),
      projectionLambda: opts.projectionLambda === undefined ? undefined : nonNegative('projectionLambda', 0),
    };
    const cell = withCandidates(nb201CellArch(nb201Cell(NB201_EDGES.map(() => 'none'))), NB201_OPS);
    this.supernet = buildSupernet(cell, { inputShape: this.o.inputShape, numClasses: this.o.numClasses, ...DIGITS_NETWORK, ...(opts.network ?? {}), rng });
    this.weightOpt = new GroupOptimizer(this.supernet.weights, { kind: 'sgd', learningRate: this.o.weightLearningRate, momentum: this.o.momentum });
    this.alphaOpt = new GroupOptimizer(this.supernet.alpha, { kind: 'adam', learningRate: this.o.alphaLearningRate, beta1: 0.5, beta2: 0.999 });
    this.name = this.o.projectionLambda === undefined ? 'DARTS (1st order)' : `DARTS (1st order, projection λ=${this.o.projectionLambda})`;
  }

  /**
   * One DARTS step: α on `validation`, then w on `train` (the order of the paper's code).
   * @param batches train and validation batches (inputs, one-hot labels)
   * @returns the step's record (losses, step size, α and softmax(α) after the step)
   * @throws TypeError if either batch is missing or not { x, y } tensors
   */
  step(batches: OneShotBatches): DartsStepRecord {
    const caller = 'DartsSearch.step';
    if (typeof batches !== 'object' || batches === null) throw new TypeError(`${caller}: 'batches' must be { train, validation }, got ${describe(batches)}`);
    const validation = checkBatch('batches.validation', batches.validation, caller);
    const train = checkBatch('batches.train', batches.train, caller);
    const validationLoss = this.groupStep(this.alphaOpt, validation, this.o.alphaWeightDecay);
    if (this.o.projectionLambda !== undefined) this.projectAlpha(this.o.projectionLambda);
    const t = Math.min(this.history.length, this.o.steps);
    const { weightLearningRate: hi, weightLearningRateMin: lo } = this.o;
    const learningRate = lo + ((hi - lo) * (1 + Math.cos((Math.PI * t) / this.o.steps))) / 2;
    this.weightOpt.learningRate = learningRate;
    const trainLoss = this.groupStep(this.weightOpt, train, this.o.weightDecay);
    const record: DartsStepRecord = { step: this.history.length + 1, trainLoss, validationLoss, learningRate, alpha: this.alphaRows(), weights: this.weightRows() };
    this.history.push(record);
    return record;
  }

  /** softmax(α) per edge, keyed '2<-0', with the candidates (the one-shot interface's view). */
  architectureWeights(): ArchitectureWeights {
    return this.supernet.architectureWeights();
  }

  /** The cell DARTS returns: argmax of α per edge, 'none' excluded (NAS-Bench-201's rule). */
  derive(): CellArch {
    return argmaxCell(this.supernet, { exclude: ['none'] });
  }

  /**
   * The three discretisations of the current α: argmax with and without 'none', and the ℓ_min repair.
   * @param lMin ℓ_min of the repair, 0..3 (default 2)
   * @throws RangeError for ℓ_min outside 0..3 (as nb201ConstrainedPath)
   */
  derivedCells(lMin = 2): DartsDerivedCells {
    const toNb201 = (arch: CellArch): Nb201Cell => {
      const byEdge = new Map(arch.edges.map((e) => [edgeKey(e), e.op as Nb201Op]));
      return nb201Cell(NB201_EDGES.map((e) => byEdge.get(edgeKey(e)) as Nb201Op));
    };
    return {
      withNone: toNb201(argmaxCell(this.supernet)),
      withoutNone: toNb201(this.derive()),
      repaired: nb201ConstrainedPath(this.weightRows(), lMin, { counted: PARAMETRIC_OPS }).cell,
      lMin,
    };
  }

  /** Releases the supernet and the optimisers' state. */
  dispose(): void {
    this.weightOpt.dispose();
    this.alphaOpt.dispose();
    this.supernet.dispose();
  }

  /** One optimiser step of a group on a batch, with coupled weight decay; returns the batch's loss. */
  private groupStep(opt: GroupOptimizer, batch: Batch, decay: number): number {
    const loss = tf.tidy(() => {
      const vars = opt.group.variables as tf.Variable[];
      const { value, grads } = tf.variableGrads(() => crossEntropy(this.supernet.forward(batch.x, true), batch.y), vars);
      opt.apply(vars.map((v) => (decay > 0 ? tf.add(grads[v.name], tf.mul(v, decay)) : grads[v.name])));
      return value;
    });
    const out = loss.dataSync()[0];
    loss.dispose();
    return out;
  }

  /** Replaces every edge's α by its sparse projection. */
  private projectAlpha(lambda: number): void {
    const projected = projectEdgeWeights(this.alphaRows(), lambda);
    NB201_EDGES.forEach((e, i) => this.alphaVariable(e).assign(tf.tensor1d(projected[i])));
  }

  private alphaVariable(e: { from: number; to: number }): tf.Variable {
    const i = this.supernet.cell.edges.findIndex((c) => c.from === e.from && c.to === e.to);
    return this.supernet.alpha.variables[i] as tf.Variable;
  }

  /** α in NB201_EDGES × NB201_OPS layout (the supernet's candidates are NB201_OPS, in that order). */
  private alphaRows(): number[][] {
    return NB201_EDGES.map((e) => Array.from(this.alphaVariable(e).dataSync()));
  }

  private weightRows(): number[][] {
    const w = this.architectureWeights();
    return NB201_EDGES.map((e) => w[edgeKey(e)].weights.slice());
  }
}

function checkBatch(name: string, batch: unknown, caller: string): Batch {
  const b = batch as Batch;
  if (typeof b !== 'object' || b === null || !(b.x instanceof tf.Tensor) || !(b.y instanceof tf.Tensor)) {
    throw new TypeError(`${caller}: '${name}' must be { x: tf.Tensor, y: tf.Tensor (one-hot) }, got ${describe(batch)}`);
  }
  if (b.x.shape[0] !== b.y.shape[0]) throw new RangeError(`${caller}: '${name}.x' and '${name}.y' must have the same number of rows, got ${b.x.shape[0]} and ${b.y.shape[0]}`);
  return b;
}

/**
 * The batches of one search epoch: the training rows shuffled and cut into batches, each paired
 * with a batch of shuffled validation rows (cycled when the validation split is shorter). The
 * tensors are views the caller disposes with `disposeDartsBatches`.
 * @param train training inputs and one-hot labels; @param validation the same for validation
 * @param batchSize rows per batch (>= 1)
 * @param rng the order of the rows
 * @throws TypeError/RangeError for bad tensors, batch size or rng
 * @example const bs = dartsEpochBatches(tr, va, 64, rng.child(epoch)); bs.forEach((b) => darts.step(b)); disposeDartsBatches(bs);
 */
export function dartsEpochBatches(train: Batch, validation: Batch, batchSize: number, rng: Rng): Required<OneShotBatches>[] {
  const caller = 'dartsEpochBatches';
  checkBatch('train', train, caller);
  checkBatch('validation', validation, caller);
  checkInt('batchSize', batchSize, { min: 1 }, caller);
  checkRng('rng', rng, caller);
  const order = (n: number) => rng.shuffle(Array.from({ length: n }, (_, i) => i));
  const nt = train.x.shape[0];
  const nv = validation.x.shape[0];
  const to = order(nt);
  const vo = order(nv);
  const out: Required<OneShotBatches>[] = [];
  for (let s = 0; s < nt; s += batchSize) {
    const size = Math.min(batchSize, nt - s);
    const ti = to.slice(s, s + size);
    const vi = ti.map((_, k) => vo[(s + k) % nv]);
    out.push(tf.tidy(() => ({
      train: { x: tf.gather(train.x, ti), y: tf.gather(train.y, ti) },
      validation: { x: tf.gather(validation.x, vi), y: tf.gather(validation.y, vi) },
    })));
  }
  checkArray('batches', out, { minLength: 1 }, caller);
  return out;
}

/** Releases the tensors of dartsEpochBatches. */
export function disposeDartsBatches(batches: readonly Required<OneShotBatches>[]): void {
  for (const b of batches) tf.dispose([b.train.x, b.train.y, b.validation.x, b.validation.y]);
}

/** The operations' names in α's column order, for labels. */
export const DARTS_OPS: readonly CellOp[] = NB201_OPS;
