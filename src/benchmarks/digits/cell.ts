/**
 * Trains and measures one cell under a NAS-Bench-Digits protocol: the work of one table row.
 */
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../core/rng';
import { parseNb201Cell, nb201CellArch } from '../../spaces/nb201';
import { prepareDigits, type PreparedData } from '../../tensor/data';
import { buildModel } from '../../tensor/models';
import { train } from '../../tensor/train';
import { withKernelPack } from '../../tensor/pack';
import { DIGITS_KERNELS, type DigitsBenchProtocol } from './protocol';
import type { DigitsTask } from './shard';

/** One row of the table: a cell trained with one seed. Plain JSON. */
export interface DigitsBenchRecord {
  /** Canonical cell string. */
  cell: string;
  seed: string;
  /** Validation accuracy after each epoch (index 0 = epoch 1); the last is the final one. */
  validationAccuracy: number[];
  validationLoss: number[];
  /** Train accuracy (running mean over the last epoch's batches). */
  trainAccuracy: number;
  testAccuracy: number;
  testLoss: number;
  /** Trainable parameters and multiply-accumulates per example (from archCost). */
  params: number;
  macs: number;
  /** Median inference latency in milliseconds per batch, keyed by batch size (not reproducible). */
  latencyMs: Record<string, number>;
  /** Wall time of training, testing included (not reproducible). */
  trainSeconds: number;
}

/** The record fields that depend on the machine's speed and are excluded from reproducibility checks. */
export const DIGITS_TIMING_FIELDS: readonly (keyof DigitsBenchRecord)[] = ['latencyMs', 'trainSeconds'];

/**
 * The protocol's data: the digits split by its seed into its fractions, scaled to [0, 1].
 * @example digitsBenchData(DEFAULT_DIGITS_PROTOCOL).train.size // 541
 */
export function digitsBenchData(protocol: DigitsBenchProtocol): PreparedData {
  return prepareDigits(createRng(protocol.data.splitSeed), { ...protocol.data.fractions, normalization: 'scale' });
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Median wall time (ms) of a forward pass of the cell's network per batch size, on a freshly built
 * model (latency does not depend on the weights), reading the result back so the time is complete.
 */
async function measureLatency(cell: string, protocol: DigitsBenchProtocol, data: PreparedData): Promise<Record<string, number>> {
  const arch = nb201CellArch(parseNb201Cell(cell));
  const model = buildModel(arch, { inputShape: data.imageShape, numClasses: data.numClasses, rng: createRng('latency'), ...protocol.network });
  const out: Record<string, number> = {};
  try {
    for (const b of protocol.latency.batchSizes) {
      const x = tf.zeros([b, ...data.imageShape]);
      try {
        const run = async (): Promise<number> => {
          const t0 = performance.now();
          const y = model.predict(x) as tf.Tensor;
          await y.data();
          y.dispose();
          return performance.now() - t0;
        };
        for (let i = 0; i < protocol.latency.warmup; i++) await run();
        const times: number[] = [];
        for (let i = 0; i < protocol.latency.repeats; i++) times.push(await run());
        out[String(b)] = Number(median(times).toFixed(4));
      } finally {
        x.dispose();
      }
    }
  } finally {
    model.dispose();
  }
  return out;
}

/**
 * Trains one cell with one seed under a protocol and measures it: per-epoch validation accuracy,
 * test accuracy, parameters and MACs, inference latency, training time.
 * @param task the cell (canonical string) and seed
 * @param protocol the protocol (checked by the caller)
 * @param data the protocol's data (from digitsBenchData), passed in so a worker prepares it once
 * @throws RangeError for a cell string that does not parse; whatever `train` throws
 * @example await trainDigitsCell({ cell: '|skip~0|+|none~0|none~1|+|none~0|none~1|skip~2|', seed: 's' }, p, digitsBenchData(p))
 */
export async function trainDigitsCell(task: DigitsTask, protocol: DigitsBenchProtocol, data: PreparedData): Promise<DigitsBenchRecord> {
  // The table's rows are a function of the kernels too: train on the ones its engine names.
  return withKernelPack(DIGITS_KERNELS === 'pack', () => trainAndMeasure(task, protocol, data));
}

async function trainAndMeasure(task: DigitsTask, protocol: DigitsBenchProtocol, data: PreparedData): Promise<DigitsBenchRecord> {
  const arch = nb201CellArch(parseNb201Cell(task.cell));
  const r = await train(arch, data, { rng: createRng(task.seed), ...protocol.training, network: protocol.network });
  const latencyMs = await measureLatency(task.cell, protocol, data);
  const last = r.history[r.history.length - 1];
  return {
    cell: task.cell,
    seed: task.seed,
    validationAccuracy: r.history.map((h) => h.validationAccuracy),
    validationLoss: r.history.map((h) => h.validationLoss),
    trainAccuracy: last.trainAccuracy,
    testAccuracy: r.testAccuracy,
    testLoss: r.testLoss,
    params: r.params,
    macs: r.macs,
    latencyMs,
    trainSeconds: Number(r.wallSeconds.toFixed(3)),
  };
}
