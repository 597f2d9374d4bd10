/**
 * BatchMatMul for the wasm backend: the built-in kernel, fed operands that need no transposing.
 *
 * The built-in runs a single (unbatched) product without transpose flags through XNNPACK, but any
 * transpose flag sends it down a plain loop that is 10-20 times slower, and gradients are full of
 * transposed products (a dense layer's weight gradient is x^T dy, its input gradient dy W^T). An
 * explicit transpose of the flagged operand costs far less than the slow loop, so this kernel
 * transposes first and calls the built-in without flags. Batched products (where the built-in has
 * no fast path either way) go to the built-in unchanged.
 */
import { BatchMatMul, Transpose } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { compose } from './compose';

function batchSize(shape: readonly number[]): number {
  return shape.slice(0, -2).reduce((a, b) => a * b, 1);
}

/** The permutation that swaps the last two axes. */
function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

const batchMatMul: KernelFunc = ({ inputs, backend, attrs }): TensorInfo => {
  const { a, b } = inputs;
  if (a === undefined || b === undefined || a.shape.length < 2 || b.shape.length < 2) {
    throw new Error(`${BatchMatMul} (nasbook wasm): inputs 'a' and 'b' must be tensors of rank >= 2`);
  }
  const transposeA = attrs?.transposeA === true;
  const transposeB = attrs?.transposeB === true;
  const fast = a.dtype === 'float32' && b.dtype === 'float32' && batchSize(a.shape) === 1 && batchSize(b.shape) === 1;
  return compose('wasm', backend, (c) => {
    if (!fast || (!transposeA && !transposeB)) {
      return c.run(BatchMatMul, { a, b }, { transposeA, transposeB });
    }
    const a2 = transposeA ? c.run(Transpose, { x: a }, { perm: swapLastTwo(a.shape.length) }) : a;
    const b2 = transposeB ? c.run(Transpose, { x: b }, { perm: swapLastTwo(b.shape.length) }) : b;
    return c.run(BatchMatMul, { a: a2, b: b2 }, { transposeA: false, transposeB: false });
  });
};

/** The wasm BatchMatMul kernel: explicit transposes, then the built-in's fast unflagged product. */
export const batchMatMulWasm: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMul,
};
