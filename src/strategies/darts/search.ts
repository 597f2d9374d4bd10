/**
 * DARTS (Liu et al. 2019) on the NAS-Bench-201 cell space: a supernet whose every cell edge is a
 * softmax(α)-weighted mixture of the five operations, trained by alternating two steps on each
 * pair of batches:
 *
 * 1. α on a validation batch: Adam, β = (0.5, 0.999), weight decay 1e-3 on α (the paper's), with
 *    the gradient of first or second order (below);
 * 2. the weights w on a training batch: SGD with momentum 0.9, weight decay 3e-4, step size
 *    cosine-annealed from 0.025 to 0.001 over the planned steps (the paper's, per step here
 *    instead of per epoch).
 *
 * The paper's α step size is 3e-4 for about 20,000 steps (50 epochs of 391 batches on CIFAR-10);
 * a search here takes tens to hundreds of steps, and Adam moves a parameter by about its step size
 * per step, so the default is ten times the paper's, 3e-3 (set `alphaLearningRate` to change it).
 * Weight decay is coupled (added to the gradient, as PyTorch's SGD and Adam do); GroupOptimizer
 * has none of its own. Left out: the paper's gradient clipping at norm 5.
 *
 * First order (`order: 1`) takes α's gradient of L_val(w, α) at the current w. Second order
 * (`order: 2`) takes the gradient of L_val(w', α) at one unrolled weight step
 * w' = w − ξ(∇w L_train(w, α) + decay·w), ξ the weight step size of this step (the paper's eq. 6-7;
 * the paper's code also adds the momentum buffer to the unrolled step, left out here):
 *
 *   ∇α L_val(w', α) − ξ ∇²α,w L_train(w, α) ∇w' L_val(w', α),
 *
 * with the Hessian-vector product by central differences (eq. 8), which needs no second
 * derivatives: (∇α L_train(w⁺, α) − ∇α L_train(w⁻, α)) / 2ε at w± = w ± ε∇w' L_val(w', α),
 * ε = 0.01 / ‖∇w' L_val(w', α)‖. That costs three more forward-backward passes per α step. The passes
 * at temporary weights leave the batch-norm moving statistics alone.
 *
 * Optionally, after every α step each edge's α is replaced by its sparse projection
 * (projectEdgeWeights: α ← S_λ(α − μ), Σα = 1), which zeroes small scores exactly.
 */
import * as tf from '@tensorflow/tfjs';
import { checkArray, checkInt, checkNumber, checkOneOf, describe } from '../../core/checks';
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
  /** α's gradient: 1 (first order, default) or 2 (second order, the finite-difference Hessian-vector product). */
  order?: DartsOrder;
}

