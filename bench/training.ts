/**
 * Benchmark of `train()` (not a test: it measures and prints, it asserts nothing).
 *
 * 1. Our training loop (optimizer.minimize on the model's variables, one tidy per batch: what
 *    `train` does) against `LayersModel.fit` on the same model, data, seeds, epochs and batch size,
 *    runs alternating so both see the same machine load; median wall time of REPEATS runs after a
 *    warm-up, and both test accuracies. Networks: an MLP genome and a NAS-Bench-201 cell network.
 * 2. One forward + backward pass of batch normalisation on a [64, 8, 8, 16] tensor: nasbook's
 *    `BatchNorm` layer (hand-written gradient) against `tf.layers.batchNormalization` (whose
 *    gradient uses `tile`).
 *
 * Runs on wasm with nasbook's gradient kernels. Fewer repeats: NASBOOK_BENCH_REPEATS=1.
 */
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../src/core/rng';
import { init } from '../src/tensor/backend';
import { registerWasmKernels } from '../src/tensor/kernels';
import { prepareDigits, dataTensors, type PreparedData } from '../src/tensor/data';
import { BatchNorm, buildModel, inputLayout } from '../src/tensor/models';
import { train } from '../src/tensor/train';
import type { Architecture, NetworkOptions } from '../src/tensor/arch';
import { nb201CellArch, parseNb201Cell } from '../src/spaces/nb201';

const REPEATS = Math.max(1, Number(process.env.NASBOOK_BENCH_REPEATS ?? 5));
const EPOCHS = 10;
const BATCH = 64;
const LEARNING_RATE = 0.01;

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Run {
  seconds: number;
  testAccuracy: number;
}

/** The same training through LayersModel.fit: seeded order by one gather per epoch, fit without shuffling. */
async function trainWithFit(arch: Architecture, data: PreparedData, network: NetworkOptions, seed: number): Promise<Run> {
  const t0 = performance.now();
  const rng = createRng(seed);
  const model = buildModel(arch, { inputShape: data.imageShape, numClasses: data.numClasses, ...network, rng: rng.child('init') });
  const optimizer = tf.train.adam(LEARNING_RATE);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const layout = inputLayout(arch);
  const [tr, va, te] = (['train', 'validation', 'test'] as const).map((p) => dataTensors(data, p, { layout }));
  const batches = rng.child('batches');
  const rows = Array.from({ length: data.train.size }, (_, i) => i);
  for (let e = 0; e < EPOCHS; e++) {
    const idx = tf.tensor1d(batches.shuffle(rows), 'int32');
    const xs = tf.gather(tr.x, idx);
    const ys = tf.gather(tr.y, idx);
    await model.fit(xs, ys, { epochs: 1, batchSize: BATCH, shuffle: false, validationData: [va.x, va.y], verbose: 0 });
    tf.dispose([idx, xs, ys]);
  }
  const [, acc] = model.evaluate(te.x, te.y, { batchSize: 512 }) as tf.Scalar[];
  const testAccuracy = (await acc.data())[0];
  tf.dispose([tr.x, tr.y, va.x, va.y, te.x, te.y]);
  optimizer.dispose();
  model.dispose();
  return { seconds: (performance.now() - t0) / 1000, testAccuracy };
}

async function trainWithLoop(arch: Architecture, data: PreparedData, network: NetworkOptions, seed: number): Promise<Run> {
  // A constant step, as fit has here, so both loops do the same arithmetic.
  const r = await train(arch, data, { rng: createRng(seed), epochs: EPOCHS, batchSize: BATCH, learningRate: LEARNING_RATE, schedule: 'constant', network });
  return { seconds: r.wallSeconds, testAccuracy: r.testAccuracy };
}

async function compareLoops(data: PreparedData): Promise<void> {
  const cell = nb201CellArch(parseNb201Cell('|conv3x3~0|+|skip~0|conv1x1~1|+|none~0|skip~1|avgpool3x3~2|'));
  const cases: Array<[string, Architecture, NetworkOptions]> = [
    ['mlp 64-32-16', { kind: 'mlp', widths: [64, 32, 16] }, {}],
    ['cell C=8, 2 stages', cell, { channels: 8, stages: 2 }],
    ['cell C=16, 3 stages', cell, { channels: 16, stages: 3 }],
  ];
  console.log(`\ntraining loop vs LayersModel.fit: digits ${data.train.size} train rows, ${EPOCHS} epochs, batch ${BATCH}, Adam ${LEARNING_RATE}, median of ${REPEATS}`);
  console.log(['network'.padEnd(22), 'loop s', 'fit s', 'fit/loop', 'loop acc', 'fit acc'].join('  '));
  for (const [name, arch, network] of cases) {
    await trainWithLoop(arch, data, network, 0);
    await trainWithFit(arch, data, network, 0);
    const loop: Run[] = [];
    const fit: Run[] = [];
    for (let r = 0; r < REPEATS; r++) {
      loop.push(await trainWithLoop(arch, data, network, r + 1));
      fit.push(await trainWithFit(arch, data, network, r + 1));
    }
    const l = median(loop.map((x) => x.seconds));
    const f = median(fit.map((x) => x.seconds));
    const acc = (runs: Run[]) => median(runs.map((x) => x.testAccuracy)).toFixed(3);
    console.log([name.padEnd(22), l.toFixed(2).padStart(6), f.toFixed(2).padStart(5), (f / l).toFixed(2).padStart(8), acc(loop).padStart(8), acc(fit).padStart(7)].join('  '));
  }
}

function batchNormStepMs(layer: tf.layers.Layer, x: tf.Tensor, repeats: number): number {
  layer.build(x.shape);
  const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const step = () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar, vars);
      const dx = tf.grad((xi: tf.Tensor) => tf.sum(tf.square(layer.apply(xi, { training: true }) as tf.Tensor)))(x);
      return [value, dx, ...Object.values(grads)].map((t) => t.dataSync()[0]);
    });
  for (let i = 0; i < 5; i++) step();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    step();
    times.push(performance.now() - t0);
  }
  return median(times);
}

function compareBatchNorm(): void {
  const x = tf.randomNormal([64, 8, 8, 16], 0, 1, 'float32', 1);
  const repeats = 10 * REPEATS;
  const ours = batchNormStepMs(new BatchNorm({ momentum: 0.9, epsilon: 1e-5 }), x, repeats);
  const theirs = batchNormStepMs(tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }), x, repeats);
  console.log(`\nbatch norm, training-mode forward + gradients (x, gamma, beta) on [64, 8, 8, 16], median of ${repeats}:`);
  console.log(`  nasbook BatchNorm ${ours.toFixed(2)} ms, tf.layers.batchNormalization ${theirs.toFixed(2)} ms (${(theirs / ours).toFixed(1)}x)`);
  x.dispose();
}

/** The training benchmark section of `npm run bench`. */
export async function benchTraining(): Promise<void> {
  const info = await init({ prefer: 'wasm', quiet: true });
  registerWasmKernels();
  console.log(`training bench: tfjs ${tf.version.tfjs} on '${info.backend}', ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
  compareBatchNorm();
  await compareLoops(prepareDigits(createRng(0)));
}

if (require.main === module) {
  benchTraining().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
