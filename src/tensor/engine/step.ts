/**
 * A training step without the tape: the network's forward pass keeping the activations its
 * backward pass needs, a hand-written backward pass, the softmax cross-entropy loss and a fused
 * Adam or SGD update over one flat parameter vector, all on the kernel pack (../pack) in the wasm
 * backend's memory. No tfjs kernel, engine call or tape runs inside a step: at the reference
 * network's size a step is ~20 kernel calls, against ~200 small tfjs kernels and the tape's
 * bookkeeping in `trainStep` (bench/README.md measures both).
 *
 * The step trains a tfjs model's weights: `TapeFreeStep.compile` reads them in, `syncToModel`
 * writes them (and batch norm's moving statistics) back, so evaluation, early stopping and
 * everything that reads a model work as before. The arithmetic is tfjs's (the same loss with
 * probabilities clipped at 1e-7, the same Adam), in another summation order: gradients match
 * tfjs's to float32 rounding (test/tensor/engine.test.ts), and the same seed gives the same
 * numbers run after run.
 *
 * It covers what the pack covers: without the pack (switched off, not loaded, another backend) or
 * for an operation not compiled yet, `compile` says why and the caller takes the tape path.
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { checkInt, checkNumber, checkOneOf, describe } from '../../core/checks';
import { checkNetworkDescription, type NetworkDescription } from '../network';
import { kernelPackEnabled, probeKernelPack, type KernelPack, type PackExports } from '../pack';
import { PROB_EPSILON, type OptimizerConfig, type OptimizerKind } from '../step';
import { compileGraph, type Graph } from './graph';
import type { GradientSink, Heap, Node, Param } from './nodes';

/** Buffers taken from the backend's heap as backend-owned tensors, released together. */
class BackendHeap implements Heap {
  private readonly taken: TensorInfo[] = [];

  constructor(private readonly pack: KernelPack) {}

  take(floats: number): number {
    const t = this.pack.allocate([Math.max(1, floats)]);
    this.taken.push(t);
    return this.pack.pointer(t);
  }

  release(): void {
    for (const t of this.taken) this.pack.release(t);
    this.taken.length = 0;
  }
}

/** Sets a node's gradient from its first consumer (in backward order) and adds the others' to it. */
class Accumulator implements GradientSink {
  private readonly written = new Set<Node>();

  constructor(private readonly k: PackExports, private readonly scratch: number) {}

  reset(): void {
    this.written.clear();
  }

  has(node: Node): boolean {
    return this.written.has(node);
  }

  mark(node: Node): void {
    this.written.add(node);
  }

  scratchFor(_floats: number, write: (dst: number) => void): void {
    write(this.scratch);
  }

  into(node: Node, n: number, write: (dst: number) => void): void {
    if (!this.written.has(node)) {
      write(node.grad);
      this.written.add(node);
      return;
    }
    write(this.scratch);
    this.k.addInPlace(node.grad, this.scratch, n * node.size);
  }
}

