import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../../src/tensor/backend';
import { exactOts, makeLearner, mlpLearner, smoothTasks } from '../../src/nfl';

beforeAll(async () => {
  await init();
});

describe('mlpLearner', () => {
  it('fits its training set', () => {
    for (const encoding of ['onehot', 'scalar'] as const) {
      const l = mlpLearner({ encoding });
      for (const train of [
        { inputs: [0, 3], labels: [1, 0] },
        { inputs: [1, 2, 4], labels: [0, 2, 1] },
        { inputs: [0, 1, 4, 5], labels: [0, 0, 1, 1] },
      ]) {
        const h = l.learn(train, { xSize: 6, ySize: 3 });
        expect(h).toHaveLength(6);
        expect(train.inputs.map((x) => h[x])).toEqual(train.labels);
      }
    }
  });

  it('is deterministic: the same seed and data give the same hypothesis', () => {
    const train = { inputs: [0, 5], labels: [1, 0] };
    const shape = { xSize: 8, ySize: 3 };
    const a = mlpLearner({ seed: 3 }).learn(train, shape);
    expect(mlpLearner({ seed: 3 }).learn(train, shape)).toEqual(a);
    // Off the training set a one-hot network's answer comes from its random initial weights.
    const others = [4, 5, 6, 7, 8, 9].map((seed) => mlpLearner({ seed }).learn(train, shape).join(''));
    expect(new Set([a.join(''), ...others]).size).toBeGreaterThan(1);
  });

  it('disposes every tensor it creates', () => {
    const before = tf.memory().numTensors;
    mlpLearner({ encoding: 'scalar' }).learn({ inputs: [1, 2], labels: [0, 1] }, { xSize: 4, ySize: 2 });
    mlpLearner().learn({ inputs: [], labels: [] }, { xSize: 4, ySize: 2 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names bad options', () => {
    expect(() => mlpLearner({ hidden: 0 })).toThrow(/mlpLearner: 'hidden' must be an integer >= 1 and <= 1024, got 0/);
    expect(() => mlpLearner({ encoding: 'binary' as never })).toThrow(/mlpLearner: 'encoding' must be one of "onehot", "scalar", got "binary"/);
    expect(() => mlpLearner({ learningRate: 0 })).toThrow(/'learningRate' must be a number > 0/);
    expect(() => mlpLearner().learn({ inputs: [4], labels: [0] }, { xSize: 3, ySize: 2 })).toThrow(/mlpLearner: 'train.inputs\[0\]'/);
  });
});

describe('No Free Lunch holds for the networks too', () => {
  it.each([
    ['onehot', 4, 2, 2],
    ['scalar', 4, 2, 2],
    ['onehot', 4, 3, 1],
    ['scalar', 3, 3, 2],
  ] as const)('mlp(%s) on |X|=%i, |Y|=%i, m=%i: exactly 1/|Y|', (encoding, xSize, ySize, trainSize) => {
    const r = exactOts(mlpLearner({ encoding }), { xSize, ySize, trainSize });
    expect(r.correct * BigInt(ySize)).toBe(r.total);
    expect(r.accuracy.toString()).toBe(`1/${ySize}`);
  });

  it('refitting for every (task, S) pair gives the same counts as memoising (determinism)', () => {
    const s = { xSize: 3, ySize: 2, trainSize: 1 };
    const memo = exactOts(mlpLearner({ encoding: 'scalar' }), s);
    const plain = exactOts(mlpLearner({ encoding: 'scalar' }), s, { memoize: false });
    expect(plain.perTask).toEqual(memo.perTask);
  });

  it('the encoding is a bias: on smooth tasks the scalar network beats the one-hot one and majority', () => {
    const s = { xSize: 6, ySize: 2, trainSize: 2 };
    const family = smoothTasks(1);
    const scalar = exactOts(mlpLearner({ encoding: 'scalar' }), s, { family }).accuracy;
    const onehot = exactOts(mlpLearner({ encoding: 'onehot' }), s, { family }).accuracy;
    const majority = exactOts(makeLearner('majority'), s, { family }).accuracy;
    expect(scalar.compare(onehot)).toBe(1);
    expect(scalar.compare(majority)).toBe(1);
    expect(scalar.toNumber()).toBeGreaterThan(0.7);
  });
});
