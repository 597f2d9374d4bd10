/**
 * The tape-free step (src/tensor/engine) and the pack kernels it adds: each kernel against the same
 * computation by tfjs on the cpu backend, the step's gradients against tfjs's gradient tape, its
 * Adam and SGD trajectories against GroupOptimizer's, and train()'s use of it with the pack on and off.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../src/core/rng';
import { init } from '../../src/tensor/backend';
import { registerWasmKernels } from '../../src/tensor/kernels';
import { prepareDigits, type PreparedData } from '../../src/tensor/data';
import { TapeFreeStep } from '../../src/tensor/engine';
import { buildModel } from '../../src/tensor/models';
import { describeConvNet, describeNetwork, type NetworkDescription } from '../../src/tensor/network';
import { probeKernelPack, setKernelPack, type KernelPack } from '../../src/tensor/pack';
import { GroupOptimizer, crossEntropy, trainableGroup, type OptimizerConfig } from '../../src/tensor/step';
import { train } from '../../src/tensor/train';
import { nb201CellArch, parseNb201Cell } from '../../src/spaces/nb201';

let data: PreparedData;
let pack: KernelPack;

beforeAll(async () => {
  await init({ prefer: 'wasm', quiet: true });
  registerWasmKernels();
  const probe = probeKernelPack(tf.backend());
  if (!probe.ok) throw new Error(probe.reason);
  pack = probe.pack;
  data = prepareDigits(createRng(0), { train: 0.15, validation: 0.1, test: 0.1 });
}, 60_000);

afterEach(() => setKernelPack(true));

/** Runs fn with tfjs on the cpu backend, then goes back to wasm. */
async function onCpu<T>(fn: () => T): Promise<T> {
  await tf.setBackend('cpu');
  try {
    return fn();
  } finally {
    await tf.setBackend('wasm');
  }
}

/** Seeded values in [-1, 1). */
function randomValues(n: number, seed: string): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
}

/** Largest |a - b| over the largest |b| (1 when b is all zeros). */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let err = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return err / (scale || 1);
}

/** Calls a pack kernel on fresh wasm buffers holding `inputs`; returns the buffers' values after the call. */
function runKernel(inputs: Float32Array[], call: (k: KernelPack['kernels'], ptrs: number[]) => void): Float32Array[] {
  const bufs = inputs.map((v) => pack.allocate([Math.max(1, v.length)]));
  try {
    const ptrs = bufs.map((b) => pack.pointer(b));
    const heap = pack.heap();
    inputs.forEach((v, i) => heap.set(v, ptrs[i] / 4));
    call(pack.kernels, ptrs);
    const after = pack.heap();
    return inputs.map((v, i) => after.slice(ptrs[i] / 4, ptrs[i] / 4 + v.length));
  } finally {
    bufs.forEach((b) => pack.release(b));
  }
}

