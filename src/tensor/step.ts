/**
 * Training as pieces you can drive: a loss, one optimisation step for a named group of variables,
 * evaluation on a split, and an optimiser that holds its state. `train()` is a loop over these;
 * a DARTS search alternates two of them (weights on the training split, architecture weights on
 * the validation split):
 *
 * ```ts
 * const w = new GroupOptimizer({ name: 'weights', variables: weightVars }, { kind: 'sgd', learningRate: 0.025, momentum: 0.9 });
 * const a = new GroupOptimizer({ name: 'alpha', variables: alphaVars }, { kind: 'adam', learningRate: 3e-3 });
 * for (let i = 0; i < steps; i++) {
 *   disposeStep(trainStep(forward, w, trainBatches[i]));
 *   disposeStep(trainStep(forward, a, validationBatches[i]));
 * }
 * ```
 *
 * Why our own optimiser rather than tf.train.adam: tfjs updates each variable with about ten
 * kernel calls, so a cell network of 40 weight tensors spends 400+ tiny kernel calls per step in
 * the optimiser alone. `GroupOptimizer` concatenates the gradients and keeps its moments as one
 * flat vector, so a step is about fifteen kernel calls on one vector plus one slice per variable,
 * whatever the number of variables. The arithmetic is tfjs's, operation for operation, so a
 * network trains to the same bits as with tf.train.adam / momentum / sgd (tested).
 *
 * A second reason, for supernets: tfjs 4.22's Adam and momentum optimisers index their moments by
 * the position of a variable among the gradients of the current step, so when the set of variables
 * with a gradient changes from step to step (a sampled path), moments land on the wrong variables.
 * GroupOptimizer keys its state by the group's fixed variable order.
 */
import type * as TF from '@tensorflow/tfjs';
import { checkArray, checkFunction, checkNumber, checkOneOf, checkString, describe } from '../core/checks';
import { lazyModule } from '../core/lazy';

// tfjs on the first step or evaluation: the supernet builds on this file, and the zero-cost proxies on
// the supernet, and a chapter's grader process that only imports them should not load tfjs (core/lazy.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tf = lazyModule((): typeof TF => require('@tensorflow/tfjs'));

/** Keeps log(0) out of the loss: networks end in a softmax whose outputs can underflow to 0. */
export const PROB_EPSILON = 1e-7;

/** Largest batch evaluated at once; keeps memory flat for bigger data sets. */
const EVAL_CHUNK = 512;

/**
 * A network as a function: softmax probabilities [n, classes] for a batch, in training mode
 * (batch statistics, which also update batch norm's moving averages) or inference mode.
 */
export type Forward = (x: TF.Tensor, training: boolean) => TF.Tensor;

/** A mini-batch: inputs and one-hot labels, same number of rows. */
export interface Batch {
  x: TF.Tensor;
  y: TF.Tensor;
}

/** A named set of trainable variables that one optimiser updates (the weights, or a supernet's α). */
export interface VariableGroup {
  name: string;
  variables: readonly TF.Variable[];
}

/** The optimisers offered. */
export type OptimizerKind = 'adam' | 'sgd';

/** Settings of a GroupOptimizer. */
export interface OptimizerConfig {
  kind: OptimizerKind;
  /** Step size (> 0); may be changed between steps through `learningRate`. */
  learningRate: number;
  /** SGD only: momentum in [0, 1) (default 0: plain SGD). */
  momentum?: number;
  /** Adam only: decay of the first and second moments (defaults 0.9, 0.999). */
  beta1?: number;
  beta2?: number;
  /** Adam only: added to the root of the second moment (default: the backend's epsilon, as tfjs). */
  epsilon?: number;
}

/** What a step returns: its mean loss and the number of correctly classified rows (scalars the caller disposes). */
export interface StepResult {
  loss: TF.Scalar;
  correct: TF.Scalar;
}

/**
 * A network's forward function from a tfjs model.
 * @example const forward = modelForward(buildModel(arch, opts)); forward(x, false) // probabilities
 */
export function modelForward(model: TF.LayersModel): Forward {
  return (x, training) => model.apply(x, { training }) as TF.Tensor;
}

/**
 * The group of a model's trainable variables, in the model's weight order.
 * @example trainableGroup(model, 'weights').variables.length // one per kernel, bias, gamma, beta
 */
export function trainableGroup(model: TF.LayersModel, name = 'weights'): VariableGroup {
  return { name, variables: model.trainableWeights.map((w) => w.read() as TF.Variable) };
}

