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