describe('the pack kernels of the training step, against tfjs on the cpu backend', () => {
  const shapes: Array<[number, number]> = [[1, 1], [1, 16], [3, 5], [64, 10], [7, 33], [128, 16]];

  it.each(shapes)('biasGrad (column sums) and reluGrad of a [%i, %i] gradient', async (rows, cols) => {
    const dy = randomValues(rows * cols, `dy${rows}x${cols}`);
    const y = randomValues(rows * cols, `y${rows}x${cols}`).map((v) => Math.max(v, 0));
    const [, , db, dx] = runKernel([dy, y, new Float32Array(cols), new Float32Array(rows * cols)], (k, [pdy, py, pdb, pdx]) => {
      k.biasGrad(pdy, pdb, rows, cols);
      k.reluGrad(pdy, py, pdx, rows * cols);
    });
    const [sums, masked] = await onCpu(() => tf.tidy(() => {
      const d = tf.tensor2d(dy, [rows, cols]);
      const [g] = tf.grads((x: tf.Tensor) => tf.sum(tf.mul(tf.relu(x), d)))([tf.tensor2d(y, [rows, cols])]);
      return [tf.sum(d, 0).dataSync(), g.dataSync()];
    }));
    expect(relativeError(db, sums)).toBeLessThan(1e-6);
    // The ReLU's gradient at its output y: y > 0 passes dy (y = 0 lies on the kink; tfjs passes nothing there either).
    expect(relativeError(dx, masked)).toBe(0);
  });

  it.each([[1, 1, 1], [1, 7, 16], [5, 3, 10], [64, 1024, 10], [9, 13, 17]])('matMulTN: aᵀb for a [%i, %i] and b [%i rows, n]', async (rows, m, n) => {
    const a = randomValues(rows * m, `a${rows}`);
    const b = randomValues(rows * n, `b${n}`);
    const [, , out] = runKernel([a, b, new Float32Array(m * n)], (k, [pa, pb, po]) => k.matMulTN(pa, pb, po, rows, m, n));
    const expected = await onCpu(() => tf.tidy(() => tf.matMul(tf.tensor2d(a, [rows, m]), tf.tensor2d(b, [rows, n]), true, false).dataSync()));
    expect(relativeError(out, expected)).toBeLessThan(1e-5);
  });

  it.each([1, 5, 64, 1031])('adam, sgd and momentum over %i values: three steps as tf.train optimisers take them', async (n) => {
    const p0 = randomValues(n, `p${n}`);
    const grads = [0, 1, 2].map((t) => randomValues(n, `g${n}/${t}`));
    const adam = { lr: 0.01, b1: 0.9, b2: 0.999, eps: 1e-7 };
    let state = [p0.slice(), new Float32Array(n), new Float32Array(n), new Float32Array(n)];
    let sgd = [p0.slice(), new Float32Array(n), new Float32Array(n)];
    let momentum = [p0.slice(), new Float32Array(n), new Float32Array(n)];
    grads.forEach((g, t) => {
      state = runKernel([state[0], g, state[2], state[3]], (k, [pp, pg, pm, pv]) =>
        k.adam(pp, pg, pm, pv, n, adam.lr, adam.b1, adam.b2, adam.eps, 1 - adam.b1 ** (t + 1), 1 - adam.b2 ** (t + 1)));
      sgd = runKernel([sgd[0], g, sgd[2]], (k, [pp, pg, pa]) => k.sgd(pp, pg, pa, n, 0.1, 0));
      momentum = runKernel([momentum[0], g, momentum[2]], (k, [pp, pg, pa]) => k.sgd(pp, pg, pa, n, 0.1, 0.9));
    });
    const reference = await onCpu(() => [tf.train.adam(adam.lr, adam.b1, adam.b2, adam.eps), tf.train.sgd(0.1), tf.train.momentum(0.1, 0.9)].map((opt) => {
      const v = tf.variable(tf.tensor1d(p0));
      for (const g of grads) opt.applyGradients([{ name: v.name, tensor: tf.tensor1d(g) }]);
      const out = v.dataSync().slice();
      v.dispose();
      opt.dispose();
      return out;
    }));
    // Adam's bias corrections are computed in float64 here, as float32 products by tfjs.
    expect(relativeError(state[0], reference[0])).toBeLessThan(1e-5);
    expect(relativeError(sgd[0], reference[1])).toBeLessThan(1e-6);
    expect(relativeError(momentum[0], reference[2])).toBeLessThan(1e-6);
  });

  it('relu and addInPlace on an odd length', () => {
    const x = randomValues(13, 'relu');
    const [, out] = runKernel([x, new Float32Array(13)], (k, [px, po]) => k.relu(px, po, 13));
    expect(Array.from(out)).toEqual(Array.from(x).map((v) => Math.max(v, 0)));
    const [sum] = runKernel([x.slice(), out], (k, [pa, pb]) => k.addInPlace(pa, pb, 13));
    expect(relativeError(sum, Array.from(x).map((v, i) => v + out[i]))).toBe(0);
  });
});

/**
 * tfjs's AvgPool gradient divides every window by k·k, also where 'same' padding left cells out of
 * the forward average (the forward divides by the cells inside): at the borders it is not the
 * derivative of tfjs's own forward. The tape-free step computes the derivative. To compare whole
 * cells with tfjs, the cpu backend's AvgPool gradient is replaced while they run by the derivative,
 * built from tfjs's own kernels: dx = avgPoolGrad(dy / r) with r = count / (k·k) per window.
 */
