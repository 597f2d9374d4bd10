/**
 * Parameter count and multiply-accumulates (MACs) of a network, computed from its architecture
 * description alone, op by op, without building anything. The latency chapter fits per-op
 * latencies to these numbers; the search chapters use the totals as model-size objectives.
 *
 * Conventions (per input example, batch 1):
 * - a k x k convolution from C_in to C_out channels over an H x W output does H·W·C_out·k²·C_in
 *   MACs and has k²·C_in·C_out weights (no bias: batch norm follows it);
 * - a dense layer from n to m units does n·m MACs and has n·m + m parameters;
 * - pooling counts one accumulate per window element: a k x k average pool does H·W·C·k², a global
 *   average pool H·W·C;
 * - batch norm, ReLU, identity and additions are elementwise and count 0 MACs (their cost shows in
 *   the output size); batch norm has 2·C trainable parameters (scale, offset) and 2·C
 *   non-trainable ones (moving mean and variance), which tfjs's `countParams()` includes.
 *
 * The network follows NAS-Bench-201, scaled to small images: a stem (3x3 conv + BN), `stages`
 * stages of `cellsPerStage` cells, a residual reduction block between stages (ReLU-Conv3x3/2-BN,
 * ReLU-Conv3x3-BN, shortcut 2x2 average pool/2 + 1x1 conv, channels doubled), then BN, ReLU, global
 * average pooling and a dense softmax classifier. Only the live part of each cell is counted
 * (see `liveCell`), exactly as the builder builds it.
 */
import { checkArray, checkInt, describe } from '../core/checks';
import {
  checkArchitecture,
  liveCell,
  resolveNetworkOptions,
  type Architecture,
  type CellArch,
  type CellOp,
  type MlpArch,
  type NetworkOptions,
  type ResolvedNetworkOptions,
} from './arch';

/** What one entry of the cost breakdown is. */
export type OpKind = 'stem' | Exclude<CellOp, 'none'> | 'add' | 'zero' | 'reduction' | 'head' | 'dense';

/** The cost of one operation of a network. */
export interface OpCost {
  /** Where it sits, e.g. 'stage2/cell1/edge3<-1', 'stage2/reduction', 'classifier'. */
  name: string;
  op: OpKind;
  /** Multiply-accumulates per example. */
  macs: number;
  /** Trainable parameters. */
  params: number;
  /** Non-trainable parameters (batch norm moving statistics). */
  nonTrainableParams: number;
  /** Shape of the output for one example ([h, w, c] or [units]). */
  outputShape: number[];
  /** Number of output values for one example. */
  outputSize: number;
}

/** The cost of a whole network and its per-op breakdown. */
export interface ArchCost {
  /** Trainable parameters. */
  params: number;
  nonTrainableParams: number;
  /** params + nonTrainableParams: what tfjs's `model.countParams()` reports. */
  totalParams: number;
  /** Multiply-accumulates per example. */
  macs: number;
  ops: OpCost[];
}

/** The input and output of a network: an image shape and a class count. */
export interface ModelShape {
  /** One example: [height, width, channels] (an MLP also accepts [features]). */
  inputShape: number[];
  numClasses: number;
}

/** Everything that fixes a network besides its weights. */
export type ModelOptions = ModelShape & NetworkOptions;

/**
 * Checks the input shape and class count of a network for an architecture and returns them.
 * @param opts an object with inputShape ([h, w, c]; an MLP also accepts [features]) and numClasses (>= 2)
 * @param arch the architecture (a cell network needs an image shape)
 * @param caller the public function's name, for the error message
 * @throws TypeError/RangeError naming the bad field
 * @example checkModelShape({ inputShape: [8, 8, 1], numClasses: 10 }, { kind: 'mlp', widths: [8] }, 'f')
 */
export function checkModelShape(opts: unknown, arch: Architecture, caller: string): ModelShape {
  if (typeof opts !== 'object' || opts === null) {
    throw new TypeError(`${caller}: 'opts' must be an object { inputShape, numClasses, ... }, got ${describe(opts)}`);
  }
  const o = opts as Record<string, unknown>;
  const shape = checkArray<unknown>('inputShape', o.inputShape, { minLength: 1 }, caller);
  if (arch.kind === 'cell' && shape.length !== 3) {
    throw new RangeError(`${caller}: 'inputShape' must be [height, width, channels] for a cell network, got ${describe(shape)}`);
  }
  if (shape.length !== 1 && shape.length !== 3) {
    throw new RangeError(`${caller}: 'inputShape' must be [height, width, channels] or [features], got ${describe(shape)}`);
  }
  shape.forEach((d, i) => checkInt(`inputShape[${i}]`, d, { min: 1 }, caller));
  checkInt('numClasses', o.numClasses, { min: 2 }, caller);
  return { inputShape: shape as number[], numClasses: o.numClasses as number };
}

const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

function entry(name: string, op: OpKind, macs: number, params: number, nonTrainableParams: number, outputShape: number[]): OpCost {
  return { name, op, macs, params, nonTrainableParams, outputShape, outputSize: product(outputShape) };
}

