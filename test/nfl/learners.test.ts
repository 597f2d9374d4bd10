import { describe, expect, it } from 'vitest';
import {
  constantLearner,
  learnerNames,
  lookupLearner,
  majorityLearner,
  makeLearner,
  nearestNeighbourLearner,
} from '../../src/nfl';

const shape = (xSize: number, ySize: number) => ({ xSize, ySize });

describe('constant learner', () => {
  it('predicts its label everywhere, whatever the data', () => {
    expect(constantLearner(1).learn({ inputs: [0, 1], labels: [0, 0] }, shape(4, 2))).toEqual([1, 1, 1, 1]);
    expect(constantLearner().learn({ inputs: [], labels: [] }, shape(3, 3))).toEqual([0, 0, 0]);
  });
  it('checks its label against |Y|', () => {
    expect(() => constantLearner(-1)).toThrow(/constantLearner: 'label' must be an integer >= 0, got -1/);
    expect(() => constantLearner(2).learn({ inputs: [], labels: [] }, shape(3, 2))).toThrow(/'label' must be an integer >= 0 and <= 1, got 2/);
  });
});

describe('majority learner', () => {
  it('predicts the most frequent training label', () => {
    expect(majorityLearner().learn({ inputs: [0, 1, 3], labels: [2, 1, 2] }, shape(5, 3))).toEqual([2, 2, 2, 2, 2]);
  });
  it('breaks ties (and an empty training set) towards the smallest label', () => {
    expect(majorityLearner().learn({ inputs: [0, 2], labels: [1, 0] }, shape(3, 2))).toEqual([0, 0, 0]);
    expect(majorityLearner().learn({ inputs: [0, 2, 3, 4], labels: [2, 1, 2, 1] }, shape(5, 3))).toEqual([1, 1, 1, 1, 1]);
    expect(majorityLearner().learn({ inputs: [], labels: [] }, shape(2, 3))).toEqual([0, 0]);
  });
});

describe('nearest-neighbour learner', () => {
  const nn = nearestNeighbourLearner();
  it('copies the label of the closest training input on the line', () => {
    expect(nn.learn({ inputs: [1, 6], labels: [0, 1] }, shape(8, 2))).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
  });
  it('sends a tie to the smaller (left) training input', () => {
    // x = 2 is 2 away from both 0 and 4.
    expect(nn.learn({ inputs: [0, 4], labels: [0, 1] }, shape(5, 2))).toEqual([0, 0, 0, 1, 1]);
    expect(nn.learn({ inputs: [4, 0], labels: [1, 0] }, shape(5, 2))).toEqual([0, 0, 0, 1, 1]);
    expect(nn.learn({ inputs: [5, 1], labels: [2, 0] }, shape(7, 3))).toEqual([0, 0, 0, 0, 2, 2, 2]);
  });
  it('fits its training set and predicts 0 without data', () => {
    expect(nn.learn({ inputs: [0, 1, 2], labels: [1, 0, 1] }, shape(3, 2))).toEqual([1, 0, 1]);
    expect(nn.learn({ inputs: [], labels: [] }, shape(3, 2))).toEqual([0, 0, 0]);
  });
});

describe('lookup learner', () => {
  it('memorises and answers the default elsewhere', () => {
    expect(lookupLearner().learn({ inputs: [1, 3], labels: [1, 2] }, shape(5, 3))).toEqual([0, 1, 0, 2, 0]);
    expect(lookupLearner(2).learn({ inputs: [1], labels: [0] }, shape(3, 3))).toEqual([2, 0, 2]);
  });
  it('checks its default label', () => {
    expect(() => lookupLearner(3).learn({ inputs: [], labels: [] }, shape(2, 3))).toThrow(/lookupLearner: 'defaultLabel' must be an integer >= 0 and <= 2, got 3/);
  });
});

describe('training-set validation (every learner)', () => {
  it.each(['constant', 'majority', 'nearest', 'lookup'] as const)('%s names the bad field', (name) => {
    const l = makeLearner(name);
    expect(() => l.learn({ inputs: [0, 1], labels: [0] }, shape(3, 2))).toThrow(/'train.inputs' and 'train.labels' must have the same length, got 2 and 1/);
    expect(() => l.learn({ inputs: [0, 3], labels: [0, 1] }, shape(3, 2))).toThrow(/'train.inputs\[1\]' must be an integer >= 0 and <= 2, got 3/);
    expect(() => l.learn({ inputs: [1, 1], labels: [0, 1] }, shape(3, 2))).toThrow(/'train.inputs' must be distinct, got 1 twice/);
    expect(() => l.learn({ inputs: [0], labels: [2] }, shape(3, 2))).toThrow(/'train.labels\[0\]' must be an integer >= 0 and <= 1, got 2/);
    expect(() => l.learn(null as never, shape(3, 2))).toThrow(/'train' must be an object/);
  });
});

describe('makeLearner', () => {
  it('builds each named learner', () => {
    expect(learnerNames).toEqual(['constant', 'majority', 'nearest', 'lookup', 'mlp']);
    expect(learnerNames.map((n) => makeLearner(n).name)).toEqual(['constant(0)', 'majority', 'nearest', 'lookup', 'mlp(onehot)']);
  });
  it('rejects an unknown name, listing the known ones', () => {
    expect(() => makeLearner('oracle' as never)).toThrow(
      /makeLearner: 'name' must be one of "constant", "majority", "nearest", "lookup", "mlp", got "oracle"/,
    );
  });
});