async function withTrueAvgPoolGradient<T>(fn: () => T): Promise<T> {
  const original = tf.getGradient(tf.AvgPool);
  tf.unregisterGradient(tf.AvgPool);
  tf.registerGradient({
    ...original,
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const { filterSize, strides, pad } = attrs as unknown as { filterSize: [number, number]; strides: [number, number]; pad: 'same' | 'valid' };
      return {
        x: () => tf.tidy(() => {
          // The share of each window inside the image: the 'same' average of ones counting padding (zeros) as cells.
          const ones = tf.onesLike(x as tf.Tensor4D);
          const inside = tf.avgPool(tf.pad(ones, padding(x.shape as number[], filterSize, strides, pad)), filterSize, strides, 'valid');
          return (original.gradFunc(tf.div(dy as tf.Tensor, inside), saved, attrs) as { x: () => tf.Tensor }).x();
        }),
      };
    },
  });
  try {
    return await fn();
  } finally {
    tf.unregisterGradient(tf.AvgPool);
    tf.registerGradient(original);
  }
}

/** tfjs's 'same' padding of a pooling window, as explicit [before, after] pairs for tf.pad. */
function padding(shape: number[], [kH, kW]: [number, number], [sH, sW]: [number, number], pad: 'same' | 'valid'): Array<[number, number]> {
  const side = (size: number, k: number, s: number): [number, number] => {
    if (pad === 'valid') return [0, 0];
    const total = Math.max((Math.ceil(size / s) - 1) * s + k - size, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  };
  return [[0, 0], side(shape[1], kH, sH), side(shape[2], kW, sW), [0, 0]];
}

/** Networks the step covers now, with a batch of inputs and one-hot labels for each. */
const networks: Array<{ name: string; net: () => NetworkDescription; batch: number }> = [
  { name: 'the reference network (2 conv layers of 16, 8x8x1, batch 64)', net: () => describeConvNet({ inputShape: [8, 8, 1], numClasses: 10, filters: [16, 16] }), batch: 64 },
  { name: 'the reference network, batch 1', net: () => describeConvNet({ inputShape: [8, 8, 1], numClasses: 10, filters: [16, 16] }), batch: 1 },
  { name: 'odd sizes (5x7x3, filters 5 and 6, 1x1 and 3x3 mixed in, 4 classes, batch 3)', net: () => describeConvNet({ inputShape: [5, 7, 3], numClasses: 4, filters: [5, 6], kernelSize: 3 }), batch: 3 },
  { name: '1x1 filters, batch 2', net: () => describeConvNet({ inputShape: [3, 3, 2], numClasses: 3, filters: [7], kernelSize: 1 }), batch: 2 },
  { name: 'an MLP (11 features, widths 13 and 7, 3 classes, batch 5)', net: () => describeNetwork({ kind: 'mlp', widths: [13, 7] }, { inputShape: [11], numClasses: 3 }), batch: 5 },
  { name: 'an MLP, batch 1', net: () => describeNetwork({ kind: 'mlp', widths: [16] }, { inputShape: [64], numClasses: 10 }), batch: 1 },
  ...[
    // Every operation, a node summing the same tensor twice, a cell with no live path, convolutions only.
    '|conv3x3~0|+|skip~0|avgpool3x3~1|+|conv3x3~0|conv1x1~1|conv1x1~2|',
    '|skip~0|+|skip~0|skip~1|+|none~0|none~1|skip~2|',
    '|none~0|+|none~0|conv3x3~1|+|conv1x1~0|none~1|none~2|',
    '|avgpool3x3~0|+|conv1x1~0|conv3x3~1|+|skip~0|avgpool3x3~1|conv3x3~2|',
  ].flatMap((cell, i) => [
    {
      name: `NAS-Bench-201 cell ${cell} (8x8x1, 4 channels, 2 stages, batch ${4 + i})`,
      net: () => describeNetwork(nb201CellArch(parseNb201Cell(cell)), { inputShape: [8, 8, 1], numClasses: 10, channels: 4, stages: 2 }),
      batch: 4 + i,
    },
  ]),
  {
    name: 'a NAS-Bench-201 cell on odd sizes (5x7x2, 3 channels, 3 stages, 2 cells each, 3 classes, batch 1)',
    net: () => describeNetwork(nb201CellArch(parseNb201Cell('|conv3x3~0|+|skip~0|avgpool3x3~1|+|conv3x3~0|conv1x1~1|skip~2|')), { inputShape: [5, 7, 2], numClasses: 3, channels: 3, stages: 3, cellsPerStage: 2 }),
    batch: 1,
  },
];

function batchFor(net: NetworkDescription, n: number, seed: string): { x: tf.Tensor; y: tf.Tensor } {
  const size = net.inputShape.reduce((a, b) => a * b, 1);
  const rng = createRng(seed);
  const x = tf.tensor(randomValues(n * size, seed), [n, ...net.inputShape]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: n }, () => rng.int(0, net.numClasses)), 'int32'), net.numClasses).toFloat();
  return { x, y };
}

