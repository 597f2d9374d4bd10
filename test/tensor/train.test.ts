import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../src/core/rng';
import { init } from '../../src/tensor/backend';
import { registerWasmKernels } from '../../src/tensor/kernels';
import { prepareDigits, type PreparedData } from '../../src/tensor/data';
import { train, type EpochRecord, type TrainOptions, type TrainResult } from '../../src/tensor/train';
import { nb201Cell, nb201CellArch, parseNb201Cell } from '../../src/spaces/nb201';
import type { MlpArch } from '../../src/tensor/arch';

const MLP: MlpArch = { kind: 'mlp', widths: [32, 16, 8] };
const CELL = nb201CellArch(parseNb201Cell('|conv3x3~0|+|skip~0|conv1x1~1|+|none~0|skip~1|avgpool3x3~2|'));
/** A small network so the conv tests stay fast. */
const SMALL = { channels: 4, stages: 2, cellsPerStage: 1 };

let full: PreparedData;
let small: PreparedData;

beforeAll(async () => {
  await init({ prefer: 'wasm', quiet: true });
  registerWasmKernels();
  full = prepareDigits(createRng(0));
  // 10% / 5% / 5% of the digits, stratified: 179 / 90 / 90 rows.
  small = prepareDigits(createRng(0), { train: 0.1, validation: 0.05, test: 0.05 });
}, 60_000);

/** A result without its wall-clock fields, which differ between runs. */
function withoutTimes(r: TrainResult): unknown {
  return { ...r, wallSeconds: 0, history: r.history.map((h) => ({ ...h, seconds: 0 })) };
}