/** DARTS's α gradient: first order (w as it is) or second order (w unrolled by one step). */
export type DartsOrder = 1 | 2;

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
 * A DARTS search (first or second order) over the NAS-Bench-201 cell space, as a one-shot strategy: the
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
  /** Zeros in place of a weight's missing gradient, by variable name. */
  private readonly zeros = new Map<string, tf.Tensor>();

  /**
   * @param opts see DartsSearchOptions
   * @throws TypeError/RangeError naming the bad option (rng not an Rng, steps not a positive integer, a step size <= 0, order not 1 or 2, ...)
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
      order: checkOneOf('opts.order', opts.order ?? 1, [1, 2] as const, caller),
    };
    const cell = withCandidates(nb201CellArch(nb201Cell(NB201_EDGES.map(() => 'none'))), NB201_OPS);
    this.supernet = buildSupernet(cell, { inputShape: this.o.inputShape, numClasses: this.o.numClasses, ...DIGITS_NETWORK, ...(opts.network ?? {}), rng });
    this.weightOpt = new GroupOptimizer(this.supernet.weights, { kind: 'sgd', learningRate: this.o.weightLearningRate, momentum: this.o.momentum });
    this.alphaOpt = new GroupOptimizer(this.supernet.alpha, { kind: 'adam', learningRate: this.o.alphaLearningRate, beta1: 0.5, beta2: 0.999 });
    const order = this.o.order === 1 ? '1st order' : '2nd order';
    this.name = this.o.projectionLambda === undefined ? `DARTS (${order})` : `DARTS (${order}, projection λ=${this.o.projectionLambda})`;
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
    const learningRate = this.nextLearningRate();
    const validationLoss = this.o.order === 1
      ? this.groupStep(this.alphaOpt, validation, this.o.alphaWeightDecay)
      : this.secondOrderAlphaStep(train, validation, learningRate);
    if (this.o.projectionLambda !== undefined) this.projectAlpha(this.o.projectionLambda);
    this.weightOpt.learningRate = learningRate;
    const trainLoss = this.groupStep(this.weightOpt, train, this.o.weightDecay);
    const record: DartsStepRecord = { step: this.history.length + 1, trainLoss, validationLoss, learningRate, alpha: this.alphaRows(), weights: this.weightRows() };
    this.history.push(record);
    return record;
  }

  /**
   * The gradient the next α step would take (before α's weight decay), without taking it: first or
   * second order as the search's `order`, at the next step's weight step size. Leaves the weights,
   * α and the batch-norm statistics as they were.
   * @param batches train (second order only) and validation batches
   * @returns one row per edge of NB201_EDGES, one column per operation of NB201_OPS
   * @throws TypeError if a batch the order needs is missing or not { x, y } tensors
   * @example darts.alphaGradient(batches[0])[0] // ∂/∂α of edge 1<-0's five operations
   */
  alphaGradient(batches: OneShotBatches): number[][] {
    const caller = 'DartsSearch.alphaGradient';
    if (typeof batches !== 'object' || batches === null) throw new TypeError(`${caller}: 'batches' must be { train, validation }, got ${describe(batches)}`);
    const validation = checkBatch('batches.validation', batches.validation, caller);
    const { grads, loss } = this.o.order === 1
      ? this.firstOrderAlphaGradient(validation)
      : this.secondOrderAlphaGradient(checkBatch('batches.train', batches.train, caller), validation, this.nextLearningRate());
    const rows = NB201_EDGES.map((e) => Array.from(grads[this.alphaIndex(e)].dataSync()));
    tf.dispose([...grads, loss]);
    return rows;
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
    tf.dispose([...this.zeros.values()]);
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

  /** w's step size for the next step: cosine from weightLearningRate to weightLearningRateMin over the planned steps. */
  private nextLearningRate(): number {
    const t = Math.min(this.history.length, this.o.steps);
    const { weightLearningRate: hi, weightLearningRateMin: lo } = this.o;
    return lo + ((hi - lo) * (1 + Math.cos((Math.PI * t) / this.o.steps))) / 2;
  }

  /** A second-order α step (gradient as secondOrderAlphaGradient, then Adam with coupled decay); returns L_val(w', α). */
  private secondOrderAlphaStep(train: Batch, validation: Batch, xi: number): number {
    const { grads, loss } = this.secondOrderAlphaGradient(train, validation, xi);
    const decay = this.o.alphaWeightDecay;
    tf.tidy(() => this.alphaOpt.apply(this.supernet.alpha.variables.map((v, i) => (decay > 0 ? tf.add(grads[i], tf.mul(v, decay)) : grads[i]))));
    const out = loss.dataSync()[0];
    tf.dispose([...grads, loss]);
    return out;
  }

  /** ∇α L_val(w, α) at the current w, leaving the moving statistics alone; the caller disposes the tensors. */
  private firstOrderAlphaGradient(validation: Batch): { grads: tf.Tensor[]; loss: tf.Scalar } {
    const alpha = this.supernet.alpha.variables as tf.Variable[];
    const { value, grads } = tf.variableGrads(() => this.batchStatsLoss(validation), alpha);
    return { grads: alpha.map((v) => grads[v.name]), loss: value };
  }

  /**
   * Second-order DARTS's α gradient (see the file header): unroll w by one step of size ξ, take
   * ∇α and ∇w' of L_val there, subtract ξ times the central-difference Hessian-vector product.
   * The weights are restored before returning; the caller disposes the tensors.
   */
  private secondOrderAlphaGradient(train: Batch, validation: Batch, xi: number): { grads: tf.Tensor[]; loss: tf.Scalar } {
    const w = this.supernet.weights.variables as tf.Variable[];
    const alpha = this.supernet.alpha.variables as tf.Variable[];
    const saved = w.map((v) => tf.keep(v.clone()));
    try {
      // w' = w − ξ (∇w L_train(w, α) + decay·w): the unrolled weights.
      tf.tidy(() => {
        const g = this.weightGrads(() => this.batchStatsLoss(train), w);
        w.forEach((v, i) => v.assign(tf.sub(v, tf.mul(tf.add(g[i], tf.mul(v, this.o.weightDecay)), xi))));
      });
      const unrolled = tf.variableGrads(() => this.batchStatsLoss(validation), [...w, ...alpha]);
      const dw = w.map((v) => unrolled.grads[v.name] ?? this.zerosOf(v));
      const norm = tf.tidy(() => Math.sqrt(dw.reduce((s, g) => s + tf.sum(tf.square(g)).dataSync()[0], 0)));
      // ∇α L_train at w ± ε·dw; with dw = 0 the product is 0 and ε is moot.
      const epsilon = norm > 0 ? 0.01 / norm : 0;
      const trainAlphaGrads = (sign: 1 | -1) => {
        tf.tidy(() => w.forEach((v, i) => v.assign(tf.add(saved[i], tf.mul(dw[i], sign * epsilon)))));
        const { value, grads } = tf.variableGrads(() => this.batchStatsLoss(train), alpha);
        value.dispose();
        return alpha.map((v) => grads[v.name]);
      };
      const plus = epsilon > 0 ? trainAlphaGrads(1) : [];
      const minus = epsilon > 0 ? trainAlphaGrads(-1) : [];
      const grads = alpha.map((v, i) => tf.tidy(() => {
        const direct = unrolled.grads[v.name];
        return epsilon > 0 ? tf.sub(direct, tf.mul(tf.sub(plus[i], minus[i]), xi / (2 * epsilon))) : direct.clone();
      }));
      tf.dispose([...Object.values(unrolled.grads), ...plus, ...minus]);
      return { grads, loss: unrolled.value };
    } finally {
      w.forEach((v, i) => v.assign(saved[i]));
      tf.dispose(saved);
    }
  }

  /** Cross-entropy of the mixture on a batch, batch norm on batch statistics without touching the moving ones. */
  private batchStatsLoss(batch: Batch): tf.Scalar {
    return crossEntropy(this.supernet.forwardBatchStats(batch.x), batch.y);
  }

  /** Gradients of f for every variable in order, zeros for one f does not reach. */
  private weightGrads(f: () => tf.Scalar, vars: tf.Variable[]): tf.Tensor[] {
    const { value, grads } = tf.variableGrads(f, vars);
    value.dispose();
    return vars.map((v) => grads[v.name] ?? this.zerosOf(v));
  }

  private zerosOf(v: tf.Variable): tf.Tensor {
    let z = this.zeros.get(v.name);
    if (!z) {
      z = tf.keep(tf.zerosLike(v));
      this.zeros.set(v.name, z);
    }
    return z;
  }

  /** Replaces every edge's α by its sparse projection. */
  private projectAlpha(lambda: number): void {
    const projected = projectEdgeWeights(this.alphaRows(), lambda);
    tf.tidy(() => NB201_EDGES.forEach((e, i) => this.alphaVariable(e).assign(tf.tensor1d(projected[i]))));
  }

  private alphaVariable(e: { from: number; to: number }): tf.Variable {
    return this.supernet.alpha.variables[this.alphaIndex(e)] as tf.Variable;
  }

  /** The index of an edge's α in the supernet's alpha group. */
  private alphaIndex(e: { from: number; to: number }): number {
    return this.supernet.cell.edges.findIndex((c) => c.from === e.from && c.to === e.to);
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
