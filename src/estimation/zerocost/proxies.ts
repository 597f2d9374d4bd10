/**
 * Zero-cost proxies: scores of an untrained network from one forward/backward pass, to the
 * reference definitions of zero-cost-nas (Abdelfattah et al., ICLR 2021), which NASLib follows:
 *
 * - synflow (Tanaka et al. 2020): batch norm left out, every weight replaced by its absolute value,
 *   an all-ones input of batch 1, R = the sum of the logits; score Σ |θ ⊙ ∂R/∂θ| over the
 *   convolution and dense kernels (no biases, no batch-norm parameters);
 * - jacob_cov (Mellor et al. 2021): each input's gradient of the summed logits, their correlation
 *   spectrum scored by `jacobCovScore`; jacobian_norm: the mean over the batch of ‖∂Σf/∂x_b‖₂;
 * - grad_norm: Σ over kernels of ‖∂L/∂W‖_F for the mean cross-entropy L of one batch;
 * - params and macs, the baselines the literature finds hard to beat (White et al. 2022).
 *
 * Batch norm, where present (jacob_cov, jacobian_norm, grad_norm), normalises with the batch's own
 * statistics, as a freshly built PyTorch module in training mode does.
 *
 * SynFlow in float32. With |θ| the network is a sum over input-output paths of products of weights;
 * R reaches 1e32–1e61 for full-size NAS-Bench-201 networks and the gradients near the input are as
 * large, beyond float32 (3.4e38), and tfjs has no float64. Without batch norm and biases, R and every
 * ∂R/∂θ are linear in the input (ReLU passes positive values unchanged), so the input is scaled by
 * s₁ = 2⁻¹⁰⁰ and the backward pass seeded with s₂ = 1/(s₁R) instead of 1: every activation,
 * gradient and product then stays in range, and log score = log Σ|θ ⊙ g| − log s₁ − log s₂ exactly.
 * The score is reported as its natural logarithm; a network no signal crosses (R = 0) scores −∞.
 */
import type * as TF from '@tensorflow/tfjs';
import { checkArray, checkOneOf, describe } from '../../core/checks';
import { lazyModule } from '../../core/lazy';
import { checkRng, type Rng } from '../../core/rng';
import { checkCellArch, type CellArch, type SupernetCell } from '../../tensor/arch';
import { archCost } from '../../tensor/cost';
import type { ModelOptions } from '../../tensor/network';
import type { Batch } from '../../tensor/step';
import { buildSupernet, type Supernet } from '../../tensor/supernet';
import { jacobCovScore } from './jacobCov';

// tfjs on the first score: the grader's process for the zero-cost chapter loads this file before any
// student code runs (it protects synflowLogScore and jacobCov), and the cases never build a network.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tf = lazyModule((): typeof TF => require('@tensorflow/tfjs'));

/** The proxies `zeroCostScores` computes. */
export const ZERO_COST_PROXIES = ['synflow', 'jacob_cov', 'jacobian_norm', 'grad_norm', 'params', 'macs'] as const;

/** One zero-cost proxy. */
export type ZeroCostProxy = (typeof ZERO_COST_PROXIES)[number];

/** The input scale of SynFlow's forward pass (see the file header). */
export const SYNFLOW_INPUT_SCALE = 2 ** -100;

/** A network as the proxies see it: its logits as a function of the input, and the kernels they score. */
export interface ProxyNetwork {
  /** Logits [batch, classes] of an input batch. */
  logits: (x: TF.Tensor) => TF.Tensor;
  /** Convolution and dense kernels (no biases, no batch-norm parameters): variables or plain tensors the logits read. */
  kernels: readonly TF.Tensor[];
}

function checkKernels(net: ProxyNetwork, caller: string): void {
  if (typeof net !== 'object' || net === null || typeof net.logits !== 'function') {
    throw new TypeError(`${caller}: 'net' must be { logits, kernels }, got ${describe(net)}`);
  }
  checkArray('net.kernels', net.kernels, { minLength: 1 }, caller);
}

function checkInput(name: string, x: unknown, minBatch: number, caller: string): TF.Tensor {
  if (!(x instanceof tf.Tensor)) throw new TypeError(`${caller}: '${name}' must be a tf.Tensor, got ${describe(x)}`);
  if (x.shape[0] < minBatch) throw new RangeError(`${caller}: '${name}' must hold a batch of at least ${minBatch} examples, got ${x.shape[0]}`);
  if (tf.tidy(() => tf.any(tf.logicalNot(tf.isFinite(x))).dataSync()[0])) {
    throw new RangeError(`${caller}: '${name}' must hold only finite values, got NaN or an infinity`);
  }
  return x;
}

