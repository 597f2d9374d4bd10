/**
 * The kernel pack's dense products: BatchMatMul and _FusedMatMul (bias per output column, ReLU).
 * A flagged operand is transposed into a scratch buffer first, so one SIMD routine covers all four
 * flag combinations. Batch dimensions are looped over when both operands have the same batch size
 * or one has batch size 1; other broadcasts go to the kernel the pack replaced (null).
 *
 * The pack never hands operands to XNNPACK, so it is also the way around tfjs-backend-wasm's
 * operator cache keyed by the id of `b` (see ../kernels/batchMatMul.ts).
 *
 * Products with fewer than {@link PACK_MIN_COLUMNS} output columns (a classifier head: 10 classes)
 * go to the composed kernels: there XNNPACK's packed weights beat the pack's row-by-row loop, whose
 * last columns run one float at a time (`npm run bench`: 0.27 against 0.19 ms for [64,1024]x[1024,10]).
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { KernelArgs, PackKernelFunc } from './conv2d';
import type { KernelPack } from './loader';

/** The narrowest product (output columns) the pack takes; narrower ones go to the composed kernels. */
export const PACK_MIN_COLUMNS = 16;

function product(dims: readonly number[]): number {
  return dims.reduce((p, d) => p * d, 1);
}

/** Batch dimensions of the result, or null for a broadcast the pack does not loop over. */
function outBatchShape(a: TensorInfo, b: TensorInfo): number[] | null {
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  if (product(batchB) === 1) return batchA;
  if (product(batchA) === 1) return batchB;
  if (batchA.length === batchB.length && batchA.every((d, i) => d === batchB[i])) return batchA;
  return null;
}

/** `t` with its last two axes swapped, in a scratch buffer, or `t` itself when not flagged. */
function plain(pack: KernelPack, t: TensorInfo, flagged: boolean, scratch: TensorInfo[]): TensorInfo {
  if (!flagged) return t;
  const r = t.shape.length;
  const rows = t.shape[r - 2];
  const cols = t.shape[r - 1];
  const out = pack.allocate([...t.shape.slice(0, -2), cols, rows]);
  scratch.push(out);
  pack.kernels.transposeBatched(pack.pointer(t), pack.pointer(out), product(t.shape.slice(0, -2)), rows, cols);
  return out;
}

function dense(args: KernelArgs, pack: KernelPack, fused: boolean): TensorInfo | null {
  const { a, b, bias, preluActivationWeights } = args.inputs;
  if (a === undefined || b === undefined || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  if (a.shape.length < 2 || b.shape.length < 2 || a.shape.some((d) => d === 0) || b.shape.some((d) => d === 0)) return null;
  const activation = fused ? (args.attrs?.activation ?? 'linear') : 'linear';
  if ((activation !== 'linear' && activation !== 'relu') || preluActivationWeights !== undefined) return null;
  const transposeA = args.attrs?.transposeA === true;
  const transposeB = args.attrs?.transposeB === true;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (k !== kb) throw new Error(`BatchMatMul (nasbook wasm): inner sizes differ: [${a.shape.join(', ')}] and [${b.shape.join(', ')}] with transposeA=${transposeA}, transposeB=${transposeB}`);
  if (n < PACK_MIN_COLUMNS) return null;
  const batchShape = outBatchShape(a, b);
  if (batchShape === null) return null;
  if (bias !== undefined && (bias.dtype !== 'float32' || product(bias.shape) !== n || bias.shape[bias.shape.length - 1] !== n)) return null;
  const scratch: TensorInfo[] = [];
  try {
    const pa = plain(pack, a, transposeA, scratch);
    const pb = plain(pack, b, transposeB, scratch);
    const out = pack.allocate([...batchShape, m, n]);
    const batches = product(batchShape);
    const stepA = product(a.shape.slice(0, -2)) === 1 ? 0 : m * k * 4;
    const stepB = product(b.shape.slice(0, -2)) === 1 ? 0 : k * n * 4;
    const hasBias = bias !== undefined;
    const biasPtr = hasBias ? pack.pointer(bias) : 0;
    const relu = activation === 'relu' ? 1 : 0;
    for (let i = 0; i < batches; i++) {
      pack.kernels.matMul(
        pack.pointer(pa) + i * stepA, pack.pointer(pb) + i * stepB, biasPtr, pack.pointer(out) + i * m * n * 4,
        hasBias ? 1 : 0, relu, m, k, n);
    }
    return out;
  } finally {
    for (const t of scratch) pack.release(t);
  }
}

/** BatchMatMul on the pack. */
export const packBatchMatMul: PackKernelFunc = (args, pack) => dense(args, pack, false);

/** _FusedMatMul (bias, ReLU) on the pack. */
export const packFusedMatMul: PackKernelFunc = (args, pack) => dense(args, pack, true);
