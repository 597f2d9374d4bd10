/**
 * BatchMatMul for the wasm backend: the built-in kernel, fed operands that need no transposing.
 *
 * The built-in runs a single (unbatched) product without transpose flags through XNNPACK, but any
 * transpose flag sends it down a plain loop that is 10-20 times slower, and gradients are full of
 * transposed products (a dense layer's weight gradient is x^T dy, its input gradient dy W^T). An
 * explicit transpose of the flagged operand costs far less than the slow loop, so this kernel
 * transposes first and calls the built-in without flags. Batched products (where the built-in has
 * no fast path either way) go to the built-in unchanged.
 *
 * tfjs-backend-wasm 4.22 caches the XNNPACK operator of a product (with `b` packed into it) under
 * the id of `b`'s buffer alone, so the same buffer seen with another shape (a reshape or a view,
 * which share the buffer) is multiplied with the operator built for the first shape: wrong numbers,
 * no error (bench/README.md has the report). Every `b` handed to the built-in here is therefore a
 * buffer this kernel has just made: a transpose, or a copy when no transpose was needed.
 */
import { BatchMatMul, Transpose, _FusedMatMul } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import { compose } from './compose';
import type { Composer } from './compose';

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

/**
 * A copy of `t` in a buffer of its own: the built-in's operator cache cannot confuse it with another
 * shape of the same buffer (see the file comment). Costs one copy of an operand, which is small
 * next to the product.
 *
 * @param c The composer.
 * @param t A float32 operand.
 * @returns A new buffer with t's values and shape.
 */
export function freshCopy(c: Composer, t: TensorInfo): TensorInfo {
  return c.constant(c.read(t), t.shape.slice());
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
    if (!fast) return c.run(BatchMatMul, { a, b: freshCopy(c, b) }, { transposeA, transposeB });
    const a2 = transposeA ? c.run(Transpose, { x: a }, { perm: swapLastTwo(a.shape.length) }) : a;
    const b2 = transposeB ? c.run(Transpose, { x: b }, { perm: swapLastTwo(b.shape.length) }) : freshCopy(c, b);
    return c.run(BatchMatMul, { a: a2, b: b2 }, { transposeA: false, transposeB: false });
  });
};

/** The wasm BatchMatMul kernel: explicit transposes, then the built-in's fast unflagged product. */
export const batchMatMulWasm: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMul,
};

/**
 * _FusedMatMul (product, bias, activation) for the wasm backend: the built-in, fed operands that
 * need no transposing and a `b` of its own. Besides the operator cache above, the built-in adds the
 * bias wrongly when `transposeB` is set (measured on 4.22: [4,3]·[2,3]ᵀ + bias off by 0.1 against
 * the cpu backend; without a bias it is right), so a flagged operand is transposed first here too.
 */
const fusedMatMul: KernelFunc = ({ inputs, backend, attrs }): TensorInfo => {
  const { a, b, bias, preluActivationWeights } = inputs;
  if (a === undefined || b === undefined || a.shape.length < 2 || b.shape.length < 2) {
    throw new Error(`${_FusedMatMul} (nasbook wasm): inputs 'a' and 'b' must be tensors of rank >= 2`);
  }
  const transposeA = attrs?.transposeA === true;
  const transposeB = attrs?.transposeB === true;
  return compose('wasm', backend, (c) => {
    const a2 = transposeA ? c.run(Transpose, { x: a }, { perm: swapLastTwo(a.shape.length) }) : a;
    const b2 = transposeB ? c.run(Transpose, { x: b }, { perm: swapLastTwo(b.shape.length) }) : freshCopy(c, b);
    const rest: NamedTensorInfoMap = {};
    if (bias !== undefined) rest.bias = bias;
    if (preluActivationWeights !== undefined) rest.preluActivationWeights = preluActivationWeights;
    return c.run(_FusedMatMul, { a: a2, b: b2, ...rest }, { ...attrs, transposeA: false, transposeB: false });
  });
};

/** The wasm _FusedMatMul kernel: explicit transposes and a fresh `b`, then the built-in. */
export const fusedMatMulWasm: KernelConfig = {
  kernelName: _FusedMatMul,
  backendName: 'wasm',
  kernelFunc: fusedMatMul,
};
