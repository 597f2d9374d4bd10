/**
 * tfjs models from network descriptions: `buildModel` walks the description (network.ts) and
 * builds each operation as the operation table (ops.ts) defines it, from tfjs layers. The structure
 * is the one `archCost` counts, so the parameter count from the description equals
 * `model.countParams()`.
 *
 * Every initialiser draws its seed from the `Rng` passed in, in build order, so the same seed gives
 * the same initial weights on a given backend.
 *
 * Cell operations follow NAS-Bench-201: a convolution edge is ReLU -> Conv (k x k, stride 1, 'same',
 * no bias) -> BatchNorm; 'avgpool3x3' is a 3x3 average pool with stride 1 and 'same' padding
 * (padding left out of the average); 'skip' is the identity; 'none' drops the edge. A node is the
 * sum of its incoming edges, and only the live part of the cell is built (`liveCell`): a cell whose
 * output no path reaches outputs zeros.
 */
import * as tf from '@tensorflow/tfjs';
import { checkRng, type Rng } from '../core/rng';
import type { Architecture } from './arch';
import { checkNetworkDescription, describeChecked, hasMixedEdges, NETWORK_INPUT, type ModelOptions, type NetworkDescription } from './network';
import { BN_EPSILON, BN_MOMENTUM, batchNormTraining, movingAverages } from './batchNorm';
import { NETWORK_OPS, type Primitives } from './ops';

/** A layer whose output is zeros shaped like its input: the output of a cell with no live path. */
class ZeroLike extends tf.layers.Layer {
  static readonly className = 'NasbookZeroLike';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.zerosLike(Array.isArray(inputs) ? inputs[0] : inputs);
  }
}
tf.serialization.registerClass(ZeroLike);

/** The layers' weight type (not exported by name from @tensorflow/tfjs). */
type LayerVariable = tf.layers.Layer['weights'][number];

/**
 * Batch normalisation over the last axis, with the same weights as Keras's (gamma, beta trainable;
 * moving mean and variance not) and a hand-written gradient. Every network here uses it; it is
 * exported for its tests.
 *
 * Why not `tf.layers.batchNormalization`: its gradient (tfjs's FusedBatchNorm gradient) broadcasts
 * per-channel values with `tile`, which on the wasm backend took about a third of a training step
 * of a small cell network (24 of 85 ms). The gradient here uses broadcasting arithmetic only:
 * with x̂ = (x - mean) / sqrt(var + eps) over the n values of a channel,
 *   dbeta = Σ dy,  dgamma = Σ dy·x̂,  dx = gamma / (n·sqrt(var + eps)) · (n·dy - dbeta - x̂·dgamma).
 */
export class BatchNorm extends tf.layers.Layer {
  static readonly className = 'NasbookBatchNorm';
  private readonly momentum: number;
  private readonly epsilon: number;
  private gamma!: LayerVariable;
  private beta!: LayerVariable;
  private movingMean!: LayerVariable;
  private movingVariance!: LayerVariable;

  constructor(args: { momentum: number; epsilon: number; name?: string }) {
    super({ name: args.name });
    this.momentum = args.momentum;
    this.epsilon = args.epsilon;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const c = shape[shape.length - 1] as number;
    this.gamma = this.addWeight('gamma', [c], 'float32', tf.initializers.ones(), undefined, true);
    this.beta = this.addWeight('beta', [c], 'float32', tf.initializers.zeros(), undefined, true);
    this.movingMean = this.addWeight('moving_mean', [c], 'float32', tf.initializers.zeros(), undefined, false);
    this.movingVariance = this.addWeight('moving_variance', [c], 'float32', tf.initializers.ones(), undefined, false);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const gamma = this.gamma.read();
    const beta = this.beta.read();
    if (!kwargs.training) {
      return tf.batchNorm(x, this.movingMean.read(), this.movingVariance.read(), beta, gamma, this.epsilon);
    }
    const { y, mean, variance } = batchNormTraining(x, gamma, beta, this.epsilon);
    const n = x.size / (x.shape[x.shape.length - 1] as number);
    tf.tidy(() => {
      const next = movingAverages(this.movingMean.read(), this.movingVariance.read(), mean, variance, n, this.momentum);
      this.movingMean.write(next.mean);
      this.movingVariance.write(next.variance);
    });
    mean.dispose();
    variance.dispose();
    return y;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), momentum: this.momentum, epsilon: this.epsilon };
  }
}
tf.serialization.registerClass(BatchNorm);

type Sym = tf.SymbolicTensor;

/** Applies a layer to one symbolic tensor (or several, for merge layers). */
function on(layer: tf.layers.Layer, x: Sym | Sym[]): Sym {
  return layer.apply(x) as Sym;
}

/** The operation table's primitives as tfjs layers, with seeded initialisers drawn from `rng` in build order. */
class LayerPrimitives implements Primitives<Sym> {
  constructor(private readonly rng: Rng) {}

  private he(): ReturnType<typeof tf.initializers.heNormal> {
    return tf.initializers.heNormal({ seed: this.rng.uint32() });
  }