/** An optimiser's settings with defaults filled in (tfjs's and GroupOptimizer's). */
interface ResolvedOptimizer {
  kind: OptimizerKind;
  learningRate: number;
  momentum: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

function resolveOptimizer(config: OptimizerConfig, caller: string): ResolvedOptimizer {
  if (typeof config !== 'object' || config === null) throw new TypeError(`${caller}: 'config' must be { kind, learningRate, ... }, got ${describe(config)}`);
  const kind = checkOneOf('config.kind', config.kind, ['adam', 'sgd'] as const, caller);
  return {
    kind,
    learningRate: checkNumber('config.learningRate', config.learningRate, { min: 0, exclusiveMin: true }, caller),
    momentum: checkNumber('config.momentum', config.momentum ?? 0, { min: 0, max: 1, exclusiveMax: true }, caller),
    beta1: checkNumber('config.beta1', config.beta1 ?? 0.9, { min: 0, max: 1, exclusiveMax: true }, caller),
    beta2: checkNumber('config.beta2', config.beta2 ?? 0.999, { min: 0, max: 1, exclusiveMax: true }, caller),
    epsilon: checkNumber('config.epsilon', config.epsilon ?? tf.backend().epsilon(), { min: 0, exclusiveMin: true }, caller),
  };
}

/** A model's weights in the order its layers were created (the order a description's walk creates parameters). */
function weightsInBuildOrder(model: tf.LayersModel): tf.LayerVariable[] {
  const layers = [...model.layers].sort((a, b) => a.id - b.id);
  return layers.flatMap((l) => l.weights);
}

/** What one step measured on its batch. */
export interface TapeFreeStepResult {
  /** Mean cross-entropy of the batch. */
  loss: number;
  /** Rows whose arg-max output is the label's. */
  correct: number;
}

/**
 * The loss's part of a step on n rows: softmax probabilities p, the mean of -Σ y·log(clip(p, 1e-7, 1))
 * and its gradient with respect to the logits, written at dLogits. Per row, with G_j = -y_j / p_j
 * where p_j is inside the clip and 0 where it is not, dLoss/dz_j = p_j·(G_j - Σ_k G_k·p_k) / n.
 */
function softmaxCrossEntropy(heap: Float32Array, logits: number, labels: number, dLogits: number, n: number, classes: number): TapeFreeStepResult {
  let loss = 0;
  let correct = 0;
  const p = new Float64Array(classes);
  for (let r = 0; r < n; r++) {
    const z = logits / 4 + r * classes;
    const y = labels / 4 + r * classes;
    let max = -Infinity;
    for (let j = 0; j < classes; j++) max = Math.max(max, heap[z + j]);
    let sum = 0;
    for (let j = 0; j < classes; j++) sum += (p[j] = Math.exp(heap[z + j] - max));
    let best = 0;
    let label = 0;
    let labelsInRange = 0;
    for (let j = 0; j < classes; j++) {
      p[j] = Math.fround(p[j] / sum);
      if (p[j] > p[best]) best = j;
      if (heap[y + j] > heap[y + label]) label = j;
      loss -= heap[y + j] * Math.log(Math.max(p[j], PROB_EPSILON));
      if (p[j] >= PROB_EPSILON) labelsInRange += heap[y + j];
    }
    const d = dLogits / 4 + r * classes;
    for (let j = 0; j < classes; j++) {
      const g = p[j] >= PROB_EPSILON ? -heap[y + j] / p[j] : 0;
      heap[d + j] = (p[j] * (g + labelsInRange)) / n;
    }
    if (best === label) correct++;
  }
  return { loss: loss / n, correct };
}

/**
 * A compiled tape-free training step for one network and one model's weights.
 * @example
 * const step = TapeFreeStep.compile(describeConvNet({ inputShape: [8, 8, 1], numClasses: 10, filters: [16, 16] }), model, { kind: 'adam', learningRate: 1e-3 }, 64);
 * if (typeof step !== 'string') { step.step(xs, ys, 0, 64); step.syncToModel(); step.dispose(); }
 */
export class TapeFreeStep {
  /** Step size of the next step; set it to follow a schedule. */
  learningRate: number;
  /** Steps taken. */
  iterations = 0;
  private readonly k: PackExports;
  private readonly heap: BackendHeap;
  private readonly sink: Accumulator;
  /** Byte offsets of the flat parameter vector, its gradient and the optimiser's moments. */
  private readonly flat: { value: number; grad: number; first: number; second: number; size: number };
  private readonly weights: tf.LayerVariable[];

  private constructor(
    private readonly graph: Graph,
    private readonly pack: KernelPack,
    private readonly optimizer: ResolvedOptimizer,
    readonly batchSize: number,
    model: tf.LayersModel,
  ) {
    this.k = pack.kernels;
    this.learningRate = optimizer.learningRate;
    this.heap = new BackendHeap(pack);
    const size = graph.params.trainableSize;
    const take = (floats: number) => this.heap.take(floats);
    this.flat = { value: take(size), grad: take(size), first: take(size), second: optimizer.kind === 'adam' ? take(size) : 0, size };
    this.placeParams();
    for (const node of graph.nodes) node.allocate(this.heap, batchSize);
    const largest = Math.max(...graph.nodes.map((nd) => nd.size));
    this.sink = new Accumulator(this.k, take(batchSize * largest));
    this.weights = weightsInBuildOrder(model);
    this.readModel();
    const h = pack.heap();
    h.fill(0, this.flat.first / 4, this.flat.first / 4 + size);
    if (this.flat.second) h.fill(0, this.flat.second / 4, this.flat.second / 4 + size);
  }