/**
 * Mean cross-entropy between softmax outputs and one-hot labels, with probabilities clipped at 1e-7.
 * @param probs [n, classes] probabilities
 * @param oneHot [n, classes] one-hot labels
 * @example crossEntropy(tf.tensor2d([[0.5, 0.5]]), tf.tensor2d([[1, 0]])).dataSync()[0] // 0.693
 */
export function crossEntropy(probs: TF.Tensor, oneHot: TF.Tensor): TF.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.log(tf.clipByValue(probs, PROB_EPSILON, 1))), -1))) as TF.Scalar);
}

/**
 * Number of rows whose arg-max output matches the one-hot label, as a float32 scalar.
 * @example correctCount(tf.tensor2d([[0.9, 0.1], [0.2, 0.8]]), tf.tensor2d([[1, 0], [1, 0]])).dataSync()[0] // 1
 */
export function correctCount(probs: TF.Tensor, oneHot: TF.Tensor): TF.Scalar {
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(probs, -1), tf.argMax(oneHot, -1)), 'float32')) as TF.Scalar);
}

/** A tensor as a vector; a vector as it is (a reshape is a kernel call, which a step pays per variable). */
function asVector(t: TF.Tensor): TF.Tensor {
  return t.rank === 1 ? t : t.reshape([-1]);
}

/** The flat layout of a group: where each variable's values sit in the concatenated vector. */
interface FlatLayout {
  sizes: number[];
  total: number;
}

/**
 * An optimiser over one named group of variables, holding its state (Adam's moments or SGD's
 * momentum as flat vectors, and its step count) between steps. A variable that receives no
 * gradient in a step (a candidate off a supernet's sampled path) is left as it was, and so is its
 * state, as in PyTorch: Adam's bias correction counts, per value, the steps that updated it.
 */
export class GroupOptimizer {
  readonly group: VariableGroup;
  readonly kind: OptimizerKind;
  /** Step size of the next step; set it to follow a schedule. */
  learningRate: number;
  readonly momentum: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Steps taken. */
  iterations = 0;
  private readonly layout: FlatLayout;
  /** Adam: first and second moments; SGD with momentum: the accumulation in `first`. */
  private first: TF.Tensor1D | null = null;
  private second: TF.Tensor1D | null = null;
  /** Adam: β1^t and β2^t per value (t = that value's own step count, starting at 1). */
  private accBeta1: TF.Tensor1D | null = null;
  private accBeta2: TF.Tensor1D | null = null;
  /** Zeros standing in for a missing gradient, one per variable, made on first need. */
  private readonly zeros = new Map<number, TF.Tensor>();

  /**
   * @param group the variables to update, with a name for messages
   * @param config kind ('adam' | 'sgd'), learningRate, and momentum (SGD) or beta1/beta2/epsilon (Adam)
   * @throws TypeError/RangeError naming the bad field
   */
  constructor(group: VariableGroup, config: OptimizerConfig) {
    const caller = 'GroupOptimizer';
    if (typeof group !== 'object' || group === null) throw new TypeError(`${caller}: 'group' must be { name, variables }, got ${describe(group)}`);
    checkString('group.name', group.name, caller);
    const vars = checkArray<unknown>('group.variables', group.variables, { minLength: 1 }, caller);
    vars.forEach((v, i) => {
      if (!(v instanceof tf.Variable) || !v.trainable) throw new TypeError(`${caller}: 'group.variables[${i}]' must be a trainable tf.Variable, got ${describe(v)}`);
    });
    if (typeof config !== 'object' || config === null) throw new TypeError(`${caller}: 'config' must be { kind, learningRate, ... }, got ${describe(config)}`);
    this.kind = checkOneOf('config.kind', config.kind, ['adam', 'sgd'] as const, caller);
    this.learningRate = checkNumber('config.learningRate', config.learningRate, { min: 0, exclusiveMin: true }, caller);
    if (this.kind === 'adam' && config.momentum !== undefined) throw new RangeError(`${caller}: 'config.momentum' applies to kind 'sgd' only, got ${describe(config.momentum)} with 'adam'`);
    this.momentum = checkNumber('config.momentum', config.momentum ?? 0, { min: 0, max: 1, exclusiveMax: true }, caller);
    this.beta1 = checkNumber('config.beta1', config.beta1 ?? 0.9, { min: 0, max: 1, exclusiveMax: true }, caller);
    this.beta2 = checkNumber('config.beta2', config.beta2 ?? 0.999, { min: 0, max: 1, exclusiveMax: true }, caller);
    this.epsilon = checkNumber('config.epsilon', config.epsilon ?? tf.backend().epsilon(), { min: 0, exclusiveMin: true }, caller);
    this.group = { name: group.name, variables: [...group.variables] };
    const sizes = this.group.variables.map((v) => v.size);
    this.layout = { sizes, total: sizes.reduce((a, b) => a + b, 0) };
  }

