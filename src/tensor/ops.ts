/**
 * The operations a network description is made of, each defined ONCE in `NETWORK_OPS`: its output
 * shape, multiply-accumulates and parameters, and how it is built from a handful of primitives
 * (convolution, batch norm, ReLU, pooling, sum, dense). Whoever walks a description supplies the
 * primitives: the model builder makes tfjs layers from them (models.ts), the supernet makes
 * functional tensors over named variables (supernet.ts). Adding an operation is one entry here.
 *
 * Cost conventions (per example, batch 1):
 * - a k x k convolution from C_in to C_out channels over an H x W output does H·W·C_out·k²·C_in
 *   MACs and has k²·C_in·C_out weights (no bias: batch norm follows it);
 * - a dense layer from n to m units does n·m MACs and has n·m + m parameters;
 * - pooling counts one accumulate per window element: a k x k average pool does H·W·C·k², a global
 *   average pool H·W·C;
 * - batch norm, ReLU, identity and additions are elementwise and count 0 MACs (their cost shows in
 *   the output size); batch norm has 2·C trainable parameters (scale, offset) and 2·C
 *   non-trainable ones (moving mean and variance), which tfjs's `countParams()` includes.
 *
 * This file imports no tensor library: the cost model and the latency model use it without tfjs.
 */
import type { CellOp } from './arch';

/** Every kind of operation a network description holds. */
export type NetOpKind =
  | 'stem'
  | Exclude<CellOp, 'none'>
  | 'zero'
  | 'add'
  | 'reduction'
  | 'head'
  | 'dense'
  | 'convLayer'
  | 'mixed';

/** What an operation's definition reads from its description entry besides its input shapes. */
export interface OpAttributes {
  /** Output channels (convolutions, stem, reduction) or units (dense). */
  channels: number;
  /** Only 'dense': the activation after it ('softmax' for the classifier). */
  activation?: 'relu' | 'softmax';
  /** Only 'mixed': the candidate operations, in order. */
  candidates?: CellOp[];
  /** Only 'convLayer': the side of its square filter. */
  kernelSize?: number;
}

/** The size and cost of one operation, for one example. */
export interface OpShapeCost {
  outputShape: number[];
  macs: number;
  params: number;
  nonTrainableParams: number;
}

/**
 * The primitives an operation is built from. `T` is whatever flows between operations: a symbolic
 * tfjs tensor in the model builder, a concrete tensor in the supernet's forward pass.
 */
export interface Primitives<T> {
  /** k x k convolution, 'same' padding, no bias, `filters` output channels. */
  conv(x: T, filters: number, kernelSize: number, strides: number): T;
  /** Batch normalisation over the channels. */
  bn(x: T): T;
  relu(x: T): T;
  /** k x k average pooling, 'same' padding (padding left out of the average). */
  avgPool(x: T, poolSize: number, strides: number): T;
  globalAvgPool(x: T): T;
  /** Elementwise sum of one or more tensors. */
  sum(terms: T[]): T;
  /** Dense layer with bias and an activation. */
  dense(x: T, units: number, activation: 'relu' | 'softmax'): T;
  /** Zeros shaped like x. */
  zeroLike(x: T): T;
  /**
   * A plain CNN layer: k x k convolution, 'same' padding, stride 1, with a bias, then ReLU. Optional:
   * only walkers of plain CNNs (describeConvNet) need it; cell networks never use it.
   */
  convLayer?(x: T, filters: number, kernelSize: number): T;
  /**
   * A mixed edge: `candidate(op)` builds candidate `op` on the edge's input; the primitive set
   * decides which candidates to build and how to combine them.
   */
  mixed(candidates: readonly CellOp[], candidate: (op: CellOp) => T): T;
}

/** One operation: its cost from its input shapes, and how it is built from primitives. */
export interface OpDefinition {
  /** Output shape, MACs and parameters for inputs of `inputShapes` (one per input, one example each). */
  cost(inputShapes: number[][], attrs: OpAttributes): OpShapeCost;
  /** The operation applied to `inputs` with primitives `p`. */
  build<T>(p: Primitives<T>, inputs: T[], attrs: OpAttributes): T;
}

const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** A ReLU-Conv(k x k)-BN cell edge that keeps h x w x c. */
function reluConvBn(kernelSize: number): OpDefinition {
  const k = kernelSize;
  return {
    cost: ([[h, w, c]]) => ({ outputShape: [h, w, c], macs: h * w * c * k * k * c, params: k * k * c * c + 2 * c, nonTrainableParams: 2 * c }),
    build: (p, [x], a) => p.bn(p.conv(p.relu(x), a.channels, k, 1)),
  };
}

/** An elementwise operation whose output has its (first) input's shape and no cost besides. */
function shapeKeeping(build: OpDefinition['build']): OpDefinition {
  return { cost: ([shape]) => ({ outputShape: [...shape], macs: 0, params: 0, nonTrainableParams: 0 }), build };
}

