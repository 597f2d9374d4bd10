/**
 * SynFlow at full size, built for SynFlow alone. `zeroCostScores` builds a general-purpose network
 * (named tf.Variables, batch-norm parameters and statistics, weights drawn by tfjs's initialisers,
 * then overwritten with their absolute values). Measured in CPU time (`npm run bench`, zerocost),
 * that overhead is small beside the convolutions themselves: on the all-conv3x3 cell (1.2 M
 * weights) this path takes about 0.75x the general path's CPU time, on a random sample of cells
 * about the same. The 1.5 s a cell noted before is wall time: at this machine's load (14-20 on 2
 * cores, nice 10) wall time ran about 3x the CPU time.
 *
 * Here the network description is walked twice: once with shapes, drawing every kernel's |θ|
 * straight into a Float32Array with a small seeded generator, and once with tensors, batch norm
 * left out, biases left out (they start at zero, so they add nothing to R), which SynFlow asks for.
 * The score is then `synflowLogScore`'s, on plain tensors instead of variables.
 *
 * The weights follow the distribution tfjs's initialisers use (and buildModel/buildSupernet draw
 * from), not their exact numbers: convolutions He-normal, N(0, 2/fan_in) truncated at two standard
 * deviations (tfjs's heNormal, no variance correction), so |θ| is that half-normal; the classifier
 * Glorot-uniform, |θ| ~ U(0, √(6/(fan_in + fan_out))). Each kernel has its own 32-bit seed drawn
 * from the caller's Rng, in the description's order, and a sfc32 stream (Box–Muller, rejection
 * beyond 2σ) fills it.
 */
import * as tf from '@tensorflow/tfjs';
import { checkRng, type Rng } from '../../core/rng';
import { checkCellArch, type CellArch, type CellOp } from '../../tensor/arch';
import { describeChecked, NETWORK_INPUT, type ModelOptions, type NetworkDescription } from '../../tensor/network';
import { NETWORK_OPS, type Primitives } from '../../tensor/ops';
import { synflowLogScore } from './proxies';

/** sfc32 (Doty-Humphrey's small fast counter generator): uniform doubles in [0, 1) from a 32-bit seed. */
function sfc32(seed: number): () => number {
  let [a, b, c, d] = [0x9e3779b9, 0x243f6a88, 0xb7e15162, seed >>> 0];
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next(); // mix the seed into every word
  return next;
}

/**
 * |θ| for `n` weights drawn from N(0, std²) truncated at ±2·std: a half-normal truncated at 2·std.
 * @param n how many
 * @param std the normal's standard deviation before truncation
 * @param seed a 32-bit seed
 * @example absTruncatedNormal(4, 0.5, 7) // Float32Array(4) of values in [0, 1]
 */
export function absTruncatedNormal(n: number, std: number, seed: number): Float32Array {
  const u = sfc32(seed);
  const out = new Float32Array(n);
  let i = 0;
  while (i < n) {
    // Box–Muller gives two independent normals per pair of uniforms; 1 − u keeps log's argument in (0, 1].
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    const angle = 2 * Math.PI * u();
    const z1 = Math.abs(r * Math.cos(angle));
    const z2 = Math.abs(r * Math.sin(angle));
    if (z1 <= 2) out[i++] = std * z1;
    if (z2 <= 2 && i < n) out[i++] = std * z2;
  }
  return out;
}

/**
 * |θ| for `n` weights drawn from U(−limit, limit): U(0, limit).
 * @example absUniform(3, 0.1, 7) // Float32Array(3) of values in [0, 0.1)
 */
export function absUniform(n: number, limit: number, seed: number): Float32Array {
  const u = sfc32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = limit * u();
  return out;
}

/** The shape walk: draws each kernel's |θ| in the description's order. */
class KernelDrawer implements Primitives<number[]> {
  readonly kernels: tf.Tensor[] = [];

  constructor(private readonly rng: Rng) {}

  conv([h, w, c]: number[], filters: number, k: number, s: number): number[] {
    const fanIn = k * k * c;
    this.kernels.push(tf.tensor4d(absTruncatedNormal(fanIn * filters, Math.sqrt(2 / fanIn), this.rng.uint32()), [k, k, c, filters]));
    return [Math.ceil(h / s), Math.ceil(w / s), filters];
  }

  dense(x: number[], units: number, activation: 'relu' | 'softmax'): number[] {
    const n = x.reduce((a, b) => a * b, 1);
    const seed = this.rng.uint32();
    const values = activation === 'relu' ? absTruncatedNormal(n * units, Math.sqrt(2 / n), seed) : absUniform(n * units, Math.sqrt(6 / (n + units)), seed);
    this.kernels.push(tf.tensor2d(values, [n, units]));
    return [units];
  }

