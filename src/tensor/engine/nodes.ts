/**
 * The tape-free step's operations: each node owns its output buffer and its output's gradient in
 * the wasm backend's memory (byte offsets, as the kernel pack takes them), computes its forward pass
 * for a batch with the pack's kernels, and in its backward pass turns its output's gradient into
 * its parameters' gradients and its inputs' gradients. Nothing here records anything per step: the
 * graph is fixed when the step is compiled, so a step is a loop over nodes and nothing else.
 *
 * Sizes are per example; every kernel call covers the batch's `n` examples at once.
 */
import type { PackExports } from '../pack';
import { convGeometry, type ConvGeometry } from '../kernels/compose';

/** Memory for a node's buffers, parameters and gradients (pointers into the backend's heap). */
export interface Heap {
  /** A new buffer of `floats` float32 values; returns its byte offset. */
  take(floats: number): number;
}

/** One parameter tensor of the step: where its values and its gradient live. */
export interface Param {
  shape: number[];
  size: number;
  /** Trained by the optimiser (kernels, biases, batch-norm scale and offset), or a moving statistic. */
  trainable: boolean;
  /** Byte offsets of the values and (trainable only) of the gradient. */
  value: number;
  grad: number;
}

/** Hands out parameters in creation order (the order the model builder creates its weights). */
export interface ParamSource {
  param(shape: number[], trainable: boolean): Param;
}

/** How a node's backward pass writes an input's gradient: set it when first, else add to it. */
export interface GradientSink {
  /** Runs `write(dst)` so that `node.grad` receives (or accumulates) what write puts at dst. */
  into(node: Node, n: number, write: (dst: number) => void): void;
  /** Runs `write(dst)` on a scratch buffer of `floats` floats whose values are dropped. */
  scratchFor(floats: number, write: (dst: number) => void): void;
}

const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** An operation of the compiled graph. */
export abstract class Node {
  readonly size: number;
  /** Byte offsets of the output [batch, ...shape] and of its gradient (0: none needed). */
  out = 0;
  grad = 0;

  /**
   * @param shape the output's shape for one example
   * @param inputs the nodes read
   * @param needsGrad whether anything upstream has parameters (the network input does not)
   */
  constructor(readonly shape: number[], readonly inputs: Node[], readonly needsGrad: boolean) {
    this.size = product(shape);
  }

  /** Takes the output, gradient and any scratch buffers for batches of up to `batch` examples. */
  allocate(heap: Heap, batch: number): void {
    this.out = heap.take(batch * this.size);
    if (this.needsGrad) this.grad = heap.take(batch * this.size);
  }

  abstract forward(k: PackExports, n: number): void;
  abstract backward(k: PackExports, n: number, sink: GradientSink): void;
}

/** The network's input: its output pointer is set to the batch's rows before each step. */
export class InputNode extends Node {
  constructor(shape: number[]) {
    super(shape, [], false);
  }

  override allocate(): void {}

  forward(): void {}

  backward(): void {}
}

/** The geometry of a k x k, 'same' convolution of `inShape` ([h, w, c]) to `channels` with stride s. */
function sameGeometry(inShape: number[], channels: number, k: number, s: number): ConvGeometry {
  const [h, w, c] = inShape;
  return convGeometry([1, h, w, c], [k, k, c, channels], { strides: [s, s], pad: 'same' }, false);
}

/** The pack's convolution shape arguments for a batch of n. */
function convArgs(g: ConvGeometry, n: number): [number, number, number, number, number, number, number, number, number, number, number, number, number] {
  return [n, g.inH, g.inW, g.inC, g.kH, g.kW, g.outC, g.sH, g.sW, g.padTop, g.padLeft, g.outH, g.outW];
}

/**
 * A k x k convolution ('same', stride s), with a bias and ReLU fused in (`plain` false: a CNN
 * layer) or without either (a cell's convolution, followed by batch norm).
 */
export class ConvNode extends Node {
  private readonly g: ConvGeometry;
  private readonly kernel: Param;
  private readonly bias: Param | null;
  /** The filter with its channel axes swapped, for the input gradient. */
  private wT = 0;

  constructor(x: Node, params: ParamSource, channels: number, k: number, s: number, readonly biasRelu: boolean) {
    const g = sameGeometry(x.shape, channels, k, s);
    super([g.outH, g.outW, channels], [x], true);
    this.g = g;
    this.kernel = params.param([k, k, g.inC, channels], true);
    this.bias = biasRelu ? params.param([channels], true) : null;
  }

  override allocate(heap: Heap, batch: number): void {
    super.allocate(heap, batch);
    if (this.inputs[0].needsGrad) this.wT = heap.take(this.kernel.size);
  }

