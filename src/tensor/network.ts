/**
 * ONE description of a whole network, as plain data, that every reader walks: the model builder
 * (`buildModel`), the cost model (`archCost`), the supernet (`buildSupernet`) and the latency model.
 *
 * A description is a list of operations in evaluation order (a topological order of the network's
 * operation graph). Each entry names its inputs by index, says what it is (an entry of
 * `NETWORK_OPS`), and carries its size and cost for one example: input and output shapes, MACs,
 * parameters, and its depth in the operation graph (1 + the largest depth of its inputs; the
 * network input has depth 0), so operations of equal depth are the ones that could run side by side.
 *
 * A cell network follows NAS-Bench-201, scaled to small images: a stem (3x3 conv + BN), `stages`
 * stages of `cellsPerStage` cells, a residual reduction block between stages (channels doubled),
 * then BN, ReLU, global average pooling and a dense softmax classifier. Only the live part of each
 * cell is described (see `liveCell`); a node with several incoming edges adds them ('add').
 * An MLP is its dense layers and the classifier.
 */
import { checkArray, checkInt, checkOneOf, describe } from '../core/checks';
import {
  checkMlpArch,
  checkSupernetCell,
  isMixedEdge,
  liveCell,
  resolveNetworkOptions,
  type Architecture,
  type CellOp,
  type MlpArch,
  type NetworkOptions,
  type ResolvedNetworkOptions,
  type SupernetCell,
} from './arch';
import { NETWORK_OPS, type NetOpKind, type OpAttributes } from './ops';

/** The index the first operation uses for the network's input. */
export const NETWORK_INPUT = -1;

/** Where a cell operation sits: which cell, which edge or node. */
export interface CellPosition {
  /** 1-based stage and cell within the stage. */
  stage: number;
  cell: number;
  /** The edge's source node (edge operations only). */
  from?: number;
  /** The edge's target node, or the node an 'add' computes. */
  to?: number;
}

/** One operation of a network description. Plain data. */
export interface NetOp extends OpAttributes {
  /** Unique, readable position, e.g. 'stem', 'stage2/cell1/edge3<-1', 'stage2/cell1/node3', 'stage2/reduction', 'classifier'. */
  name: string;
  op: NetOpKind;
  /** Indices of the operations it reads, earlier in the list; NETWORK_INPUT (-1) is the network's input. */
  inputs: number[];
  /** For operations inside a cell: the cell and the edge or node. */
  position?: CellPosition;
  /** Shape of each input for one example. */
  inputShapes: number[][];
  /** Shape of the output for one example ([h, w, c] or [units]). */
  outputShape: number[];
  /** Number of output values for one example. */
  outputSize: number;
  /** Multiply-accumulates per example (for 'mixed': all candidates together). */
  macs: number;
  /** Trainable parameters. */
  params: number;
  /** Non-trainable parameters (batch-norm moving statistics). */
  nonTrainableParams: number;
  /** Depth in the operation graph: 1 + the largest depth of its inputs (the input has depth 0). */
  depth: number;
}

/** A whole network as plain data (JSON-safe). */
export interface NetworkDescription {
  kind: 'network';
  /** One example: [h, w, c] for a cell network, [features] for an MLP. */
  inputShape: number[];
  numClasses: number;
  /** The tensor layout the network takes: flat rows or NHWC images. */
  layout: 'flat' | 'nhwc';
  /** The cell the network stacks (null for an MLP): a plain cell, or a supernet cell with mixed edges. */
  cell: SupernetCell | null;
  /** How the cell is stacked (null for an MLP). */
  network: ResolvedNetworkOptions | null;
  /** Operations in evaluation order; the last one is the output (softmax probabilities). */
  ops: NetOp[];
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
export function checkModelShape(opts: unknown, arch: Architecture | SupernetCell, caller: string): ModelShape {
  if (typeof opts !== 'object' || opts === null) {
    throw new TypeError(`${caller}: 'opts' must be an object { inputShape, numClasses, ... }, got ${describe(opts)}`);
  }
  const o = opts as Record<string, unknown>;
  const shape = checkArray<unknown>('inputShape', o.inputShape, { minLength: 1 }, caller);
  shape.forEach((d, i) => checkInt(`inputShape[${i}]`, d, { min: 1 }, caller));
  if (arch.kind === 'cell' && shape.length !== 3) {
    throw new RangeError(`${caller}: 'inputShape' must be [height, width, channels] for a cell network, got ${describe(shape)}`);
  }
  const numClasses = checkInt('numClasses', o.numClasses, { min: 2 }, caller);
  return { inputShape: shape as number[], numClasses };
}

/** Appends operations to a description, computing each one's shapes, cost and depth from its inputs. */
class DescriptionWriter {
  readonly ops: NetOp[] = [];