/**
 * The operation table. Cell edges follow NAS-Bench-201: 'conv1x1'/'conv3x3' are ReLU-Conv-BN,
 * 'avgpool3x3' a 3x3 average pool with stride 1, 'skip' the identity; 'zero' is the output of a
 * cell that no live path crosses. 'stem' is Conv3x3-BN; 'reduction' is NAS-Bench-201's residual
 * block (ReLU-Conv3x3/2-BN, ReLU-Conv3x3-BN, shortcut 2x2 average pool/2 + 1x1 conv); 'head' is
 * BN-ReLU-global average pool; 'convLayer' a plain CNN layer (k x k conv with bias, then ReLU: the
 * benchmark's reference network, see describeConvNet); 'mixed' is a mixed edge, whose cost is the sum of its candidates'
 * (every candidate is computed when the mixture is).
 */
export const NETWORK_OPS: Readonly<Record<NetOpKind, OpDefinition>> = {
  stem: {
    cost: ([[h, w, cIn]], { channels: c }) => ({ outputShape: [h, w, c], macs: h * w * c * 9 * cIn, params: 9 * cIn * c + 2 * c, nonTrainableParams: 2 * c }),
    build: (p, [x], a) => p.bn(p.conv(x, a.channels, 3, 1)),
  },
  conv1x1: reluConvBn(1),
  conv3x3: reluConvBn(3),
  avgpool3x3: {
    cost: ([[h, w, c]]) => ({ outputShape: [h, w, c], macs: h * w * c * 9, params: 0, nonTrainableParams: 0 }),
    build: (p, [x]) => p.avgPool(x, 3, 1),
  },
  skip: shapeKeeping((_p, [x]) => x),
  zero: shapeKeeping((p, [x]) => p.zeroLike(x)),
  add: shapeKeeping((p, xs) => p.sum(xs)),
  reduction: {
    cost: ([[h, w, cIn]], { channels: cOut }) => {
      const [h2, w2] = [Math.ceil(h / 2), Math.ceil(w / 2)];
      const macs =
        h2 * w2 * cOut * 9 * cIn + // ReLU-Conv3x3 stride 2-BN
        h2 * w2 * cOut * 9 * cOut + // ReLU-Conv3x3-BN
        h2 * w2 * cIn * 4 + // shortcut: 2x2 average pool, stride 2
        h2 * w2 * cOut * cIn; // shortcut: 1x1 conv
      const params = 9 * cIn * cOut + 9 * cOut * cOut + cIn * cOut + 2 * (2 * cOut);
      return { outputShape: [h2, w2, cOut], macs, params, nonTrainableParams: 2 * (2 * cOut) };
    },
    build: (p, [x], { channels: f }) => {
      const main = p.bn(p.conv(p.relu(p.bn(p.conv(p.relu(x), f, 3, 2))), f, 3, 1));
      const shortcut = p.conv(p.avgPool(x, 2, 2), f, 1, 1);
      return p.sum([main, shortcut]);
    },
  },
  head: {
    cost: ([[h, w, c]]) => ({ outputShape: [c], macs: h * w * c, params: 2 * c, nonTrainableParams: 2 * c }),
    build: (p, [x]) => p.globalAvgPool(p.relu(p.bn(x))),
  },
  dense: {
    cost: ([shape], { channels: m }) => {
      const n = product(shape);
      return { outputShape: [m], macs: n * m, params: n * m + m, nonTrainableParams: 0 };
    },
    build: (p, [x], a) => p.dense(x, a.channels, a.activation ?? 'relu'),
  },
  convLayer: {
    cost: ([[h, w, cIn]], { channels: c, kernelSize = 3 }) => ({
      outputShape: [h, w, c], macs: h * w * c * kernelSize * kernelSize * cIn, params: kernelSize * kernelSize * cIn * c + c, nonTrainableParams: 0,
    }),
    build: (p, [x], a) => {
      if (!p.convLayer) throw new TypeError("this network's walker builds cells only; a plain convolution layer (convLayer) is not among its operations");
      return p.convLayer(x, a.channels, a.kernelSize ?? 3);
    },
  },
  mixed: {
    cost: (inputShapes, attrs) => {
      const parts = (attrs.candidates ?? []).map((op) => candidateOp(op).cost(inputShapes, attrs));
      return {
        outputShape: [...inputShapes[0]],
        macs: parts.reduce((a, q) => a + q.macs, 0),
        params: parts.reduce((a, q) => a + q.params, 0),
        nonTrainableParams: parts.reduce((a, q) => a + q.nonTrainableParams, 0),
      };
    },
    build: (p, [x], attrs) => p.mixed(attrs.candidates ?? [], (op) => candidateOp(op).build(p, [x], attrs)),
  },
};

/** The definition of a cell operation as a candidate of a mixed edge ('none' is a zero). */
export function candidateOp(op: CellOp): OpDefinition {
  return NETWORK_OPS[op === 'none' ? 'zero' : op];
}