describe('train', () => {
  it('runs on the wasm backend', () => {
    expect(tf.getBackend()).toBe('wasm');
  });

  it('trains an MLP on the digits to a test accuracy above 0.9', async () => {
    const r = await train({ kind: 'mlp', widths: [64, 32, 16] }, full, { rng: createRng(1), epochs: 10 });
    expect(r.testAccuracy).toBeGreaterThan(0.9);
    expect(r.history.length).toBe(10);
    expect(r.history[9].trainLoss).toBeLessThan(r.history[0].trainLoss);
    expect(r.params).toBe(64 * 64 + 64 + 64 * 32 + 32 + 32 * 16 + 16 + 16 * 10 + 10);
    expect(r.macs).toBe(64 * 64 + 64 * 32 + 32 * 16 + 16 * 10);
    expect(r.backend).toBe('wasm');
    expect(r.options).toEqual({
      epochs: 10, batchSize: 64, optimizer: 'adam', learningRate: 0.01, momentum: 0, schedule: 'cosine', earlyStopping: null, network: null, seed: '1',
    });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('gives the same numbers for the same seed, to the last digit, and others for another seed', async () => {
    const opts = { rng: createRng(5), epochs: 3, batchSize: 32 };
    const a = await train(MLP, small, opts);
    const b = await train(MLP, small, { ...opts, rng: createRng(5) });
    const c = await train(MLP, small, { ...opts, rng: createRng(6) });
    expect(withoutTimes(b)).toEqual(withoutTimes(a));
    expect(c.history[0].trainLoss).not.toBe(a.history[0].trainLoss);
  });

  it('repeats a cell network run exactly and releases every tensor', async () => {
    const opts: TrainOptions = { rng: createRng(2), epochs: 2, network: SMALL };
    const before = tf.memory().numTensors;
    const a = await train(CELL, small, opts);
    expect(tf.memory().numTensors).toBe(before);
    const b = await train(CELL, small, { ...opts, rng: createRng(2) });
    expect(tf.memory().numTensors).toBe(before);
    expect(withoutTimes(b)).toEqual(withoutTimes(a));
    expect(a.options.network).toEqual(SMALL);
    expect(a.totalParams).toBe(2030); // counted by hand in models.test.ts
    expect(a.history[1].trainLoss).toBeLessThan(a.history[0].trainLoss);
  });

  it('trains a cell network on the digits to a test accuracy above 0.9', async () => {
    const r = await train(CELL, full, { rng: createRng(3), epochs: 4, network: { channels: 8, stages: 2 } });
    expect(r.testAccuracy).toBeGreaterThan(0.9);
  }, 60_000);

  it('trains a cell with no input-to-output path to chance level only', async () => {
    const zero = nb201CellArch(nb201Cell(['none', 'none', 'none', 'none', 'none', 'none']));
    const r = await train(zero, small, { rng: createRng(4), epochs: 3, network: SMALL });
    // The network's output does not depend on its input: one class for every row, so the test
    // accuracy is that class's share of the test part, 9 of 90 rows for every class here.
    expect(small.test.y.filter((y) => y === 0).length).toBe(9);
    expect(r.testAccuracy).toBeCloseTo(9 / 90, 12);
  });

  it('stops early on the validation loss and restores the best epoch', async () => {
    // 40 training rows and a large constant step: the validation loss soon stops improving. (A
    // constant step, so that a shorter run below follows the same schedule.)
    const tiny = prepareDigits(createRng(9), { train: 0.025, validation: 0.1, test: 0.1 });
    const opts: TrainOptions = { rng: createRng(7), epochs: 40, batchSize: 8, learningRate: 0.03, schedule: 'constant', earlyStopping: { patience: 2 } };
    const r = await train(MLP, tiny, opts);
    expect(r.stoppedEarly).toBe(true);
    expect(r.history.length).toBeLessThan(40);
    const losses = r.history.map((h) => h.validationLoss);
    const bestEpoch = losses.indexOf(Math.min(...losses)) + 1;
    expect(r.testedEpoch).toBe(bestEpoch);
    expect(r.history.length).toBe(bestEpoch + 2);
    // The restored weights are those of the best epoch: a run of exactly that many epochs tests the same.
    const again = await train(MLP, tiny, { ...opts, rng: createRng(7), epochs: bestEpoch, earlyStopping: undefined });
    expect(again.testAccuracy).toBe(r.testAccuracy);
    expect(again.testLoss).toBe(r.testLoss);
    // Without restoring, the last epoch's weights are tested.
    const last = await train(MLP, tiny, { ...opts, rng: createRng(7), earlyStopping: { patience: 2, restoreBest: false } });
    expect(last.testedEpoch).toBe(last.history.length);
  });

  it('anneals the step size by cosine from the first step on', async () => {
    // One batch per epoch (the whole train part), two epochs: the cosine run takes its first step
    // with the full rate (as the constant run) and its second with half of it, (1 + cos(π/2))/2.
    const opts: TrainOptions = { rng: createRng(3), epochs: 2, batchSize: small.train.size, optimizer: 'sgd', momentum: 0, learningRate: 0.5 };
    const cosine = await train(MLP, small, { ...opts, schedule: 'cosine' });
    const constant = await train(MLP, small, { ...opts, rng: createRng(3), schedule: 'constant' });
    expect(cosine.history[0].trainLoss).toBe(constant.history[0].trainLoss);
    expect(cosine.history[0].validationLoss).toBe(constant.history[0].validationLoss);
    // Epoch 2's train loss is measured before its step: still the same weights.
    expect(cosine.history[1].trainLoss).toBe(constant.history[1].trainLoss);
    expect(cosine.history[1].validationLoss).not.toBe(constant.history[1].validationLoss);
  });

  it('trains with SGD and momentum', async () => {
    const r = await train(MLP, small, { rng: createRng(8), epochs: 4, optimizer: 'sgd', learningRate: 0.1, momentum: 0.5 });
    expect(r.options.momentum).toBe(0.5);
    expect(r.history[3].trainLoss).toBeLessThan(r.history[0].trainLoss);
  });

  it('reports every epoch to onEpoch and releases tensors when onEpoch throws', async () => {
    const seen: EpochRecord[] = [];
    const r = await train(MLP, small, { rng: createRng(1), epochs: 3, onEpoch: (h) => void seen.push(h) });
    expect(seen).toEqual(r.history);
    expect(seen.map((h) => h.epoch)).toEqual([1, 2, 3]);
    const before = tf.memory().numTensors;
    await expect(
      train(CELL, small, {
        rng: createRng(1),
        epochs: 3,
        network: SMALL,
        earlyStopping: { patience: 5 },
        onEpoch: async (h) => {
          if (h.epoch === 2) throw new Error('stop here');
        },
      }),
    ).rejects.toThrow('stop here');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('validates its options with clear errors', async () => {
    const rng = createRng(0);
    const bad: [unknown, string][] = [
      [{}, "train: 'opts.rng' must be an Rng (from createRng(seed)), got undefined"],
      [{ rng, epochs: 0 }, "train: 'opts.epochs' must be an integer >= 1, got 0"],
      [{ rng, batchSize: 2.5 }, "train: 'opts.batchSize' must be an integer >= 1, got 2.5"],
      [{ rng, optimizer: 'rmsprop' }, `train: 'opts.optimizer' must be one of "adam", "sgd", got "rmsprop"`],
      [{ rng, learningRate: 0 }, "train: 'opts.learningRate' must be a number > 0, got 0"],
      [{ rng, momentum: 0.9 }, `train: 'opts.momentum' applies to optimizer 'sgd' only, got momentum 0.9 with "adam"`],
      [{ rng, optimizer: 'sgd', momentum: 1 }, "train: 'opts.momentum' must be a number >= 0 and < 1, got 1"],
      [{ rng, earlyStopping: { patience: 0 } }, "train: 'opts.earlyStopping.patience' must be an integer >= 1, got 0"],
      [{ rng, earlyStopping: 3 }, "train: 'opts.earlyStopping' must be an object { patience, minDelta?, restoreBest? }, got 3"],
      [{ rng, earlyStopping: { patience: 1, minDelta: -1 } }, "train: 'opts.earlyStopping.minDelta' must be a number >= 0, got -1"],
      [{ rng, onEpoch: 'log' }, `train: 'opts.onEpoch' must be a function, got "log"`],
      [{ rng, schedule: 'step' }, `train: 'opts.schedule' must be one of "constant", "cosine", got "step"`],
    ];
    for (const [opts, message] of bad) await expect(train(MLP, small, opts as TrainOptions)).rejects.toThrow(message);
    await expect(train(CELL, small, { rng, network: { channels: 0 } })).rejects.toThrow("train: 'opts.network.channels' must be an integer >= 1 and <= 65536, got 0");
    await expect(train({ kind: 'mlp', widths: [0] }, small, { rng })).rejects.toThrow("train: 'arch.widths[0]' must be an integer >= 1 and <= 65536, got 0");
    const noValidation = { ...small, validation: { x: new Float32Array(0), y: [], size: 0 } };
    await expect(train(MLP, noValidation, { rng })).rejects.toThrow("train: 'data.validation.size' must be an integer >= 1, got 0");
    const badLabel = { ...small, test: { ...small.test, y: small.test.y.map((y, i) => (i === 3 ? 10 : y)) } };
    await expect(train(MLP, badLabel, { rng })).rejects.toThrow("train: 'data.test.y[3]' must be an integer >= 0 and <= 9, got 10");
    await expect(train(MLP, {} as PreparedData, { rng })).rejects.toThrow(/train: 'data' must be a PreparedData/);
  });
});

describe('cells where skip paths meet', () => {
  // Node 1 = x and node 2 = x + node 1: one tensor reaches a sum twice, which tfjs's Add layer
  // could not take ("Tensor is disposed" in the gradient). Found by the NAS-Bench-Digits build.
  it('trains a cell whose sum receives the same tensor twice', async () => {
    const doubled = nb201CellArch(parseNb201Cell('|skip~0|+|skip~0|skip~1|+|none~0|skip~1|conv1x1~2|'));
    const r = await train(doubled, small, { rng: createRng(4), epochs: 1, network: { channels: 4, stages: 1, cellsPerStage: 1 } });
    expect(r.history).toHaveLength(1);
    expect(Number.isFinite(r.history[0].trainLoss)).toBe(true);
  });
});
