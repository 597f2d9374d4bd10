/**
 * A small neural network as a No Free Lunch learner: one hidden tanh layer, softmax output,
 * full-batch Adam on the training set, weights drawn from a seeded Rng. Even a network capable
 * of fitting any training set scores exactly 1/|Y| off the training set when averaged over all
 * tasks; what it does on unseen inputs is decided by its input encoding, and that is a choice of
 * architecture: one-hot inputs give unseen inputs nothing in common with seen ones, a scalar
 * input makes neighbouring inputs behave alike (a smoothness bias).
 *
 * Runs on whatever tfjs backend is active: call `await init()` from the tensor module first.
 */
import type * as TF from '@tensorflow/tfjs';
import { checkInt, checkNumber, checkOneOf } from '../core/checks';
import { lazyModule } from '../core/lazy';
import { createRng, Rng } from '../core/rng';
import { checkTrainingSet, Learner, TrainingSet } from './learners';
import { TaskShape } from './tasks';

// tfjs on first fit: the other learners, and the grader's process for this chapter, never load it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tf = lazyModule((): typeof TF => require('@tensorflow/tfjs'));

/** How an input x of X = {0..n-1} is fed to the network. */
export type MlpEncoding = 'onehot' | 'scalar';

/** Settings of mlpLearner; every field has a default. */
export interface MlpOptions {
  /** Hidden units (default 8). */
  hidden?: number;
  /** Full-batch Adam steps (default 50). */
  epochs?: number;
  /** Adam step size (default 0.1). */
  learningRate?: number;
  /** 'onehot' (default): x -> e_x in R^n; 'scalar': x -> one number in [-1, 1]. */
  encoding?: MlpEncoding;
  /** Seed of the initial weights (default 0): the same seed and data give the same network. */
  seed?: number;
}

const encodings: readonly MlpEncoding[] = ['onehot', 'scalar'];

/** Rows of the network's input for the given inputs of X. */
function encodeInputs(inputs: readonly number[], xSize: number, encoding: MlpEncoding): number[][] {
  if (encoding === 'scalar') return inputs.map((x) => [xSize > 1 ? (2 * x) / (xSize - 1) - 1 : 0]);
  return inputs.map((x) => Array.from({ length: xSize }, (_, j) => (j === x ? 1 : 0)));
}

/** A matrix of independent normal draws with the given standard deviation. */
function normalMatrix(rng: Rng, rows: number, cols: number, std: number): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal(0, std)));
}

/**
 * A one-hidden-layer tfjs network as a deterministic learner (the same seed and training set
 * always give the same hypothesis). Small on purpose: exact enumeration fits it once per distinct
 * training set. All tensors it creates are disposed before `learn` returns.
 * @param options hidden units, Adam steps, step size, input encoding, seed (see MlpOptions)
 * @throws RangeError/TypeError naming the option if a setting is out of range
 * @example mlpLearner({ encoding: 'scalar' }).learn({ inputs: [0, 3], labels: [0, 1] }, { xSize: 4, ySize: 2 }) // e.g. [0, 0, 1, 1]
 */
export function mlpLearner(options: MlpOptions = {}): Learner {
  const hidden = checkInt('hidden', options.hidden ?? 8, { min: 1, max: 1024 }, 'mlpLearner');
  const epochs = checkInt('epochs', options.epochs ?? 50, { min: 0 }, 'mlpLearner');
  const learningRate = checkNumber('learningRate', options.learningRate ?? 0.1, { min: 0, exclusiveMin: true }, 'mlpLearner');
  const encoding = checkOneOf<MlpEncoding>('encoding', options.encoding ?? 'onehot', encodings, 'mlpLearner');
  const seed = checkInt('seed', options.seed ?? 0, {}, 'mlpLearner');
  return {
    name: `mlp(${encoding})`,
    learn(train: TrainingSet, shape: TaskShape): number[] {
      checkTrainingSet(train, shape, 'mlpLearner');
      return fitAndPredict(train, shape, { hidden, epochs, learningRate, encoding, seed });
    },
  };
}

function fitAndPredict(train: TrainingSet, shape: TaskShape, o: Required<MlpOptions>): number[] {
  const { xSize, ySize } = shape;
  if (xSize === 0) return [];
  const inDim = o.encoding === 'onehot' ? xSize : 1;
  // Draws come from the seed alone, so the initial network never depends on the data.
  const rng = createRng(`mlpLearner/${o.seed}`);
  // The scalar input needs large first-layer weights and spread biases, or every tanh unit
  // would bend at the same place; one-hot inputs use the usual 1/sqrt(fan-in) scale.
  const w1Std = o.encoding === 'scalar' ? 2 : 1 / Math.sqrt(inDim);
  const b1Std = o.encoding === 'scalar' ? 1 : 0;
  // Inside tidy the initial-value tensors are freed and only the variables survive.
  const vars = tf.tidy(() => [
    tf.variable(tf.tensor2d(normalMatrix(rng, inDim, o.hidden, w1Std))),
    tf.variable(tf.tensor1d(normalMatrix(rng, 1, o.hidden, b1Std)[0])),
    tf.variable(tf.tensor2d(normalMatrix(rng, o.hidden, ySize, 1 / Math.sqrt(o.hidden)))),
    tf.variable(tf.zeros([ySize])),
  ]);
  const [w1, b1, w2, b2] = vars;
  const logits = (x: TF.Tensor): TF.Tensor => tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(x, w1), b1)), w2), b2);
  const optimizer = tf.train.adam(o.learningRate);
  try {
    if (train.inputs.length > 0 && o.epochs > 0) {
      const x = tf.tensor2d(encodeInputs(train.inputs, xSize, o.encoding));
      const y = tf.tidy(() => tf.oneHot(tf.tensor1d(train.labels, 'int32'), ySize));
      try {
        for (let step = 0; step < o.epochs; step++) {
          // returnCost = false: minimize keeps no loss tensor alive.
          optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, logits(x)), false, vars);
        }
      } finally {
        tf.dispose([x, y]);
      }
    }
    const all = Array.from({ length: xSize }, (_, i) => i);
    const predicted = tf.tidy(() => tf.argMax(logits(tf.tensor2d(encodeInputs(all, xSize, o.encoding), [xSize, inDim])), 1));
    const labels = Array.from(predicted.dataSync());
    predicted.dispose();
    return labels;
  } finally {
    optimizer.dispose();
    tf.dispose(vars);
  }
}