/**
 * log SynFlow of a network whose batch norm is off and whose weights are already absolute values
 * (see `zeroCostScores`, which prepares them). The input is all ones, batch 1.
 * @param net logits and kernels
 * @param inputShape one example's shape, e.g. [8, 8, 1]
 * @returns ln Σ|θ ⊙ ∂R/∂θ|, or −Infinity when R = 0 (no signal reaches the output)
 * @throws TypeError/RangeError for a network without kernels; Error if the scaled pass still overflows
 * @example synflowLogScore(net, [8, 8, 1]) // ≈ 20 for a small digits network
 */
export function synflowLogScore(net: ProxyNetwork, inputShape: readonly number[]): number {
  const caller = 'synflowLogScore';
  checkKernels(net, caller);
  const x = tf.tidy(() => tf.mul(tf.ones([1, ...inputShape]), SYNFLOW_INPUT_SCALE));
  try {
    // One pass: R·s₁ forward, and the backward pass seeded with 1/(R·s₁) (see the file header).
    const [scaledR, total] = tf.tidy(() => {
      const { value, grads } = tf.valueAndGrads(() => divideGradientByValue(tf.sum(net.logits(x))))([...net.kernels]);
      const r = value.dataSync()[0];
      if (r === 0 || !Number.isFinite(r)) return [r, NaN];
      return [r, tf.addN(net.kernels.map((k, i) => tf.sum(tf.abs(tf.mul(k, grads[i]))))).dataSync()[0]];
    });
    if (scaledR === 0) return -Infinity;
    if (!(scaledR > 0) || !Number.isFinite(scaledR)) throw new Error(`${caller}: the scaled forward pass gave R·s₁ = ${scaledR}; the network is outside the range this rescaling covers`);
    if (!(total > 0) || !Number.isFinite(total)) throw new Error(`${caller}: the scaled backward pass gave ${total}; the network is outside the range this rescaling covers`);
    // Written as log total − log s₁ − log s₂ with s₂ = 1/(R·s₁), the same float64 steps as the survey shipped.
    return Math.log(total) - Math.log(SYNFLOW_INPUT_SCALE) - Math.log(1 / scaledR);
  } finally {
    x.dispose();
  }
}

let divideByValue: ((r: TF.Tensor) => TF.Scalar) | null = null;

/**
 * The identity on a positive scalar r whose gradient is divided by r: back-propagates 1/r from one
 * forward pass. Made on the first call, since tf.customGrad needs tfjs.
 */
