/**
 * Learners for the No Free Lunch experiments. A learner sees a training set (some inputs of X
 * with their labels) and returns a hypothesis h: X -> Y, written like a task as a label vector
 * [h(0), ..., h(n-1)]. Learners are deterministic: the same training set always gives the same
 * hypothesis. Each one carries an inductive bias, a rule for what to say about inputs it has not
 * seen, and that rule is the only thing that separates them off the training set.
 */
import { checkArray, checkInt, checkSameLength, describe } from '../core/checks';
import { TaskShape } from './tasks';

/** Training inputs (distinct elements of X) and their labels, index by index. */
export interface TrainingSet {
  inputs: number[];
  labels: number[];
}

/** A deterministic learning algorithm: training set in, hypothesis (a label per input of X) out. */
export interface Learner {
  /** A readable name for tables: 'nearest', 'constant(0)', 'mlp(onehot)'. */
  readonly name: string;
  /**
   * The hypothesis learned from `train`: an array of length shape.xSize with labels in [0, shape.ySize).
   * @throws RangeError if the training set does not fit the shape
   */
  learn(train: TrainingSet, shape: TaskShape): number[];
}

/**
 * Checks a training set against a task shape: equal lengths, distinct inputs in X, labels in Y.
 * @throws TypeError/RangeError naming the field and the first bad entry
 */
export function checkTrainingSet(train: unknown, shape: TaskShape, caller: string): TrainingSet {
  if (typeof train !== 'object' || train === null) {
    throw new TypeError(`${caller}: 'train' must be an object { inputs, labels }, got ${describe(train)}`);
  }
  const { inputs, labels } = train as Partial<TrainingSet>;
  checkArray('train.inputs', inputs, {}, caller);
  checkArray('train.labels', labels, {}, caller);
  checkSameLength('train.inputs', inputs as number[], 'train.labels', labels as number[], caller);
  const seen = new Set<number>();
  (inputs as number[]).forEach((x, i) => {
    checkInt(`train.inputs[${i}]`, x, { min: 0, max: shape.xSize - 1 }, caller);
    if (seen.has(x)) throw new RangeError(`${caller}: 'train.inputs' must be distinct, got ${x} twice`);
    seen.add(x);
  });
  (labels as number[]).forEach((y, i) => checkInt(`train.labels[${i}]`, y, { min: 0, max: shape.ySize - 1 }, caller));
  return train as TrainingSet;
}

/**
 * Predicts the label `label` everywhere, whatever the data: the most stubborn bias there is.
 * @param label the label to predict, an integer >= 0 (checked against |Y| when learning)
 * @throws RangeError/TypeError if label is not a non-negative integer
 * @example constantLearner(1).learn({ inputs: [0], labels: [0] }, { xSize: 3, ySize: 2 }) // [1, 1, 1]
 */
export function constantLearner(label = 0): Learner {
  checkInt('label', label, { min: 0 }, 'constantLearner');
  return {
    name: `constant(${label})`,
    learn(train, shape) {
      checkTrainingSet(train, shape, 'constantLearner');
      checkInt('label', label, { min: 0, max: shape.ySize - 1 }, 'constantLearner');
      return new Array<number>(shape.xSize).fill(label);
    },
  };
}

/** Label counts of a training set, one slot per label in Y. */
function labelCounts(labels: readonly number[], ySize: number): number[] {
  const counts = new Array<number>(ySize).fill(0);
  for (const y of labels) counts[y]++;
  return counts;
}

/**
 * Predicts the most frequent training label everywhere; ties (and an empty training set) go to
 * the smallest label.
 * @example majorityLearner().learn({ inputs: [0, 2], labels: [1, 0] }, { xSize: 3, ySize: 2 }) // [0, 0, 0]
 */
export function majorityLearner(): Learner {
  return {
    name: 'majority',
    learn(train, shape) {
      checkTrainingSet(train, shape, 'majorityLearner');
      const counts = labelCounts(train.labels, shape.ySize);
      let best = 0;
      // Strictly greater: the first (smallest) label keeps a tie.
      for (let y = 1; y < counts.length; y++) if (counts[y] > counts[best]) best = y;
      return new Array<number>(shape.xSize).fill(best);
    },
  };
}

/**
 * One-nearest-neighbour on X read as points 0, 1, ..., n-1 on a line: each input gets the label
 * of the closest training input. Tie rule: when two training inputs are equally close (one on
 * each side), the smaller input (the left one) wins. With no training data it predicts label 0.
 * Its bias is smoothness: neighbouring inputs should share labels.
 * @example nearestNeighbourLearner().learn({ inputs: [0, 4], labels: [0, 1] }, { xSize: 5, ySize: 2 }) // [0, 0, 0, 1, 1]
 */
export function nearestNeighbourLearner(): Learner {
  return {
    name: 'nearest',
    learn(train, shape) {
      checkTrainingSet(train, shape, 'nearestNeighbourLearner');
      const order = train.inputs.map((x, i) => i).sort((a, b) => train.inputs[a] - train.inputs[b]);
      const xs = order.map((i) => train.inputs[i]);
      const ys = order.map((i) => train.labels[i]);
      const out = new Array<number>(shape.xSize).fill(0);
      if (xs.length === 0) return out;
      // One sweep left to right: j is the first training input at or right of x.
      let j = 0;
      for (let x = 0; x < shape.xSize; x++) {
        while (j < xs.length && xs[j] < x) j++;
        if (j === xs.length) out[x] = ys[xs.length - 1];
        else if (j === 0) out[x] = ys[0];
        else out[x] = x - xs[j - 1] <= xs[j] - x ? ys[j - 1] : ys[j];
      }
      return out;
    },
  };
}

/**
 * Memorises the training set and answers `defaultLabel` for every unseen input: it fits the
 * training data perfectly and has no opinion beyond it.
 * @param defaultLabel the label for unseen inputs, an integer >= 0 (checked against |Y| when learning)
 * @throws RangeError/TypeError if defaultLabel is not a non-negative integer
 * @example lookupLearner(0).learn({ inputs: [1], labels: [1] }, { xSize: 3, ySize: 2 }) // [0, 1, 0]
 */
export function lookupLearner(defaultLabel = 0): Learner {
  checkInt('defaultLabel', defaultLabel, { min: 0 }, 'lookupLearner');
  return {
    name: 'lookup',
    learn(train, shape) {
      checkTrainingSet(train, shape, 'lookupLearner');
      checkInt('defaultLabel', defaultLabel, { min: 0, max: shape.ySize - 1 }, 'lookupLearner');
      const out = new Array<number>(shape.xSize).fill(defaultLabel);
      train.inputs.forEach((x, i) => (out[x] = train.labels[i]));
      return out;
    },
  };
}
