/**
 * The measurement harness: wall-clock time of a forward pass on the active tfjs backend, for a
 * whole network or a single operation, with warm-up runs (the first calls compile kernels and
 * allocate), repeats, and the median with its spread (quartiles), because a shared machine's
 * timings have outliers that a mean would follow.
 *
 * A single operation is timed as a one-operation model built from the same operation table the
 * network builder uses, so it is the very code path a network runs. Every model call has a fixed
 * cost besides its operations (input checks, the executor); `measureOperation` subtracts the
 * time of an empty model (the identity) at the same input shape, measured in the same run, so
 * that a network's latency is predicted as that fixed cost once plus its operations.
 */
import { checkInt, checkNumber, describe } from '../../core/checks';
import { checkRng, type Rng } from '../../core/rng';
import { quantile } from '../../core/stats';
import { tf } from '../../tensor';
import { buildModel } from '../../tensor/models';
import { NETWORK_INPUT, checkNetworkDescription, type NetOp, type NetworkDescription } from '../../tensor/network';

/** Options of the timing functions. */
export interface TimingOptions {
  /** Examples per forward pass (1 and 64 are the usual pair). */
  batch: number;
  /** Untimed passes first (default 3). */
  warmup?: number;
  /** Timed passes (default 15). */
  repeats?: number;
  /** Seeds the weights and the input. */
  rng: Rng;
}

/** Timings of repeated forward passes, in milliseconds. */
export interface Timing {
  medianMs: number;
  /** First and third quartiles: the spread. */
  q25Ms: number;
  q75Ms: number;
  minMs: number;
  /** Every timed pass, in order. */
  samplesMs: number[];
  batch: number;
}

interface ResolvedTiming {
  batch: number;
  warmup: number;
  repeats: number;
  rng: Rng;
}

function checkTiming(opts: unknown, caller: string): ResolvedTiming {
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be { batch, rng, warmup?, repeats? }, got ${describe(opts)}`);
  const o = opts as Partial<TimingOptions>;
  return {
    batch: checkInt('opts.batch', o.batch, { min: 1, max: 4096 }, caller),
    warmup: checkInt('opts.warmup', o.warmup ?? 3, { min: 0 }, caller),
    repeats: checkInt('opts.repeats', o.repeats ?? 15, { min: 1 }, caller),
    rng: checkRng('opts.rng', o.rng, caller),
  };
}

/** Times `model.predict` on one seeded input batch; the model stays the caller's. */
function timeModel(model: tf.LayersModel, inputShape: readonly number[], o: ResolvedTiming): Timing {
  const x = tf.randomNormal([o.batch, ...inputShape], 0, 1, 'float32', o.rng.uint32());
  const pass = (): number => {
    const start = performance.now();
    const y = model.predict(x) as tf.Tensor;
    y.dataSync(); // wait for the result, not just the dispatch
    const ms = performance.now() - start;
    y.dispose();
    return ms;
  };
  try {
    for (let i = 0; i < o.warmup; i++) pass();
    const samplesMs = Array.from({ length: o.repeats }, pass);
    return {
      medianMs: quantile(samplesMs, 0.5),
      q25Ms: quantile(samplesMs, 0.25),
      q75Ms: quantile(samplesMs, 0.75),
      minMs: Math.min(...samplesMs),
      samplesMs,
      batch: o.batch,
    };
  } finally {
    x.dispose();
  }
}

function timeDescription(net: NetworkDescription, o: ResolvedTiming): Timing {
  const model = buildModel(net, { rng: o.rng.child('weights') });
  try {
    return timeModel(model, net.inputShape, o);
  } finally {
    model.dispose();
  }
}

/**
 * Times whole forward passes of a network on the active backend (call `init()` first).
 * @param net a network description (from describeNetwork)
 * @param opts batch, warm-up passes (3), timed passes (15), rng (weights and input)
 * @throws TypeError/RangeError for a bad description or option
 * @example measureNetwork(describeNetwork(cell, { inputShape: [8, 8, 1], numClasses: 10 }), { batch: 64, rng: createRng(0) }).medianMs
 */
export function measureNetwork(net: NetworkDescription, opts: TimingOptions): Timing {
  const caller = 'measureNetwork';
  const d = checkNetworkDescription('net', net, caller);
  return timeDescription(d, checkTiming(opts, caller));
}

/** A one-operation network: `op` reading the network input for each of its inputs. */
function singleOpNetwork(op: NetOp | Pick<NetOp, 'op' | 'inputShapes' | 'channels'>, kind: NetOp['op']): NetworkDescription {
  const inputShape = [...op.inputShapes[0]];
  const entry = { ...(op as NetOp), op: kind, name: kind, inputs: op.inputShapes.map(() => NETWORK_INPUT), depth: 1 } as NetOp;
  return { kind: 'network', inputShape, numClasses: 2, layout: inputShape.length === 3 ? 'nhwc' : 'flat', cell: null, network: null, ops: [entry] };
}

/** The timing of one operation, with the empty model's time at the same input shape. */
export interface OperationTiming extends Timing {
  /** The empty (identity) model's timing at the same input shape and batch, measured just before. */
  empty: Timing;
  /** The empty model's median. */
  overheadMs: number;
  /** medianMs − overheadMs, at least 0: the operation's own time. */
  opMs: number;
}

/**
 * Times one operation of a network description alone, as a one-operation model, and the empty
 * model at the same input shape, in the same run; their difference is the operation's own time.
 * @param op an entry of a description's `ops` (only op, inputShapes, channels and activation are read)
 * @param opts batch, warm-up passes (3), timed passes (15), rng
 * @throws TypeError/RangeError for a bad option or an operation without input shapes
 * @example measureOperation(net.ops[1], { batch: 1, rng: createRng(0) }).opMs
 */
export function measureOperation(op: NetOp, opts: TimingOptions): OperationTiming {
  const caller = 'measureOperation';
  if (typeof op !== 'object' || op === null || !Array.isArray(op.inputShapes) || op.inputShapes.length === 0) {
    throw new TypeError(`${caller}: 'op' must be an operation of a network description (with inputShapes), got ${describe(op)}`);
  }
  checkNumber('op.channels', op.channels, { min: 1 }, caller);
  const o = checkTiming(opts, caller);
  const empty = timeDescription(singleOpNetwork(op, 'skip'), { ...o, rng: o.rng.child('empty') });
  const timing = timeDescription(singleOpNetwork(op, op.op), o);
  return { ...timing, empty, overheadMs: empty.medianMs, opMs: Math.max(0, timing.medianMs - empty.medianMs) };
}

/**
 * The time of an empty (identity) model at an input shape: the fixed cost every forward pass pays.
 * @param inputShape one example's shape ([8, 8, 1] for the digits)
 * @param opts batch, warm-up passes, timed passes, rng
 * @throws TypeError/RangeError for a bad shape or option
 * @example measureOverhead([8, 8, 1], { batch: 1, rng: createRng(0) }).medianMs
 */
export function measureOverhead(inputShape: readonly number[], opts: TimingOptions): Timing {
  const caller = 'measureOverhead';
  if (!Array.isArray(inputShape) || inputShape.length === 0) throw new TypeError(`${caller}: 'inputShape' must be a non-empty array of sizes, got ${describe(inputShape)}`);
  inputShape.forEach((d, i) => checkInt(`inputShape[${i}]`, d, { min: 1 }, caller));
  const o = checkTiming(opts, caller);
  return timeDescription(singleOpNetwork({ op: 'skip', inputShapes: [[...inputShape]], channels: inputShape[inputShape.length - 1] }, 'skip'), o);
}