function divideGradientByValue(r: TF.Tensor): TF.Scalar {
  divideByValue ??= tf.customGrad(((value: TF.Tensor, save: TF.GradSaveFunc) => {
    save([value]);
    return { value: value.clone(), gradFunc: (dy: TF.Tensor, [saved]: TF.Tensor[]) => tf.div(dy, saved) };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as (r: TF.Tensor) => TF.Scalar;
  return divideByValue(r);
}

/**
 * Each example's input gradient of the summed logits, flattened: one row per example.
 * @param net logits (kernels unused)
 * @param x a batch [B, ...] of finite inputs
 * @throws TypeError/RangeError for a non-tensor, an empty batch or a non-finite input
 */
export function inputJacobians(net: Pick<ProxyNetwork, 'logits'>, x: TF.Tensor): number[][] {
  checkInput('x', x, 1, 'inputJacobians');
  return tf.tidy(() => {
    const g = tf.grad((xi: TF.Tensor) => tf.sum(net.logits(xi)))(x);
    return g.reshape([x.shape[0], -1]).arraySync() as number[][];
  });
}

/**
 * jacob_cov: the correlation-spectrum score of the batch's input Jacobians (see jacobCovScore).
 * A network whose output does not move with some input (a constant Jacobian row, as in a cell no
 * signal crosses) has no defined correlation; zero-cost-nas returns NaN there, this returns −∞ so
 * such networks rank last.
 * @param x a batch of at least 2 finite inputs
 * @throws RangeError for a batch of one (a 1x1 correlation matrix scores nothing) or a non-finite input
 */
export function jacobCov(net: Pick<ProxyNetwork, 'logits'>, x: TF.Tensor): number {
  checkInput('x', x, 2, 'jacobCov');
  const rows = inputJacobians(net, x);
  if (rows.some((r) => r.every((v) => v === r[0]))) return -Infinity;
  return jacobCovScore(rows);
}

/**
 * jacobian_norm: the mean over the batch of each example's ‖∂(Σ logits)/∂x_b‖₂.
 * @param x a batch of finite inputs
 */
export function jacobianNorm(net: Pick<ProxyNetwork, 'logits'>, x: TF.Tensor): number {
  checkInput('x', x, 1, 'jacobianNorm');
  const rows = inputJacobians(net, x);
  return rows.reduce((s, r) => s + Math.hypot(...r), 0) / rows.length;
}

/**
 * grad_norm: Σ over kernels of the Frobenius norm of ∂L/∂W, L the mean cross-entropy of the batch.
 * @param net logits and kernels
 * @param batch inputs and one-hot labels
 * @throws TypeError/RangeError for a network without kernels or a non-finite input
 */
export function gradNorm(net: ProxyNetwork, batch: Batch): number {
  const caller = 'gradNorm';
  checkKernels(net, caller);
  checkInput('batch.x', batch?.x, 1, caller);
  return tf.tidy(() => {
    const grads = tf.grads(() => tf.losses.softmaxCrossEntropy(batch.y, net.logits(batch.x)))([...net.kernels]);
    return tf.addN(grads.map((g) => tf.norm(g))).dataSync()[0];
  });
}

/** Options of zeroCostScores. */
export interface ZeroCostOptions extends ModelOptions {
  /** Seeds the network's initial weights (as buildModel would for the same seed). */
  rng: Rng;
  /** One batch (inputs and one-hot labels) for the data-dependent proxies (jacob_cov, jacobian_norm, grad_norm). */
  batch?: Batch;
  /** Which proxies (default: all). */
  proxies?: readonly ZeroCostProxy[];
}

/** The proxies' values for one cell (synflow as its natural log). */
export type ZeroCostScores = Partial<Record<ZeroCostProxy, number>>;

/** The kernels of a supernet built for one plain cell: its convolution and dense weights. */
function kernelsOf(sn: Supernet): TF.Variable[] {
  return sn.weightNames().filter((n) => n.endsWith('/kernel')).map((n) => sn.weight(n) as TF.Variable);
}

/**
 * Every requested zero-cost proxy of a cell's network at initialisation, from one set of seeded
 * weights: the network is built once (as a supernet of one path, so weights are named variables),
 * scored, and released.
 * @param cell a plain cell
 * @param opts inputShape, numClasses, network options (channels, cellsPerStage, stages), rng, batch, proxies
 * @throws TypeError/RangeError for an invalid cell, option, proxy name, or batch
 * @example zeroCostScores(cell, { inputShape: [8, 8, 1], numClasses: 10, channels: 8, stages: 2, rng: createRng(0), batch })
 * // { synflow: 21.3, jacob_cov: -65.2, jacobian_norm: 0.41, grad_norm: 3.2, params: 9066, macs: 182272 }
 */
export function zeroCostScores(cell: CellArch, opts: ZeroCostOptions): ZeroCostScores {
  const caller = 'zeroCostScores';
  checkCellArch(cell, caller);
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be { inputShape, numClasses, rng, batch, ... }, got ${describe(opts)}`);
  const proxies = checkArray<unknown>('opts.proxies', opts.proxies ?? ZERO_COST_PROXIES, { minLength: 1 }, caller).map((p, i) =>
    checkOneOf(`opts.proxies[${i}]`, p, ZERO_COST_PROXIES, caller),
  );
  const rng = checkRng('opts.rng', opts.rng, caller);
  const batch = opts.batch as Batch;
  if (proxies.some((p) => p !== 'params' && p !== 'macs' && p !== 'synflow')) {
    if (typeof batch !== 'object' || batch === null) throw new TypeError(`${caller}: 'opts.batch' must be { x, y } for ${proxies.join(', ')}, got ${describe(batch)}`);
    checkInput('opts.batch.x', batch.x, proxies.includes('jacob_cov') ? 2 : 1, caller);
  }
  const shape: ModelOptions = { inputShape: opts.inputShape, numClasses: opts.numClasses, channels: opts.channels, cellsPerStage: opts.cellsPerStage, stages: opts.stages };
  const out: ZeroCostScores = {};
  const cost = archCost(cell, shape);
  if (proxies.includes('params')) out.params = cost.params;
  if (proxies.includes('macs')) out.macs = cost.macs;
  if (proxies.every((p) => p === 'params' || p === 'macs')) return out; // counts need no weights
  const sn = buildSupernet(cell as SupernetCell, { ...shape, rng });
  try {
    const kernels = kernelsOf(sn);
    const withBn: ProxyNetwork = { logits: sn.pathLogits(cell, { batchNorm: 'batch' }), kernels };
    if (proxies.includes('jacob_cov')) out.jacob_cov = jacobCov(withBn, batch.x);
    if (proxies.includes('jacobian_norm')) out.jacobian_norm = jacobianNorm(withBn, batch.x);
    if (proxies.includes('grad_norm')) out.grad_norm = gradNorm(withBn, batch);
    if (proxies.includes('synflow')) {
      // Last: it overwrites the weights with their absolute values.
      for (const name of sn.weightNames()) tf.tidy(() => (sn.weight(name) as TF.Variable).assign(tf.abs(sn.weight(name) as TF.Variable)));
      out.synflow = synflowLogScore({ logits: sn.pathLogits(cell, { batchNorm: 'off' }), kernels }, opts.inputShape);
    }
    return out;
  } finally {
    sn.dispose();
  }
}
