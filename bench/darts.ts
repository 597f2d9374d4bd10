/**
 * Benchmark of one DARTS search epoch (not a test: it measures and prints, it asserts nothing).
 * Run alone: `node dist-bench/bench/index.js darts` after `npm run bench`.
 *
 * One first-order epoch of `DartsSearch` on NAS-Bench-Digits' split (541 training rows for w, 360
 * validation rows for α, batches of 64: 9 steps of an α step then a weight step), the loop the
 * collapse runs use (`runDartsSearch`), against the same supernet and loop in PyTorch on one thread
 * (bench/torch_reference.py, `darts_epoch`: the same optimisers and settings). The two alternate,
 * repeat by repeat, so both see the same machine load. Prints `ratio nasbook DARTS epoch/PyTorch`.
 * A second-order epoch is timed too (nasbook only), for the cost the collapse plan was sized by.
 */
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../src/core/rng';
import { DEFAULT_DIGITS_PROTOCOL } from '../src/benchmarks/digits/protocol';
import { digitsBenchData } from '../src/benchmarks/digits/cell';
import { dataTensors } from '../src/tensor/data';
import { DartsSearch, dartsEpochBatches, disposeDartsBatches, type DartsOrder } from '../src/strategies/darts/search';
import { fmt, findTorchPython, median, REPEATS, startTorch, useWasmBackend, type Digits, type TorchReference } from './kernels';

/** Wall ms of one search epoch of a fresh DartsSearch, after one untimed epoch (warm-up). */
function nasbookEpochMs(order: DartsOrder, train: { x: tf.Tensor; y: tf.Tensor }, validation: { x: tf.Tensor; y: tf.Tensor }, seed: number): { ms: number; steps: number } {
  const steps = Math.ceil(train.x.shape[0] / 64);
  const darts = new DartsSearch({ rng: createRng(`bench-darts/${seed}`), steps: 10 * steps, network: DEFAULT_DIGITS_PROTOCOL.network, order });
  const epoch = (e: number): number => {
    const t0 = performance.now();
    const batches = dartsEpochBatches(train, validation, 64, createRng(`bench-darts/order/${e}`));
    for (const b of batches) darts.step(b);
    disposeDartsBatches(batches);
    return performance.now() - t0;
  };
  try {
    epoch(0);
    return { ms: epoch(1), steps };
  } finally {
    darts.dispose();
  }
}

/** The split as the PyTorch child reads it: flat pixel rows and integer labels. */
function digitsForTorch(train: { x: tf.Tensor; yInt: tf.Tensor }, validation: { x: tf.Tensor; yInt: tf.Tensor }): Digits {
  return {
    trainX: Float32Array.from(train.x.dataSync()),
    trainY: Int32Array.from(train.yInt.dataSync()),
    valX: Float32Array.from(validation.x.dataSync()),
    valY: Int32Array.from(validation.yInt.dataSync()),
  };
}

/** The darts section. */
export async function benchDarts(): Promise<void> {
  await useWasmBackend();
  const data = digitsBenchData(DEFAULT_DIGITS_PROTOCOL);
  const train = dataTensors(data, 'train');
  const validation = dataTensors(data, 'validation');
  const trainInt = dataTensors(data, 'train', { labels: 'int' });
  const validationInt = dataTensors(data, 'validation', { labels: 'int' });
  const py = findTorchPython();
  let torch: TorchReference | null = null;
  let note = 'PyTorch baseline skipped: no python3 here can import torch';
  if (py !== null) {
    try {
      torch = await startTorch(py, digitsForTorch({ x: trainInt.x, yInt: trainInt.y }, { x: validationInt.x, yInt: validationInt.y }));
      note = `PyTorch ${torch.version} via ${py}`;
    } catch (error) {
      note = `PyTorch baseline skipped: ${(error as Error).message}`;
    }
  }
  const repeats = Math.max(3, REPEATS);
  const ours: number[] = [];
  const theirs: number[] = [];
  let steps = 0;
  try {
    for (let r = 0; r < repeats; r++) {
      const o = nasbookEpochMs(1, train, validation, r);
      ours.push(o.ms);
      steps = o.steps;
      if (torch) theirs.push((await torch.dartsEpoch()).epochMs);
    }
    const second = nasbookEpochMs(2, train, validation, 0).ms;
    const load = os.loadavg().map((l) => l.toFixed(1)).join(', ');
    console.log(`\nOne DARTS search epoch on NAS-Bench-Digits' split (${data.train.size} training, ${data.validation.size} validation rows, batch 64: ` +
      `${steps} steps of an α step then a weight step), NAS-Bench-Digits supernet (8 channels, 2 stages, 6 mixed edges over 5 operations); ` +
      `median of ${repeats}, load average ${load} on ${os.cpus().length} cores`);
    console.log(`  nasbook first order: ${fmt(median(ours), 0)} ms (${fmt(median(ours) / steps, 1)} ms a step); second order: ${fmt(second, 0)} ms (one epoch, ${fmt(second / median(ours), 1)}x first order)`);
    if (torch) {
      console.log(`  PyTorch first order (same supernet and loop, 1 thread): ${fmt(median(theirs), 0)} ms`);
      console.log(`ratio nasbook DARTS epoch/PyTorch: ${fmt(median(ours) / median(theirs), 2)}`);
    } else console.log(note);
  } finally {
    torch?.close();
    tf.dispose([train.x, train.y, validation.x, validation.y, trainInt.x, trainInt.y, validationInt.x, validationInt.y]);
  }
}