  forward(k: PackExports, n: number): void {
    const on = this.biasRelu ? 1 : 0;
    k.conv2d(this.inputs[0].out, this.kernel.value, this.bias?.value ?? 0, this.out, on, on, ...convArgs(this.g, n));
  }

  backward(k: PackExports, n: number, sink: GradientSink): void {
    const g = this.g;
    const x = this.inputs[0];
    if (this.bias) {
      k.reluGrad(this.grad, this.out, this.grad, n * this.size);
      k.biasGrad(this.grad, this.bias.grad, n * g.outH * g.outW, g.outC);
    }
    k.conv2dBackpropFilter(x.out, this.grad, this.kernel.grad, ...convArgs(g, n));
    if (!x.needsGrad) return;
    k.transposeBatched(this.kernel.value, this.wT, g.kH * g.kW, g.inC, g.outC);
    sink.into(x, n, (dst) => k.conv2dBackpropInput(this.grad, this.wT, dst, ...convArgs(g, n)));
  }
}

/**
 * A dense layer with a bias over its input's values (an image is read flattened, row-major as
 * NHWC lies in memory), then ReLU or nothing: the classifier's softmax belongs to the loss.
 */
export class DenseNode extends Node {
  private readonly kernel: Param;
  private readonly bias: Param;
  private readonly inSize: number;
  private wT = 0;
  /** For a narrow layer (a classifier): its weight gradient transposed, [units, inputs]. */
  private dwT = 0;

  constructor(x: Node, params: ParamSource, units: number, readonly relu: boolean) {
    super([units], [x], true);
    this.inSize = x.size;
    this.kernel = params.param([x.size, units], true);
    this.bias = params.param([units], true);
  }

  override allocate(heap: Heap, batch: number): void {
    super.allocate(heap, batch);
    if (this.inputs[0].needsGrad) this.wT = heap.take(this.kernel.size);
    if (this.narrow()) this.dwT = heap.take(this.kernel.size);
  }

  /**
   * Fewer than 16 units and more inputs: xᵀ·dy then has rows of a few floats, which the pack's SIMD
   * blocks of 16 and 4 columns barely fill, so it computes dyᵀ·x (rows as long as the input) and
   * transposes that (`npm run bench -- engine`: 1.09 ms for the reference net's 1024 -> 10 classifier before).
   */
  private narrow(): boolean {
    return this.size < 16 && this.inSize > this.size;
  }

  forward(k: PackExports, n: number): void {
    k.matMul(this.inputs[0].out, this.kernel.value, this.bias.value, this.out, 1, this.relu ? 1 : 0, n, this.inSize, this.size);
  }

  backward(k: PackExports, n: number, sink: GradientSink): void {
    const x = this.inputs[0];
    if (this.relu) k.reluGrad(this.grad, this.out, this.grad, n * this.size);
    k.biasGrad(this.grad, this.bias.grad, n, this.size);
    if (this.narrow()) {
      k.matMulTN(this.grad, x.out, this.dwT, n, this.size, this.inSize);
      k.transposeBatched(this.dwT, this.kernel.grad, 1, this.size, this.inSize);
    } else {
      k.matMulTN(x.out, this.grad, this.kernel.grad, n, this.inSize, this.size);
    }
    if (!x.needsGrad) return;
    k.transposeBatched(this.kernel.value, this.wT, 1, this.inSize, this.size);
    sink.into(x, n, (dst) => k.matMul(this.grad, this.wT, 0, dst, 0, 0, n, this.size, this.inSize));
  }
}

/** ReLU. */
export class ReluNode extends Node {
  constructor(x: Node) {
    super([...x.shape], [x], x.needsGrad);
  }

  forward(k: PackExports, n: number): void {
    k.relu(this.inputs[0].out, this.out, n * this.size);
  }

  backward(k: PackExports, n: number, sink: GradientSink): void {
    sink.into(this.inputs[0], n, (dst) => k.reluGrad(this.grad, this.out, dst, n * this.size));
  }
}

/** Batch norm's settings: those of the model builder's BatchNorm layer. */
export interface BatchNormSettings {
  momentum: number;
  epsilon: number;
}

/**
 * Batch normalisation over the channels in training mode (the batch's statistics), updating its
 * moving statistics as the model's BatchNorm layer does, with that layer's hand-written gradient.
 */
export class BatchNormNode extends Node {
  private readonly gamma: Param;
  private readonly beta: Param;
  private readonly movingMean: Param;
  private readonly movingVariance: Param;
  private readonly channels: number;
  /** x̂ [batch, ...shape] and the batch's mean, variance and 1/sqrt(variance + ε), c floats each. */
  private xHat = 0;
  private stats = { mean: 0, variance: 0, invStd: 0 };