describe('the tape-free step', () => {
  it.each(networks.map((c) => [c.name, c] as const))("gives tfjs's gradients (cpu backend, gradient tape) to 1e-4: %s", async (_name, c) => {
    const net = c.net();
    const model = buildModel(net, { rng: createRng(`model/${c.name}`) });
    const { x, y } = batchFor(net, c.batch, `batch/${c.name}`);
    const step = TapeFreeStep.compile(net, model, { kind: 'adam', learningRate: 1e-3 }, c.batch);
    if (typeof step === 'string') throw new Error(step);
    const { loss } = step.computeGradients(x, y);
    const ours = step.gradients();
    const vars = trainableGroup(model).variables as tf.Variable[];
    const theirs = await withTrueAvgPoolGradient(() => onCpu(() => tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => crossEntropy(model.apply(x, { training: true }) as tf.Tensor, y), vars);
      return { loss: value.dataSync()[0], grads: vars.map((v) => grads[v.name].dataSync().slice()) };
    })));
    expect(Math.abs(loss - theirs.loss)).toBeLessThan(1e-4 * Math.max(1, theirs.loss));
    expect(ours.size).toBe(theirs.grads.length);
    // Each gradient to 1e-4 of its largest value; a batch norm's scale or offset read only by a
    // later batch norm (which normalises it away) has a gradient of zero in exact arithmetic, whose
    // float32 rounding is compared at 1e-4 of a hundredth of the network's largest gradient instead.
    const largest = Math.max(...theirs.grads.map((g) => Math.max(...Array.from(g, Math.abs))));
    vars.forEach((v, i) => {
      const g = theirs.grads[i];
      const scale = Math.max(...Array.from(g, Math.abs), 1e-2 * largest);
      const err = Math.max(...Array.from(ours.get(v.name) as Float32Array, (a, j) => Math.abs(a - g[j])));
      expect(err / scale, `gradient ${i} (${v.name})`).toBeLessThan(1e-4);
    });
    step.dispose();
    tf.dispose([x, y]);
    model.dispose();
  });

  it("keeps batch norm's moving statistics as the model's BatchNorm layer does", async () => {
    const net = networks[6].net();
    const model = buildModel(net, { rng: createRng('moving') });
    const reference = buildModel(net, { rng: createRng('moving') });
    const { x, y } = batchFor(net, 4, 'moving');
    const step = TapeFreeStep.compile(net, model, { kind: 'sgd', learningRate: 1e-3 }, 4) as TapeFreeStep;
    step.computeGradients(x, y);
    step.syncToModel();
    await onCpu(() => tf.tidy(() => void reference.apply(x, { training: true })));
    const statistics = (m: tf.LayersModel) => m.nonTrainableWeights.map((w) => Array.from(w.read().dataSync()));
    const ours = statistics(model);
    expect(ours.length).toBeGreaterThan(4);
    // To 1e-5 of the larger of the values and 1: a mean after batch norms is zero up to rounding.
    statistics(reference).forEach((s, i) => {
      const err = Math.max(...s.map((v, j) => Math.abs(v - ours[i][j])));
      expect(err / Math.max(1, ...s.map(Math.abs)), `statistic ${i}`).toBeLessThan(1e-5);
    });
    step.dispose();
    tf.dispose([x, y]);
    model.dispose();
    reference.dispose();
  });

  it("tfjs's AvgPool gradient is not its forward's derivative at the border, which the step's is (why the comparison corrects it)", async () => {
    const x = tf.tensor4d(randomValues(16, 'pool'), [1, 4, 4, 1]);
    const w = tf.tensor4d(randomValues(16, 'weights'), [1, 4, 4, 1]);
    const f = (a: tf.Tensor) => tf.sum(tf.mul(tf.avgPool(a as tf.Tensor4D, 3, 1, 'same'), w));
    const [tfjs, numeric] = await onCpu(() => tf.tidy(() => {
      const g = tf.grad(f)(x).dataSync();
      const h = 1e-2;
      const corner = (d: number) => f(tf.add(x, tf.mul(tf.oneHot([0], 16).reshape([1, 4, 4, 1]), d))).dataSync()[0];
      return [g[0], (corner(h) - corner(-h)) / (2 * h)];
    }));
    const [, ours] = runKernel([Float32Array.from(w.dataSync()), new Float32Array(16)], (k, [pw, pdx]) => k.avgPoolGrad(pw, pdx, 1, 4, 4, 1, 3, 1, 1, 1, 4, 4));
    expect(Math.abs(ours[0] - numeric)).toBeLessThan(1e-3);
    expect(Math.abs(tfjs - numeric)).toBeGreaterThan(0.01);
    tf.dispose([x, w]);
  });

  const configs: OptimizerConfig[] = [
    { kind: 'adam', learningRate: 0.01 },
    { kind: 'sgd', learningRate: 0.05, momentum: 0.9 },
    { kind: 'sgd', learningRate: 0.05 },
  ];
  it.each(configs.map((c) => [`${c.kind}, momentum ${c.momentum ?? 0}`, c] as const))('follows GroupOptimizer over six steps (%s) to 1e-4', (_label, config) => {
    const net = networks[2].net();
    const run = (tapeFree: boolean): number[][] => {
      const model = buildModel(net, { rng: createRng('trajectory') });
      const { x, y } = batchFor(net, 6, 'trajectory');
      if (tapeFree) {
        const step = TapeFreeStep.compile(net, model, config, 6) as TapeFreeStep;
        for (let t = 0; t < 6; t++) {
          step.learningRate = config.learningRate * (1 - t / 10);
          step.step(x, y, t % 2, 5);
        }
        step.syncToModel();
        step.dispose();
      } else {
        const opt = new GroupOptimizer(trainableGroup(model), config);
        const vars = opt.group.variables as tf.Variable[];
        for (let t = 0; t < 6; t++) {
          opt.learningRate = config.learningRate * (1 - t / 10);
          tf.tidy(() => {
            const [xb, yb] = [x.slice(t % 2, 5), y.slice(t % 2, 5)];
            const { grads } = tf.variableGrads(() => crossEntropy(model.apply(xb, { training: true }) as tf.Tensor, yb), vars);
            opt.apply(vars.map((v) => grads[v.name]));
          });
        }
        opt.dispose();
      }
      const values = model.getWeights().map((w) => Array.from(w.dataSync()));
      tf.dispose([x, y]);
      model.dispose();
      return values;
    };
    const ours = run(true);
    const theirs = run(false);
    ours.forEach((w, i) => expect(relativeError(w, theirs[i]), `weight ${i}`).toBeLessThan(1e-4));
  });

  it('says why there is no step when the pack is off, and refuses bad arguments by name', () => {
    const net = networks[0].net();
    const model = buildModel(net, { rng: createRng(1) });
    setKernelPack(false);
    expect(TapeFreeStep.compile(net, model, { kind: 'adam', learningRate: 1e-3 }, 8)).toBe('the kernel pack is switched off');
    setKernelPack(true);
    expect(() => TapeFreeStep.compile({} as NetworkDescription, model, { kind: 'adam', learningRate: 1e-3 }, 8)).toThrow("TapeFreeStep.compile: 'net' must be a network description");
    expect(() => TapeFreeStep.compile(net, model, { kind: 'rmsprop' as 'adam', learningRate: 1e-3 }, 8)).toThrow("'config.kind'");
    expect(() => TapeFreeStep.compile(net, model, { kind: 'adam', learningRate: 1e-3 }, 0)).toThrow("'batchSize'");
    const other = buildModel(networks[4].net(), { rng: createRng(1) });
    expect(() => TapeFreeStep.compile(net, other, { kind: 'adam', learningRate: 1e-3 }, 8)).toThrow('build the model from the same description');
    const step = TapeFreeStep.compile(net, model, { kind: 'adam', learningRate: 1e-3 }, 8) as TapeFreeStep;
    const { x, y } = batchFor(net, 9, 'bad');
    expect(() => step.step(x, y, 0, 9)).toThrow("'size'");
    expect(() => step.step(tf.zeros([9, 8, 8, 2]), y, 0, 8)).toThrow("TapeFreeStep: 'x' must be a float32 tensor of rows of 64 values");
    expect(() => step.step(x, y.slice(0, 8), 0, 8)).toThrow("TapeFreeStep: 'y' must be float32 one-hot labels [9, 10]");
    step.dispose();
    tf.dispose([x, y]);
    model.dispose();
    other.dispose();
  });
});