  /**
   * Compiles the step for a network and the model built from it (buildModel, or any model whose
   * layers create the same weights in the same order), on the current backend.
   * @param net the network's description
   * @param model the model whose weights the step trains (read now; written back by syncToModel)
   * @param config the optimiser: kind 'adam' (beta1, beta2, epsilon) or 'sgd' (momentum), learningRate
   * @param batchSize the largest batch a step takes
   * @returns the step, or one sentence saying why there is none (the caller takes the tape path)
   * @throws TypeError/RangeError naming a bad argument; Error when the model's weights do not fit the description
   */
  static compile(net: NetworkDescription, model: tf.LayersModel, config: OptimizerConfig, batchSize: number): TapeFreeStep | string {
    const caller = 'TapeFreeStep.compile';
    checkNetworkDescription('net', net, caller);
    if (!(model instanceof tf.LayersModel)) throw new TypeError(`${caller}: 'model' must be a tf.LayersModel, got ${describe(model)}`);
    const optimizer = resolveOptimizer(config, caller);
    checkInt('batchSize', batchSize, { min: 1 }, caller);
    if (!kernelPackEnabled()) return 'the kernel pack is switched off';
    const probe = probeKernelPack(tf.backend());
    if (!probe.ok) return `the kernel pack is not loaded: ${probe.reason}`;
    const graph = compileGraph(net);
    if (typeof graph === 'string') return `the tape-free step does not cover ${graph} yet`;
    return new TapeFreeStep(graph, probe.pack, optimizer, batchSize, model);
  }

  /** Gives every parameter its place: trainable ones in the flat vector, statistics their own buffers. */
  private placeParams(): void {
    let offset = 0;
    for (const p of this.graph.params.params) {
      if (p.trainable) {
        p.value = this.flat.value + offset * 4;
        p.grad = this.flat.grad + offset * 4;
        offset += p.size;
      } else {
        p.value = this.heap.take(p.size);
      }
    }
  }

  /** The model's weights, checked against the compiled parameters one by one. */
  private pairs(): Array<[Param, tf.LayerVariable]> {
    const params = this.graph.params.params;
    if (this.weights.length !== params.length) {
      throw new Error(`TapeFreeStep: the model has ${this.weights.length} weight tensors, the description ${params.length}; build the model from the same description`);
    }
    return params.map((p, i) => {
      const w = this.weights[i];
      if (w.shape.length !== p.shape.length || w.shape.some((d, j) => d !== p.shape[j])) {
        throw new Error(`TapeFreeStep: model weight ${i} ('${w.name}') has shape ${describe(w.shape)}, the description's parameter ${describe(p.shape)}; build the model from the same description`);
      }
      return [p, w];
    });
  }

  private readModel(): void {
    const pairs = this.pairs();
    const heap = this.pack.heap();
    for (const [p, w] of pairs) heap.set(w.read().dataSync() as Float32Array, p.value / 4);
  }

  /** Writes the trained weights and batch norm's moving statistics into the model. */
  syncToModel(): void {
    const pairs = this.pairs();
    const heap = this.pack.heap();
    // Copied out first: making a tensor may grow the backend's memory, which detaches `heap`.
    const values = pairs.map(([p]) => heap.slice(p.value / 4, p.value / 4 + p.size));
    tf.tidy(() => pairs.forEach(([p, w], i) => w.write(tf.tensor(values[i], p.shape))));
  }

  /** Points the input node at rows [start, start + size) of x, after checking x and y. */
  private bind(x: tf.Tensor, y: tf.Tensor, start: number, size: number, caller: string): { labels: number } {
    const input = this.graph.input;
    const classes = this.graph.output.size;
    if (!(x instanceof tf.Tensor) || x.dtype !== 'float32' || x.size !== x.shape[0] * input.size) {
      throw new TypeError(`${caller}: 'x' must be a float32 tensor of rows of ${input.size} values (${describe(input.shape)}), got ${describe(x)}`);
    }
    if (!(y instanceof tf.Tensor) || y.dtype !== 'float32' || y.shape.length !== 2 || y.shape[1] !== classes || y.shape[0] !== x.shape[0]) {
      throw new TypeError(`${caller}: 'y' must be float32 one-hot labels [${x.shape[0]}, ${classes}], got ${describe(y)}`);
    }
    checkInt('start', start, { min: 0, max: x.shape[0] - 1 }, caller);
    checkInt('size', size, { min: 1, max: Math.min(this.batchSize, x.shape[0] - start) }, caller);
    input.out = this.pack.pointer(x) + start * input.size * 4;
    return { labels: this.pack.pointer(y) + start * classes * 4 };
  }