  constructor(x: Node, params: ParamSource, private readonly settings: BatchNormSettings) {
    super([...x.shape], [x], true);
    const c = x.shape[x.shape.length - 1];
    this.channels = c;
    this.gamma = params.param([c], true);
    this.beta = params.param([c], true);
    this.movingMean = params.param([c], false);
    this.movingVariance = params.param([c], false);
  }

  override allocate(heap: Heap, batch: number): void {
    super.allocate(heap, batch);
    this.xHat = heap.take(batch * this.size);
    this.stats = { mean: heap.take(this.channels), variance: heap.take(this.channels), invStd: heap.take(this.channels) };
  }

  forward(k: PackExports, n: number): void {
    const rows = (n * this.size) / this.channels;
    const { mean, variance, invStd } = this.stats;
    k.batchNormForward(this.inputs[0].out, this.gamma.value, this.beta.value, this.out, this.xHat, mean, variance, invStd, rows, this.channels, this.settings.epsilon);
    const m = this.settings.momentum;
    k.movingAverage(this.movingMean.value, mean, this.channels, m, 1);
    k.movingAverage(this.movingVariance.value, variance, this.channels, m, rows > 1 ? rows / (rows - 1) : 1);
  }

  backward(k: PackExports, n: number, sink: GradientSink): void {
    const rows = (n * this.size) / this.channels;
    const x = this.inputs[0];
    // Without an input gradient the parameters' gradients still need the pass; it writes dx to scratch.
    const run = (dst: number) => k.batchNormBackward(this.grad, this.xHat, this.gamma.value, this.stats.invStd, dst, this.gamma.grad, this.beta.grad, rows, this.channels);
    if (x.needsGrad) sink.into(x, n, run);
    else sink.scratchFor(n * this.size, run);
  }
}

/** k x k average pooling, stride s, 'same' padding left out of each average. */
export class AvgPoolNode extends Node {
  private readonly g: ConvGeometry;

  constructor(x: Node, k: number, s: number) {
    const g = sameGeometry(x.shape, x.shape[2], k, s);
    super([g.outH, g.outW, x.shape[2]], [x], x.needsGrad);
    this.g = g;
  }

  private args(n: number): [number, number, number, number, number, number, number, number, number, number] {
    const g = this.g;
    return [n, g.inH, g.inW, g.inC, g.kH, g.sH, g.padTop, g.padLeft, g.outH, g.outW];
  }

  forward(k: PackExports, n: number): void {
    k.avgPool(this.inputs[0].out, this.out, ...this.args(n));
  }

  backward(k: PackExports, n: number, sink: GradientSink): void {
    sink.into(this.inputs[0], n, (dst) => k.avgPoolGrad(this.grad, dst, ...this.args(n)));
  }
}

/** The mean over every pixel of each channel: [h, w, c] -> [c]. */
export class GlobalAvgPoolNode extends Node {
  private readonly pixels: number;

  constructor(x: Node) {
    const c = x.shape[x.shape.length - 1];
    super([c], [x], x.needsGrad);
    this.pixels = x.size / c;
  }

  forward(k: PackExports, n: number): void {
    k.globalAvgPool(this.inputs[0].out, this.out, n, this.pixels, this.size);
  }

  backward(k: PackExports, n: number, sink: GradientSink): void {
    sink.into(this.inputs[0], n, (dst) => k.globalAvgPoolGrad(this.grad, dst, n, this.pixels, this.size));
  }
}

/** The elementwise sum of its inputs (a cell node's incoming edges); each input receives the whole gradient. */
export class SumNode extends Node {
  constructor(terms: Node[]) {
    super([...terms[0].shape], terms, terms.some((t) => t.needsGrad));
  }

  forward(k: PackExports, n: number): void {
    const count = n * this.size;
    k.copyTo(this.inputs[0].out, this.out, count);
    for (const t of this.inputs.slice(1)) k.addInPlace(this.out, t.out, count);
  }

  backward(k: PackExports, n: number, sink: GradientSink): void {
    for (const t of this.inputs) if (t.needsGrad) sink.into(t, n, (dst) => k.copyTo(this.grad, dst, n * this.size));
  }
}

/** Zeros shaped like its input (a cell no live path crosses): its input's gradient is zero. */
export class ZeroNode extends Node {
  constructor(x: Node) {
    super([...x.shape], [x], x.needsGrad);
  }

  forward(k: PackExports, n: number): void {
    k.zeroFill(this.out, n * this.size);
  }

  backward(k: PackExports, n: number, sink: GradientSink): void {
    if (this.inputs[0].needsGrad) sink.into(this.inputs[0], n, (dst) => k.zeroFill(dst, n * this.size));
  }
}