describe('train() on the tape-free step', () => {
  const mlp = { kind: 'mlp' as const, widths: [32, 16] };

  it('trains an MLP on it with the pack on: same seed, same numbers; close to the tape path (pack off)', async () => {
    const a = await train(mlp, data, { rng: createRng(3), epochs: 4 });
    const b = await train(mlp, data, { rng: createRng(3), epochs: 4 });
    expect(a.step).toBe('tape-free');
    expect(b.history.map((h) => [h.trainLoss, h.validationLoss])).toEqual(a.history.map((h) => [h.trainLoss, h.validationLoss]));
    expect(b.testAccuracy).toBe(a.testAccuracy);
    setKernelPack(false);
    const tape = await train(mlp, data, { rng: createRng(3), epochs: 4 });
    expect(tape.step).toBe('tape');
    // Same arithmetic in another summation order: every epoch's losses agree to float32 rounding, and it learns.
    a.history.forEach((h, i) => {
      expect(Math.abs(h.trainLoss - tape.history[i].trainLoss)).toBeLessThan(1e-4);
      expect(Math.abs(h.validationLoss - tape.history[i].validationLoss)).toBeLessThan(1e-4);
    });
    expect(Math.abs(a.testAccuracy - tape.testAccuracy)).toBeLessThan(0.02);
    expect(a.history[3].trainLoss).toBeLessThan(a.history[0].trainLoss - 0.2);
  });

  it('trains a NAS-Bench-201 cell network on it, repeatably; without average pooling it follows the tape path', async () => {
    const network = { channels: 4, stages: 2 };
    const convs = nb201CellArch(parseNb201Cell('|conv3x3~0|+|skip~0|conv1x1~1|+|conv3x3~0|skip~1|conv1x1~2|'));
    const a = await train(convs, data, { rng: createRng(5), epochs: 3, network });
    const b = await train(convs, data, { rng: createRng(5), epochs: 3, network });
    expect(a.step).toBe('tape-free');
    expect(b.history.map((h) => h.trainLoss)).toEqual(a.history.map((h) => h.trainLoss));
    setKernelPack(false);
    const tape = await train(convs, data, { rng: createRng(5), epochs: 3, network });
    expect(tape.step).toBe('tape');
    a.history.forEach((h, i) => expect(Math.abs(h.trainLoss - tape.history[i].trainLoss)).toBeLessThan(1e-3));
    expect(a.history[2].trainLoss).toBeLessThan(a.history[0].trainLoss);
  });

  it('releases every tensor it made, on either path', async () => {
    const before = tf.memory().numTensors;
    await train(mlp, data, { rng: createRng(4), epochs: 1, optimizer: 'sgd' });
    expect(tf.memory().numTensors).toBe(before);
  });
});