  /**
   * Applies one update from gradients given in the group's variable order (`undefined` or null
   * for a variable that had none this step). Disposes nothing it is given.
   * @throws RangeError when the number of gradients or a gradient's shape does not match
   */
  apply(grads: readonly (TF.Tensor | null | undefined)[]): void {
    const vars = this.group.variables;
    if (grads.length !== vars.length) {
      throw new RangeError(`GroupOptimizer.apply: 'grads' must hold one gradient per variable of group '${this.group.name}' (${vars.length}), got ${grads.length}`);
    }
    const present = grads.map((g) => g !== null && g !== undefined);
    if (!present.some((p) => p)) return;
    grads.forEach((g, i) => {
      if (g && g.size !== vars[i].size) {
        throw new RangeError(`GroupOptimizer.apply: gradient ${i} of group '${this.group.name}' must have shape ${describe(vars[i].shape)}, got ${describe(g.shape)}`);
      }
    });
    const everyVariable = present.every((p) => p);
    const flat = tf.tidy(() => {
      const g = tf.concat(grads.map((t, i) => asVector(t ?? this.zeroGrad(i))));
      const mask = everyVariable ? null : this.maskOf(present);
      const value = tf.concat(vars.map(asVector));
      const newValue = this.kind === 'adam' ? this.adamUpdate(g, value, mask) : this.sgdUpdate(g, value, mask);
      return tf.split(newValue, this.layout.sizes) as TF.Tensor[];
    });
    flat.forEach((piece, i) => {
      if (present[i]) vars[i].assign(vars[i].rank === 1 ? piece : piece.reshape(vars[i].shape));
      piece.dispose();
    });
    this.iterations++;
  }

  /** Keeps `next` where the mask is set (the values that had a gradient) and `previous` elsewhere. */
  private masked(mask: TF.Tensor | null, next: TF.Tensor, previous: TF.Tensor): TF.Tensor {
    return mask ? tf.where(mask, next, previous) : next;
  }

  /** tfjs's Adam, operation for operation, on the flat vectors. Returns the new flat values. */
  private adamUpdate(g: TF.Tensor, value: TF.Tensor, mask: TF.Tensor | null): TF.Tensor {
    const n = this.layout.total;
    const m = this.first ?? (tf.keep(tf.zeros([n])) as TF.Tensor1D);
    const v = this.second ?? (tf.keep(tf.zeros([n])) as TF.Tensor1D);
    const acc1 = this.accBeta1 ?? (tf.keep(tf.fill([n], this.beta1)) as TF.Tensor1D);
    const acc2 = this.accBeta2 ?? (tf.keep(tf.fill([n], this.beta2)) as TF.Tensor1D);
    const newM = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
    const newV = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
    const mHat = tf.div(newM, tf.sub(1, acc1));
    const vHat = tf.div(newV, tf.sub(1, acc2));
    const newValue = tf.add(tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), this.epsilon)), -this.learningRate), value);
    this.first = this.replace(m, this.masked(mask, newM, m));
    this.second = this.replace(v, this.masked(mask, newV, v));
    this.accBeta1 = this.replace(acc1, this.masked(mask, tf.mul(acc1, this.beta1), acc1));
    this.accBeta2 = this.replace(acc2, this.masked(mask, tf.mul(acc2, this.beta2), acc2));
    return newValue;
  }

  /** tfjs's SGD (momentum = 0) or momentum optimiser, operation for operation, on the flat vectors. */
  private sgdUpdate(g: TF.Tensor, value: TF.Tensor, mask: TF.Tensor | null): TF.Tensor {
    const c = tf.scalar(-this.learningRate);
    if (this.momentum === 0) return tf.add(tf.mul(c, g), value);
    const acc = this.first ?? (tf.keep(tf.zeros([this.layout.total])) as TF.Tensor1D);
    const newAcc = tf.add(tf.mul(tf.scalar(this.momentum), acc), g);
    this.first = this.replace(acc, this.masked(mask, newAcc, acc));
    return tf.add(tf.mul(c, newAcc), value);
  }

  /** Keeps `next` past the tidy and releases `previous`. */
  private replace(previous: TF.Tensor, next: TF.Tensor): TF.Tensor1D {
    const kept = tf.keep(next === previous ? next.clone() : next) as TF.Tensor1D;
    previous.dispose();
    return kept;
  }

  private zeroGrad(i: number): TF.Tensor {
    let z = this.zeros.get(i);
    if (!z) {
      z = tf.keep(tf.zeros(this.group.variables[i].shape));
      this.zeros.set(i, z);
    }
    return z;
  }

  private maskOf(present: boolean[]): TF.Tensor {
    const m = new Uint8Array(this.layout.total);
    let offset = 0;
    present.forEach((p, i) => {
      if (p) m.fill(1, offset, offset + this.layout.sizes[i]);
      offset += this.layout.sizes[i];
    });
    return tf.tensor1d(m, 'bool');
  }

  /** Releases the optimiser's state (not the variables). */
  dispose(): void {
    for (const t of [this.first, this.second, this.accBeta1, this.accBeta2]) t?.dispose();
    this.first = this.second = this.accBeta1 = this.accBeta2 = null;
    for (const z of this.zeros.values()) z.dispose();
    this.zeros.clear();
  }
}