  bn = (x: number[]): number[] => x;
  relu = (x: number[]): number[] => x;
  avgPool = ([h, w, c]: number[], _size: number, s: number): number[] => [Math.ceil(h / s), Math.ceil(w / s), c];
  globalAvgPool = (x: number[]): number[] => [x[x.length - 1]];
  sum = (terms: number[][]): number[] => terms[0];
  zeroLike = (x: number[]): number[] => x;

  mixed(): number[] {
    throw new Error('synflowCellScore: a plain cell has no mixed edges');
  }
}

/** The tensor walk: SynFlow's forward pass, batch norm and biases left out, reading the kernels in the order they were drawn. */
class SynflowForward implements Primitives<tf.Tensor> {
  private next = 0;

  constructor(private readonly kernels: readonly tf.Tensor[]) {}

  conv(x: tf.Tensor, _filters: number, _k: number, s: number): tf.Tensor {
    return tf.conv2d(x as tf.Tensor4D, this.kernels[this.next++] as tf.Tensor4D, s, 'same');
  }

  dense(x: tf.Tensor, _units: number, activation: 'relu' | 'softmax'): tf.Tensor {
    const z = tf.matMul(x, this.kernels[this.next++] as tf.Tensor2D);
    return activation === 'relu' ? tf.relu(z) : z; // logits: no softmax
  }

  bn = (x: tf.Tensor): tf.Tensor => x;
  relu = (x: tf.Tensor): tf.Tensor => tf.relu(x);
  avgPool = (x: tf.Tensor, size: number, s: number): tf.Tensor => tf.avgPool(x as tf.Tensor4D, size, s, 'same');
  globalAvgPool = (x: tf.Tensor): tf.Tensor => tf.mean(x, [1, 2]);
  sum = (terms: tf.Tensor[]): tf.Tensor => tf.addN(terms);
  zeroLike = (x: tf.Tensor): tf.Tensor => tf.zerosLike(x);

  mixed(_candidates: readonly CellOp[]): tf.Tensor {
    throw new Error('synflowCellScore: a plain cell has no mixed edges');
  }
}

function walk<T>(net: NetworkDescription, p: Primitives<T>, x: T): T {
  const values: T[] = [];
  for (const op of net.ops) values.push(NETWORK_OPS[op.op].build(p, op.inputs.map((i) => (i === NETWORK_INPUT ? x : values[i])), op));
  return values[values.length - 1];
}

/**
 * Draws the |θ| kernels of a cell's network (convolutions and the classifier, in the description's
 * order) as SynFlow sees them. The caller disposes them.
 * @param cell a plain cell
 * @param opts inputShape, numClasses, network options (channels, cellsPerStage, stages), rng
 * @throws TypeError/RangeError for an invalid cell or option
 * @example synflowKernels(cell, { inputShape: [8, 8, 1], numClasses: 10, rng: createRng(0) }).length // convolutions + 1
 */
export function synflowKernels(cell: CellArch, opts: ModelOptions & { rng: Rng }): tf.Tensor[] {
  const caller = 'synflowKernels';
  checkCellArch(cell, caller);
  const net = describeChecked(cell, opts, caller);
  const drawer = new KernelDrawer(checkRng('opts.rng', opts?.rng, caller));
  walk(net, drawer, net.inputShape);
  return drawer.kernels;
}

/**
 * log SynFlow of a cell's network at a fresh |θ| draw (see the file header for the distribution),
 * built for SynFlow alone: the fast path for full-size surveys. Equals `synflowLogScore` on a
 * network with the same |θ| (tested).
 * @param cell a plain cell
 * @param opts inputShape, numClasses, network options, rng (seeds the weights)
 * @returns ln Σ|θ ⊙ ∂R/∂θ|, or −Infinity when no signal reaches the output
 * @throws TypeError/RangeError for an invalid cell or option, or a network with no kernels
 * @example synflowCellScore(cell, { inputShape: [32, 32, 3], numClasses: 10, channels: 16, cellsPerStage: 5, stages: 3, rng: createRng('zerocost:' + name) }) // ≈ 100–150
 */
export function synflowCellScore(cell: CellArch, opts: ModelOptions & { rng: Rng }): number {
  const caller = 'synflowCellScore';
  checkCellArch(cell, caller);
  const net = describeChecked(cell, opts, caller);
  const kernels = synflowKernels(cell, opts);
  try {
    const logits = (x: tf.Tensor): tf.Tensor => walk(net, new SynflowForward(kernels), x);
    return synflowLogScore({ logits, kernels }, net.inputShape);
  } finally {
    tf.dispose(kernels);
  }
}
