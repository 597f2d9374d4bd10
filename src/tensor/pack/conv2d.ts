/**
 * The kernel pack's convolutions as tfjs kernel bodies: the forward pass (Conv2D, and FusedConv2D
 * with a per-channel bias and ReLU fused in), the input gradient and the filter gradient. Each
 * returns null for what it does not cover (NCHW, dilations, other activations, a broadcast bias),
 * and the caller then runs the kernel it replaced.
 */
import { Conv2D, Conv2DBackpropFilter, Conv2DBackpropInput, FusedConv2D } from '@tensorflow/tfjs';
import type { NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import { convGeometry, readConvAttrs, readShape4 } from '../kernels/compose';
import type { ConvGeometry } from '../kernels/compose';
import type { KernelPack } from './loader';

/** The arguments tfjs passes a kernel function. */
export interface KernelArgs {
  inputs: NamedTensorInfoMap;
  attrs?: NamedAttrMap;
  backend: unknown;
}

/** A pack kernel body: the result, or null when the pack does not cover this call. */
export type PackKernelFunc = (args: KernelArgs, pack: KernelPack) => TensorInfo | null;

function isOne(v: unknown): boolean {
  return v === undefined || v === null || v === 1 || (Array.isArray(v) && v.length === 2 && v[0] === 1 && v[1] === 1);
}

/**
 * The two named rank-4 float32 inputs when the call is one every pack convolution covers (NHWC,
 * dilation 1, no empty tensor), else null.
 */
function covered(args: KernelArgs, first: string, second: string): [TensorInfo, TensorInfo] | null {
  const a = args.attrs ?? {};
  if (a.dataFormat !== undefined && a.dataFormat !== 'NHWC') return null;
  if (!isOne(a.dilations)) return null;
  const p = args.inputs[first];
  const q = args.inputs[second];
  const ok = (t: TensorInfo | undefined): t is TensorInfo =>
    t !== undefined && t.dtype === 'float32' && t.shape.length === 4 && t.shape.every((d) => d > 0);
  return ok(p) && ok(q) ? [p, q] : null;
}

/** The geometry's numbers in the order every pack convolution takes them after its pointers. */
function shapeArgs(g: ConvGeometry): [number, number, number, number, number, number, number, number, number, number, number, number, number] {
  return [g.batch, g.inH, g.inW, g.inC, g.kH, g.kW, g.outC, g.sH, g.sW, g.padTop, g.padLeft, g.outH, g.outW];
}

function shape4(t: TensorInfo): [number, number, number, number] {
  return [t.shape[0], t.shape[1], t.shape[2], t.shape[3]];
}

/**
 * The fewest input channels the pack's forward convolution and input gradient take. With one
 * channel (a first layer on grayscale images) each output pixel is nine multiply-adds, and the
 * kernels that block several pixels at once win (`npm run bench`: forward 0.18 against XNNPACK's
 * 0.14 ms, input gradient 0.73 against the composed 0.50 ms for 64x8x8x1->16); from 16 channels on
 * the pack is even or ahead. The filter gradient has no such limit: the pack's is 10x the composed.
 */
export const PACK_MIN_CHANNELS = 4;

function forward(kernelName: string, args: KernelArgs, pack: KernelPack, fused: boolean): TensorInfo | null {
  const { bias, preluActivationWeights } = args.inputs;
  const pair = covered(args, 'x', 'filter');
  if (pair === null) return null;
  const [x, filter] = pair;
  const activation = fused ? (args.attrs?.activation ?? 'linear') : 'linear';
  if ((activation !== 'linear' && activation !== 'relu') || preluActivationWeights !== undefined) return null;
  if (x.shape[3] < PACK_MIN_CHANNELS) return null;
  const g = convGeometry(shape4(x), shape4(filter), readConvAttrs(kernelName, args.attrs), false);
  // A bias of one value per output channel; anything broadcast otherwise goes to the built-in.
  if (bias !== undefined && (bias.dtype !== 'float32' || bias.shape.reduce((p, d) => p * d, 1) !== g.outC || bias.shape[bias.shape.length - 1] !== g.outC)) return null;
  if (g.outH < 1 || g.outW < 1) return null;
  const out = pack.allocate([g.batch, g.outH, g.outW, g.outC]);
  const hasBias = bias !== undefined;
  pack.kernels.conv2d(
    pack.pointer(x), pack.pointer(filter), hasBias ? pack.pointer(bias) : 0, pack.pointer(out),
    hasBias ? 1 : 0, activation === 'relu' ? 1 : 0, ...shapeArgs(g));
  return out;
}

/** Conv2D on the pack. */
export const packConv2d: PackKernelFunc = (args, pack) => forward(Conv2D, args, pack, false);

/** FusedConv2D (bias and ReLU fused) on the pack. */
export const packFusedConv2d: PackKernelFunc = (args, pack) => forward(FusedConv2D, args, pack, true);

/** Conv2DBackpropInput on the pack: the filter's channel axes swapped once, then a gather per input pixel. */
export const packConv2dBackpropInput: PackKernelFunc = (args, pack) => {
  const pair = covered(args, 'dy', 'filter');
  if (pair === null) return null;
  const [dy, filter] = pair;
  const inputShape = readShape4(Conv2DBackpropInput, 'inputShape', args.attrs?.inputShape);
  if (inputShape[3] < PACK_MIN_CHANNELS) return null;
  const g = convGeometry(inputShape, shape4(filter), readConvAttrs(Conv2DBackpropInput, args.attrs), false);
  if (dy.shape[0] !== g.batch || dy.shape[1] !== g.outH || dy.shape[2] !== g.outW || dy.shape[3] !== g.outC) {
    throw new Error(`${Conv2DBackpropInput} (nasbook wasm): dy has shape [${dy.shape.join(', ')}], expected [${g.batch}, ${g.outH}, ${g.outW}, ${g.outC}]`);
  }
  const wT = pack.allocate([g.kH, g.kW, g.outC, g.inC]);
  try {
    pack.kernels.transposeBatched(pack.pointer(filter), pack.pointer(wT), g.kH * g.kW, g.inC, g.outC);
    const dx = pack.allocate(inputShape.slice());
    pack.kernels.conv2dBackpropInput(pack.pointer(dy), pack.pointer(wT), pack.pointer(dx), ...shapeArgs(g));
    return dx;
  } finally {
    pack.release(wT);
  }
};

/** Conv2DBackpropFilter on the pack: per tap, accumulators held in registers over every pixel. */
export const packConv2dBackpropFilter: PackKernelFunc = (args, pack) => {
  const pair = covered(args, 'x', 'dy');
  if (pair === null) return null;
  const [x, dy] = pair;
  const filterShape = readShape4(Conv2DBackpropFilter, 'filterShape', args.attrs?.filterShape);
  const g = convGeometry(shape4(x), filterShape, readConvAttrs(Conv2DBackpropFilter, args.attrs), false);
  if (dy.shape[0] !== g.batch || dy.shape[1] !== g.outH || dy.shape[2] !== g.outW || dy.shape[3] !== g.outC) {
    throw new Error(`${Conv2DBackpropFilter} (nasbook wasm): dy has shape [${dy.shape.join(', ')}], expected [${g.batch}, ${g.outH}, ${g.outW}, ${g.outC}]`);
  }
  const dw = pack.allocate(filterShape.slice());
  pack.kernels.conv2dBackpropFilter(pack.pointer(x), pack.pointer(dy), pack.pointer(dw), ...shapeArgs(g));
  return dw;
};
