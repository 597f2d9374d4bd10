/**
 * Batch normalisation as functions of tensors: the training-mode forward pass with a hand-written
 * gradient (why: see `BatchNorm` in models.ts) and the moving averages. The BatchNorm layer
 * (models.ts) and the supernet both use them. tfjs is loaded on the first call, so the supernet
 * and the zero-cost proxies that build on it cost nothing to import (see core/lazy.ts).
 */
import type * as TF from '@tensorflow/tfjs';
import { lazyModule } from '../core/lazy';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tf = lazyModule((): typeof TF => require('@tensorflow/tfjs'));

/**
 * Batch-norm moving averages with momentum 0.9 (PyTorch's 0.1) rather than Keras's 0.99: runs here
 * last tens to hundreds of steps, and with 0.99 the moving statistics used at evaluation would
 * still remember their initial values.
 */
export const BN_MOMENTUM = 0.9;
export const BN_EPSILON = 1e-5;

/**
 * Batch normalisation in training mode over the last axis, with the hand-written gradient described
 * at `BatchNorm`: y = x̂·gamma + beta with x̂ from the batch's own mean and (biased) variance.
 * Returns y and the batch statistics (kept: the caller disposes `mean` and `variance`), from which
 * the caller updates its moving averages. The BatchNorm layer and the supernet both use it.
 * @param x [..., c]; @param gamma [c]; @param beta [c]; @param epsilon added to the variance
 * @example const { y, mean, variance } = batchNormTraining(x, gamma, beta, 1e-5)
 */
export function batchNormTraining(x: TF.Tensor, gamma: TF.Tensor, beta: TF.Tensor, epsilon: number): { y: TF.Tensor; mean: TF.Tensor; variance: TF.Tensor } {
  const axes = x.shape.map((_, i) => i).slice(0, -1);
  const n = x.size / (x.shape[x.shape.length - 1] as number);
  // The batch statistics leave the custom-gradient scope through this closure (kept from its tidy).
  let stats: { mean: TF.Tensor; variance: TF.Tensor } | null = null;
  const normalize = tf.customGrad((xIn, g, b, save) => {
    const [xt, gt, bt] = [xIn, g, b] as TF.Tensor[];
    const { mean, variance } = tf.moments(xt, axes);
    stats = { mean: tf.keep(mean), variance: tf.keep(variance) };
    const invStd = tf.rsqrt(tf.add(variance, epsilon));
    const xHat = tf.mul(tf.sub(xt, mean), invStd);
    (save as (ts: TF.Tensor[]) => void)([xHat, invStd, gt]);
    return {
      value: tf.add(tf.mul(xHat, gt), bt),
      gradFunc: (dy: TF.Tensor | TF.Tensor[], saved: TF.Tensor[]) => {
        const d = Array.isArray(dy) ? dy[0] : dy;
        const [xh, inv, gs] = saved;
        const dBeta = tf.sum(d, axes);
        const dGamma = tf.sum(tf.mul(d, xh), axes);
        const dx = tf.mul(tf.sub(tf.sub(tf.mul(d, n), dBeta), tf.mul(xh, dGamma)), tf.div(tf.mul(gs, inv), n));
        return [dx, dGamma, dBeta];
      },
    };
  });
  const y = normalize(x, gamma, beta);
  const { mean, variance } = stats as unknown as { mean: TF.Tensor; variance: TF.Tensor };
  return { y, mean, variance };
}

/**
 * Batch norm's moving averages after one training batch: moving·m + batch·(1 - m), where, like
 * PyTorch, the variance averaged is the unbiased batch variance (n values per channel).
 * @example movingAverages(mean, variance, batchMean, batchVariance, 64 * 8 * 8, 0.9)
 */
export function movingAverages(
  movingMean: TF.Tensor,
  movingVariance: TF.Tensor,
  mean: TF.Tensor,
  variance: TF.Tensor,
  n: number,
  momentum: number,
): { mean: TF.Tensor; variance: TF.Tensor } {
  const m = momentum;
  const unbiased = n > 1 ? tf.mul(variance, n / (n - 1)) : variance;
  return { mean: tf.add(tf.mul(movingMean, m), tf.mul(mean, 1 - m)), variance: tf.add(tf.mul(movingVariance, m), tf.mul(unbiased, 1 - m)) };
}