  constructor(private readonly inputShape: number[]) {}

  private shapeOf(i: number): number[] {
    return i === NETWORK_INPUT ? this.inputShape : this.ops[i].outputShape;
  }

  add(name: string, op: NetOpKind, inputs: number[], attrs: OpAttributes, position?: CellPosition): number {
    const inputShapes = inputs.map((i) => [...this.shapeOf(i)]);
    const cost = NETWORK_OPS[op].cost(inputShapes, attrs);
    const depth = 1 + Math.max(...inputs.map((i) => (i === NETWORK_INPUT ? 0 : this.ops[i].depth)));
    const entry: NetOp = {
      name,
      op,
      inputs,
      ...attrs,
      ...(position ? { position } : {}),
      inputShapes,
      outputShape: cost.outputShape,
      outputSize: cost.outputShape.reduce((a, b) => a * b, 1),
      macs: cost.macs,
      params: cost.params,
      nonTrainableParams: cost.nonTrainableParams,
      depth,
    };
    if (attrs.candidates) entry.candidates = [...attrs.candidates];
    this.ops.push(entry);
    return this.ops.length - 1;
  }
}

/** Options of {@link describeConvNet}. */
export interface ConvNetOptions extends ModelShape {
  /** Output channels of each convolution layer, in order (at least one). */
  filters: number[];
  /** Side of every square filter (default 3). */
  kernelSize?: number;
}

/**
 * The description of a plain CNN: k x k convolution layers ('same', bias, ReLU) then a dense
 * softmax classifier over the flattened image. It is the benchmark's reference network (two 3x3
 * layers of 16 filters on the digits, as in bench/torch_reference.py), which the tape-free step is
 * measured on against PyTorch.
 * @param opts inputShape [h, w, c], numClasses, filters (channels per layer), kernelSize (3)
 * @throws TypeError/RangeError naming the bad field
 * @example describeConvNet({ inputShape: [8, 8, 1], numClasses: 10, filters: [16, 16] }).ops.map((o) => o.op) // ['convLayer', 'convLayer', 'dense']
 */
export function describeConvNet(opts: ConvNetOptions): NetworkDescription {
  const caller = 'describeConvNet';
  const shape = checkModelShape(opts, { kind: 'cell' } as Architecture, caller);
  const filters = checkArray<unknown>('filters', opts.filters, { minLength: 1 }, caller).map((f, i) => checkInt(`filters[${i}]`, f, { min: 1 }, caller));
  const kernelSize = checkInt('kernelSize', opts.kernelSize ?? 3, { min: 1 }, caller);
  const w = new DescriptionWriter(shape.inputShape);
  let x = NETWORK_INPUT;
  filters.forEach((channels, i) => {
    x = w.add(`conv${i + 1}`, 'convLayer', [x], { channels, kernelSize });
  });
  w.add('classifier', 'dense', [x], { channels: shape.numClasses, activation: 'softmax' });
  return { kind: 'network', inputShape: [...shape.inputShape], numClasses: shape.numClasses, layout: 'nhwc', cell: null, network: null, ops: w.ops };
}

function describeMlp(arch: MlpArch, shape: ModelShape): NetworkDescription {
  const features = shape.inputShape.reduce((a, b) => a * b, 1);
  const w = new DescriptionWriter([features]);
  let x = NETWORK_INPUT;
  arch.widths.forEach((units, i) => {
    x = w.add(`dense${i + 1}`, 'dense', [x], { channels: units, activation: 'relu' });
  });
  w.add('classifier', 'dense', [x], { channels: shape.numClasses, activation: 'softmax' });
  return { kind: 'network', inputShape: [features], numClasses: shape.numClasses, layout: 'flat', cell: null, network: null, ops: w.ops };
}

/** Describes one cell reading operation `x` at `channels` channels; returns the index of its output. */
function describeCell(w: DescriptionWriter, cell: SupernetCell, x: number, channels: number, stage: number, k: number): number {
  const prefix = `stage${stage}/cell${k}`;
  const live = liveCell(cell);
  if (live.zero) return w.add(`${prefix}/zero`, 'zero', [x], { channels }, { stage, cell: k });
  const value = new Map<number, number>([[0, x]]);
  for (const v of live.order.slice(1)) {
    const terms = live.edges
      .filter((e) => e.to === v)
      .map((e) => {
        const position = { stage, cell: k, from: e.from, to: e.to };
        const attrs: OpAttributes = isMixedEdge(e) ? { channels, candidates: e.candidates } : { channels };
        const op: NetOpKind = isMixedEdge(e) ? 'mixed' : (e.op as Exclude<CellOp, 'none'>);
        return w.add(`${prefix}/edge${e.to}<-${e.from}`, op, [value.get(e.from) as number], attrs, position);
      });
    value.set(v, terms.length === 1 ? terms[0] : w.add(`${prefix}/node${v}`, 'add', terms, { channels }, { stage, cell: k, to: v }));
  }
  return value.get(cell.nodes - 1) as number;
}

function describeCellNetwork(cell: SupernetCell, shape: ModelShape, net: ResolvedNetworkOptions): NetworkDescription {
  const w = new DescriptionWriter(shape.inputShape);
  let channels = net.channels;
  let x = w.add('stem', 'stem', [NETWORK_INPUT], { channels });
  for (let s = 1; s <= net.stages; s++) {
    if (s > 1) {
      channels *= 2;
      x = w.add(`stage${s}/reduction`, 'reduction', [x], { channels });
    }
    for (let k = 1; k <= net.cellsPerStage; k++) x = describeCell(w, cell, x, channels, s, k);
  }
  x = w.add('head', 'head', [x], { channels });
  w.add('classifier', 'dense', [x], { channels: shape.numClasses, activation: 'softmax' });
  return {
    kind: 'network',
    inputShape: [...shape.inputShape],
    numClasses: shape.numClasses,
    layout: 'nhwc',
    cell: JSON.parse(JSON.stringify(cell)) as SupernetCell,
    network: net,
    ops: w.ops,
  };
}

/**
 * The description of the network an architecture stands for: an MLP genome's dense layers, or a
 * cell (plain, or a supernet cell with mixed edges) stacked by the network options.
 * @param arch an MLP genome, a cell, or a supernet cell (see withCandidates)
 * @param opts inputShape ([8, 8, 1] for digits), numClasses, and for a cell the network options
 *   channels (16), cellsPerStage (1), stages (3)
 * @throws TypeError/RangeError for an invalid architecture or option
 * @example const net = describeNetwork(cell, { inputShape: [8, 8, 1], numClasses: 10, channels: 8, stages: 2 });
 * net.ops.map((o) => [o.name, o.macs, o.outputSize, o.depth]) // per-op MACs, output size and depth
 */
export function describeNetwork(arch: Architecture | SupernetCell, opts: ModelOptions): NetworkDescription {
  return describeChecked(arch, opts, 'describeNetwork');
}

/** describeNetwork with the caller's name in its error messages. */
export function describeChecked(arch: Architecture | SupernetCell, opts: ModelOptions, caller: string): NetworkDescription {
  if (typeof arch !== 'object' || arch === null) {
    throw new TypeError(`${caller}: 'arch' must be an architecture ({ kind: 'mlp', ... } or { kind: 'cell', ... }), got ${describe(arch)}`);
  }
  checkOneOf('arch.kind', (arch as { kind: unknown }).kind, ['mlp', 'cell'], caller);
  if (arch.kind === 'mlp') return describeMlp(checkMlpArch(arch, caller), checkModelShape(opts, arch, caller));
  checkSupernetCell(arch, caller);
  return describeCellNetwork(arch, checkModelShape(opts, arch, caller), resolveNetworkOptions(opts, caller));
}

/**
 * Checks that a value looks like a network description (from describeNetwork) and returns it.
 * @throws TypeError naming the argument when it is not one
 */
export function checkNetworkDescription(name: string, value: unknown, caller: string): NetworkDescription {
  const v = value as Partial<NetworkDescription> | null;
  if (typeof v !== 'object' || v === null || v.kind !== 'network' || !Array.isArray(v.ops) || v.ops.length === 0) {
    throw new TypeError(`${caller}: '${name}' must be a network description (from describeNetwork), got ${describe(value)}`);
  }
  return v as NetworkDescription;
}

/** True when some edge of the description is a mixed edge (a supernet). */
export function hasMixedEdges(net: NetworkDescription): boolean {
  return net.ops.some((o) => o.op === 'mixed');
}