  conv(x: Sym, filters: number, kernelSize: number, strides: number): Sym {
    return on(tf.layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false, kernelInitializer: this.he() }), x);
  }

  bn(x: Sym): Sym {
    return on(new BatchNorm({ momentum: BN_MOMENTUM, epsilon: BN_EPSILON }), x);
  }

  relu(x: Sym): Sym {
    return on(tf.layers.reLU(), x);
  }

  avgPool(x: Sym, poolSize: number, strides: number): Sym {
    return on(tf.layers.averagePooling2d({ poolSize, strides, padding: 'same' }), x);
  }

  globalAvgPool(x: Sym): Sym {
    return on(tf.layers.globalAveragePooling2d({}), x);
  }

  sum(terms: Sym[]): Sym {
    if (terms.length === 1) return terms[0];
    // tfjs's Add layer fails ("Tensor is disposed") when one tensor is among its inputs twice,
    // as when two skip paths meet (x + x): a repeated term goes through an identity layer first.
    const seen = new Set<Sym>();
    const distinct = terms.map((t) => {
      if (!seen.has(t)) {
        seen.add(t);
        return t;
      }
      return on(tf.layers.activation({ activation: 'linear' }), t);
    });
    return on(tf.layers.add(), distinct);
  }

  dense(x: Sym, units: number, activation: 'relu' | 'softmax'): Sym {
    // A dense layer reads images row-major (h, w, c), as a flatten of NHWC values lies in memory.
    if (x.shape.length > 2) x = on(tf.layers.flatten(), x);
    const kernelInitializer = activation === 'relu' ? this.he() : tf.initializers.glorotUniform({ seed: this.rng.uint32() });
    return on(tf.layers.dense({ units, activation, kernelInitializer, biasInitializer: 'zeros' }), x);
  }

  zeroLike(x: Sym): Sym {
    return on(new ZeroLike({}), x);
  }

  convLayer(x: Sym, filters: number, kernelSize: number): Sym {
    return on(tf.layers.conv2d({ filters, kernelSize, padding: 'same', activation: 'relu', kernelInitializer: this.he() }), x);
  }

  mixed(): Sym {
    throw new TypeError('buildModel: a mixed edge has no layer (buildModel checks for them first)');
  }
}

/**
 * A tfjs model (softmax outputs) of a network description, with seeded initial weights.
 * @param net a description (from describeNetwork) without mixed edges
 * @param rng seeds every initialiser, in the description's order
 */
function buildFromDescription(net: NetworkDescription, rng: Rng): tf.LayersModel {
  const p = new LayerPrimitives(rng);
  const input = tf.input({ shape: net.inputShape });
  const values: Sym[] = [];
  for (const op of net.ops) {
    const inputs = op.inputs.map((i) => (i === NETWORK_INPUT ? input : values[i]));
    values.push(NETWORK_OPS[op.op].build(p, inputs, op));
  }
  return tf.model({ inputs: input, outputs: values[values.length - 1] });
}

/**
 * A tfjs model (softmax outputs) for an architecture or a network description, with seeded
 * initial weights. MLPs take flat rows [n, h·w·c]; cell networks take NHWC images [n, h, w, c].
 * The caller disposes the model.
 * @param arch an MLP genome, a cell, or a description from describeNetwork (then `opts` needs only `rng`)
 * @param opts inputShape ([8, 8, 1] for digits), numClasses, `rng` (seeds every initialiser), and
 *   for a cell the network options channels (16), cellsPerStage (1), stages (3)
 * @throws TypeError/RangeError for an invalid architecture or option, a missing `rng`, or a mixed edge
 * @example buildModel({ kind: 'mlp', widths: [32, 16, 8] }, { inputShape: [8, 8, 1], numClasses: 10, rng: createRng(0) }).countParams() // 2834
 */
export function buildModel(arch: Architecture, opts: ModelOptions & { rng: Rng }): tf.LayersModel;
export function buildModel(net: NetworkDescription, opts: { rng: Rng }): tf.LayersModel;
export function buildModel(arch: Architecture | NetworkDescription, opts: Partial<ModelOptions> & { rng: Rng }): tf.LayersModel {
  const caller = 'buildModel';
  let net: NetworkDescription;
  if (typeof arch === 'object' && arch !== null && (arch as { kind?: unknown }).kind === 'network') {
    net = checkNetworkDescription('arch', arch, caller);
  } else {
    net = describeChecked(arch as Architecture, opts as ModelOptions, caller);
  }
  const rng = checkRng('rng', (opts as { rng?: unknown } | undefined)?.rng, caller);
  if (hasMixedEdges(net)) {
    throw new TypeError(`${caller}: 'arch' must have one operation on every edge, got a mixed edge; a supernet is built by buildSupernet`);
  }
  return buildFromDescription(net, rng);
}

/**
 * The tensor layout an architecture's model takes: flat rows for an MLP, NHWC images for a cell network.
 * @example inputLayout({ kind: 'mlp', widths: [8] }) // 'flat'
 */
export function inputLayout(arch: Architecture | NetworkDescription): 'flat' | 'nhwc' {
  if (arch.kind === 'network') return arch.layout;
  return arch.kind === 'mlp' ? 'flat' : 'nhwc';
}