/** A dense layer n -> m. */
function dense(name: string, n: number, m: number): OpCost {
  return entry(name, 'dense', n * m, n * m + m, 0, [m]);
}

function mlpCost(arch: MlpArch, shape: ModelShape): OpCost[] {
  const ops: OpCost[] = [];
  let units = product(shape.inputShape);
  arch.widths.forEach((w, i) => {
    ops.push(dense(`dense${i + 1}`, units, w));
    units = w;
  });
  ops.push(dense('classifier', units, shape.numClasses));
  return ops;
}

/** One ReLU-Conv(k x k)-BN op keeping h x w x c. */
function convOp(name: string, op: 'conv1x1' | 'conv3x3', h: number, w: number, c: number): OpCost {
  const k = op === 'conv1x1' ? 1 : 3;
  return entry(name, op, h * w * c * k * k * c, k * k * c * c + 2 * c, 2 * c, [h, w, c]);
}

/** The ops of one cell at h x w x c, in evaluation order. */
function cellCost(prefix: string, cell: CellArch, h: number, w: number, c: number): OpCost[] {
  const live = liveCell(cell);
  if (live.zero) return [entry(`${prefix}/zero`, 'zero', 0, 0, 0, [h, w, c])];
  const ops: OpCost[] = [];
  for (const v of live.order.slice(1)) {
    const incoming = live.edges.filter((e) => e.to === v);
    for (const e of incoming) {
      const name = `${prefix}/edge${e.to}<-${e.from}`;
      if (e.op === 'conv1x1' || e.op === 'conv3x3') ops.push(convOp(name, e.op, h, w, c));
      else if (e.op === 'avgpool3x3') ops.push(entry(name, 'avgpool3x3', h * w * c * 9, 0, 0, [h, w, c]));
      else ops.push(entry(name, 'skip', 0, 0, 0, [h, w, c]));
    }
    if (incoming.length > 1) ops.push(entry(`${prefix}/node${v}`, 'add', 0, 0, 0, [h, w, c]));
  }
  return ops;
}

/** The residual stride-2 block from h x w x cIn to ceil(h/2) x ceil(w/2) x cOut. */
function reductionCost(name: string, h: number, w: number, cIn: number, cOut: number): OpCost {
  const h2 = Math.ceil(h / 2);
  const w2 = Math.ceil(w / 2);
  const macs =
    h2 * w2 * cOut * 9 * cIn + // ReLU-Conv3x3 stride 2-BN
    h2 * w2 * cOut * 9 * cOut + // ReLU-Conv3x3-BN
    h2 * w2 * cIn * 4 + // shortcut: 2x2 average pool, stride 2
    h2 * w2 * cOut * cIn; // shortcut: 1x1 conv
  const params = 9 * cIn * cOut + 9 * cOut * cOut + cIn * cOut + 2 * (2 * cOut);
  return entry(name, 'reduction', macs, params, 2 * (2 * cOut), [h2, w2, cOut]);
}

function cellNetworkCost(cell: CellArch, shape: ModelShape, net: ResolvedNetworkOptions): OpCost[] {
  let [h, w, cIn] = shape.inputShape;
  let c = net.channels;
  const ops: OpCost[] = [entry('stem', 'stem', h * w * c * 9 * cIn, 9 * cIn * c + 2 * c, 2 * c, [h, w, c])];
  for (let s = 1; s <= net.stages; s++) {
    if (s > 1) {
      const red = reductionCost(`stage${s}/reduction`, h, w, c, 2 * c);
      ops.push(red);
      [h, w, c] = red.outputShape;
    }
    for (let k = 1; k <= net.cellsPerStage; k++) ops.push(...cellCost(`stage${s}/cell${k}`, cell, h, w, c));
  }
  ops.push(entry('head', 'head', h * w * c, 2 * c, 2 * c, [c]));
  ops.push(dense('classifier', c, shape.numClasses));
  return ops;
}

/**
 * Parameters and MACs of the network an architecture describes, with a per-op breakdown, computed
 * from the description (the conventions are in this file's header).
 * @param arch an MLP genome or a cell
 * @param opts inputShape ([8, 8, 1] for digits), numClasses, and for a cell the network options
 *   (channels, cellsPerStage, stages)
 * @throws TypeError/RangeError for an invalid architecture or option
 * @example archCost({ kind: 'mlp', widths: [32] }, { inputShape: [8, 8, 1], numClasses: 10 }).params
 * // 64·32 + 32 + 32·10 + 10 = 2410
 */
export function archCost(arch: Architecture, opts: ModelOptions): ArchCost {
  const caller = 'archCost';
  checkArchitecture(arch, caller);
  const shape = checkModelShape(opts, arch, caller);
  const ops = arch.kind === 'mlp' ? mlpCost(arch, shape) : cellNetworkCost(arch, shape, resolveNetworkOptions(opts, caller));
  const params = ops.reduce((a, o) => a + o.params, 0);
  const nonTrainableParams = ops.reduce((a, o) => a + o.nonTrainableParams, 0);
  return { params, nonTrainableParams, totalParams: params + nonTrainableParams, macs: ops.reduce((a, o) => a + o.macs, 0), ops };
}