/**
 * One optimisation step on a batch: the forward pass in training mode, the cross-entropy loss, its
 * gradients with respect to the optimiser's group only, and the optimiser's update. Other
 * variables (another group, batch norm's statistics aside) are not touched.
 * @param forward the network (see modelForward; a supernet's forward with its path)
 * @param optimizer the optimiser of the group to update
 * @param batch inputs and one-hot labels
 * @returns the batch's mean loss and its number of correct rows, as scalars the caller disposes
 * @throws TypeError for a forward that is not a function or a batch without x and y
 * @example const { loss, correct } = trainStep(modelForward(model), opt, { x, y }); loss.dataSync()[0]
 */
export function trainStep(forward: Forward, optimizer: GroupOptimizer, batch: Batch): StepResult {
  const caller = 'trainStep';
  checkFunction('forward', forward, caller);
  if (!(optimizer instanceof GroupOptimizer)) throw new TypeError(`${caller}: 'optimizer' must be a GroupOptimizer, got ${describe(optimizer)}`);
  checkBatch(batch, caller);
  return tf.tidy(() => {
    let probs: TF.Tensor | null = null;
    const vars = optimizer.group.variables as TF.Variable[];
    const { value, grads } = tf.variableGrads(() => {
      // Kept past variableGrads' own tidy so the batch accuracy costs no second forward pass.
      probs = tf.keep(forward(batch.x, true));
      return crossEntropy(probs, batch.y);
    }, vars);
    optimizer.apply(vars.map((v) => grads[v.name]));
    const p = probs as unknown as TF.Tensor;
    const correct = correctCount(p, batch.y);
    p.dispose();
    return { loss: value, correct };
  });
}

/**
 * Releases the tensors of a step's result.
 * @example disposeStep(trainStep(forward, opt, batch))
 */
export function disposeStep(result: StepResult): void {
  result.loss.dispose();
  result.correct.dispose();
}

function checkBatch(batch: Batch, caller: string): void {
  if (typeof batch !== 'object' || batch === null || !(batch.x instanceof tf.Tensor) || !(batch.y instanceof tf.Tensor)) {
    throw new TypeError(`${caller}: 'batch' must be { x: tf.Tensor, y: tf.Tensor (one-hot) }, got ${describe(batch)}`);
  }
  if (batch.x.shape[0] !== batch.y.shape[0]) {
    throw new RangeError(`${caller}: 'batch.x' and 'batch.y' must have the same number of rows, got ${batch.x.shape[0]} and ${batch.y.shape[0]}`);
  }
}

/**
 * Mean loss and accuracy of a network on a split, in inference mode, in chunks of 512 rows.
 * @param forward the network
 * @param x inputs; @param y one-hot labels
 * @throws TypeError/RangeError for a forward that is not a function or mismatched x and y
 * @example await evaluate(modelForward(model), valT.x, valT.y) // { loss: 0.21, accuracy: 0.94 }
 */
export async function evaluate(forward: Forward, x: TF.Tensor, y: TF.Tensor): Promise<{ loss: number; accuracy: number }> {
  const caller = 'evaluate';
  checkFunction('forward', forward, caller);
  checkBatch({ x, y }, caller);
  const n = x.shape[0];
  const totals = tf.tidy(() => {
    let loss: TF.Tensor = tf.scalar(0);
    let correct: TF.Tensor = tf.scalar(0);
    for (let start = 0; start < n; start += EVAL_CHUNK) {
      const size = Math.min(EVAL_CHUNK, n - start);
      const xb = x.slice(start, size);
      const yb = y.slice(start, size);
      const probs = forward(xb, false);
      loss = tf.add(loss, tf.mul(crossEntropy(probs, yb), size));
      correct = tf.add(correct, correctCount(probs, yb));
    }
    return tf.stack([loss, correct]);
  });
  const [loss, correct] = await totals.data();
  totals.dispose();
  return { loss: loss / n, accuracy: correct / n };
}