  /**
   * The forward and backward pass on rows [start, start + size) of a batch: leaves the loss's
   * gradient with respect to every trainable parameter in place for `update`, and returns the loss.
   * @throws TypeError/RangeError for x or y of the wrong shape or type, or rows out of range
   */
  computeGradients(x: tf.Tensor, y: tf.Tensor, start = 0, size = x.shape[0] - start): TapeFreeStepResult {
    const { labels } = this.bind(x, y, start, size, 'TapeFreeStep');
    const { nodes, output } = this.graph;
    for (const node of nodes) node.forward(this.k, size);
    const result = softmaxCrossEntropy(this.pack.heap(), output.out, labels, output.grad, size, output.size);
    this.sink.reset();
    this.sink.mark(output);
    for (let i = nodes.length - 1; i >= 0; i--) if (this.sink.has(nodes[i])) nodes[i].backward(this.k, size, this.sink);
    return result;
  }

  /** The gradients computeGradients left, by the name of the model's weight (its tf.Variable's name). */
  gradients(): Map<string, Float32Array> {
    const heap = this.pack.heap();
    const out = new Map<string, Float32Array>();
    for (const [p, w] of this.pairs()) if (p.trainable) out.set(w.name, heap.slice(p.grad / 4, p.grad / 4 + p.size));
    return out;
  }

  /** The optimiser's update of every trainable parameter from the gradients in place. */
  update(): void {
    const o = this.optimizer;
    const f = this.flat;
    this.iterations++;
    if (o.kind === 'sgd') {
      this.k.sgd(f.value, f.grad, f.first, f.size, this.learningRate, o.momentum);
      return;
    }
    const c1 = 1 - o.beta1 ** this.iterations;
    const c2 = 1 - o.beta2 ** this.iterations;
    this.k.adam(f.value, f.grad, f.first, f.second, f.size, this.learningRate, o.beta1, o.beta2, o.epsilon, c1, c2);
  }

  /**
   * One training step on rows [start, start + size) of x and y: gradients, then the update.
   * @param x inputs, one row per example, in the network's layout
   * @param y one-hot labels
   * @returns the batch's mean loss and correct rows (before the update)
   * @throws as computeGradients
   */
  step(x: tf.Tensor, y: tf.Tensor, start = 0, size = x.shape[0] - start): TapeFreeStepResult {
    const result = this.computeGradients(x, y, start, size);
    this.update();
    return result;
  }

  /**
   * Where a step's time goes: median milliseconds of each node's forward and backward pass, the
   * loss and the update, over `repeats` steps on rows [0, size) (which it trains on: use a copy).
   * For the benchmark; timings are wall time on a shared machine.
   * @returns one row per part, in step order
   */
  profile(x: tf.Tensor, y: tf.Tensor, repeats: number, size = Math.min(this.batchSize, x.shape[0])): Array<{ part: string; ms: number }> {
    const { nodes, output } = this.graph;
    const times = new Map<string, number[]>();
    const time = (part: string, fn: () => void) => {
      const t0 = performance.now();
      fn();
      const list = times.get(part) ?? [];
      list.push(performance.now() - t0);
      times.set(part, list);
    };
    const label = (node: Node, i: number) => `${i}: ${node.constructor.name.replace(/Node$/, '')} ${describe(node.shape)}`;
    for (let r = 0; r < repeats; r++) {
      const { labels } = this.bind(x, y, 0, size, 'TapeFreeStep.profile');
      nodes.forEach((node, i) => time(`${label(node, i)} forward`, () => node.forward(this.k, size)));
      time('loss', () => softmaxCrossEntropy(this.pack.heap(), output.out, labels, output.grad, size, output.size));
      this.sink.reset();
      this.sink.mark(output);
      for (let i = nodes.length - 1; i >= 0; i--) {
        if (this.sink.has(nodes[i])) time(`${label(nodes[i], i)} backward`, () => nodes[i].backward(this.k, size, this.sink));
      }
      time('update', () => this.update());
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return [...times].map(([part, ms]) => ({ part, ms: median(ms) }));
  }

  /** Releases the step's buffers (not the model). */
  dispose(): void {
    this.heap.release();
  }
}
