/**
 * Conv2DBackpropFilter for the wasm backend (which has none), composed from its fast kernels.
 *
 * The filter gradient dW[a, b, i, o] = sum over n, y, x of X[n, y*s + a - pad, x*s + b - pad, i]
 * * dY[n, y, x, o] is itself a correlation in which batch and channels swap roles. With the input
 * seen as [inC, H, W, batch] (inC images whose channels are the examples) and the upstream gradient
 * as an [outH, outW, batch, outC] filter, a stride-1 convolution whose dilation is the forward stride
 * yields [inC, kH, kW, outC]; one transpose puts it in filter order.
 *
 * That convolution's "filter" is a whole activation, which the backend repacks on every call.
 * For a single input channel (a first layer on grayscale images) a cheaper route exists: the
 * patches of x, [batch*outH*outW, kH*kW], come from a convolution with one-hot filters (same
 * strides and padding as the forward, so every padding mode means what it means there), and the
 * gradient is one matrix product patches^T dY.
 */
import { BatchMatMul, Conv2D, Conv2DBackpropFilter, Slice, Transpose } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { compose, convGeometry, explicitPadding, filterGradPadding, readConvAttrs, readInput4, readShape4 } from './compose';
import type { Composer, ConvGeometry } from './compose';
import { freshCopy } from './batchMatMul';

/**
 * t [batch, H, W, C] as [C, H, W, batch]. One 4-d transpose that moves single floats is slower in the
 * wasm backend than a 2-d transpose ([batch, H*W*C] -> [H*W*C, batch]) followed by one that moves
 * whole rows of `batch` floats ([H, W, C, batch] -> [C, H, W, batch]): measured 0.16 ms against
 * 0.09 ms for 64x8x8x16.
 */
function channelsFirstBatchLast(c: Composer, t: TensorInfo): TensorInfo {
  const [n, h, w, ch] = t.shape;
  if (ch === 1 || n === 1) return c.run(Transpose, { x: t }, { perm: [3, 1, 2, 0] });
  const flat = c.run(Transpose, { x: c.view(t, [n, h * w * ch]) }, { perm: [1, 0] });
  return c.run(Transpose, { x: c.view(flat, [h, w, ch, n]) }, { perm: [2, 0, 1, 3] });
}

/**
 * Whether to compute the gradient from one-hot patches and a matrix product (a single input
 * channel, where the patches are as small as the filter) rather than by the transposed convolution.
 *
 * @param g The forward geometry.
 * @returns True for the patches route.
 * @example
 * filterGradByPatches(convGeometry([64, 8, 8, 1], [3, 3, 1, 16], { strides: 1, pad: 'same' }, false)); // true
 */
export function filterGradByPatches(g: ConvGeometry): boolean {
  return g.inC === 1;
}

/** Filters [kH, kW, 1, kH*kW] that copy tap (a, b) of each window to channel a*kW + b. */
function oneHotPatchFilter(kH: number, kW: number): Float32Array {
  const taps = kH * kW;
  const out = new Float32Array(taps * taps);
  for (let t = 0; t < taps; t++) out[t * taps + t] = 1;
  return out;
}

const backpropFilter: KernelFunc = ({ inputs, backend, attrs }): TensorInfo => {
  const x = readInput4(Conv2DBackpropFilter, 'x', inputs);
  const dy = readInput4(Conv2DBackpropFilter, 'dy', inputs);
  const conv = readConvAttrs(Conv2DBackpropFilter, attrs);
  const filterShape = readShape4(Conv2DBackpropFilter, 'filterShape', attrs?.filterShape);
  const g = convGeometry([x.shape[0], x.shape[1], x.shape[2], x.shape[3]], filterShape, conv, false);
  if (dy.shape[0] !== g.batch || dy.shape[1] !== g.outH || dy.shape[2] !== g.outW || dy.shape[3] !== g.outC) {
    throw new Error(`${Conv2DBackpropFilter} (nasbook wasm): dy has shape [${dy.shape.join(', ')}], ` +
      `expected [${g.batch}, ${g.outH}, ${g.outW}, ${g.outC}]`);
  }
  return compose('wasm', backend, (c) => {
    if (filterGradByPatches(g)) {
      const taps = g.kH * g.kW;
      const rows = g.batch * g.outH * g.outW;
      const oneHot = c.constant(oneHotPatchFilter(g.kH, g.kW), [g.kH, g.kW, 1, taps]);
      // Explicit pads that give exactly outH x outW windows: the backend's Conv2D ignores
      // dimRoundingMode (it always floors), so 'ceil' must become a larger trailing pad here.
      const bottom = (g.outH - 1) * g.sH + g.kH - g.inH - g.padTop;
      const right = (g.outW - 1) * g.sW + g.kW - g.inW - g.padLeft;
      const patches = c.run(Conv2D, { x, filter: oneHot }, {
        strides: [g.sH, g.sW], pad: explicitPadding(g.padTop, Math.max(0, bottom), g.padLeft, Math.max(0, right)),
        dataFormat: 'NHWC', dilations: [1, 1],
      });
      if (patches.shape[1] !== g.outH || patches.shape[2] !== g.outW) {
        throw new Error(`${Conv2DBackpropFilter} (nasbook wasm): patches came out [${patches.shape.join(', ')}], expected ${g.outH}x${g.outW} windows`);
      }
      // patches^T as [1, taps, rows] (the backend's fast product takes no transpose flags), times dY [1, rows, outC].
      const patchesT = c.run(Transpose, { x: c.view(patches, [rows, taps]) }, { perm: [1, 0] });
      // dy goes in as a copy: the built-in's operator cache is keyed by the buffer, not its shape.
      const w = c.run(BatchMatMul, { a: c.view(patchesT, [1, taps, rows]), b: freshCopy(c, c.view(dy, [1, rows, g.outC])) }, {
        transposeA: false, transposeB: false,
      });
      return c.view(w, [g.kH, g.kW, 1, g.outC]);
    }
    const xT = channelsFirstBatchLast(c, x);
    const dyT = c.run(Transpose, { x: dy }, { perm: [1, 2, 0, 3] });
    const { pad, extraH, extraW } = filterGradPadding(g);
    let w = c.run(Conv2D, { x: xT, filter: dyT }, {
      strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [g.sH, g.sW],
    });
    if (extraH > 0 || extraW > 0) {
      w = c.run(Slice, { x: w }, { begin: [0, 0, 0, 0], size: [g.inC, g.kH, g.kW, g.outC] });
    }
    return c.run(Transpose, { x: w }, { perm: [1, 2, 0, 3] });
  });
};

/** The wasm Conv2DBackpropFilter kernel: a dilated convolution over batch/channel-transposed tensors. */
export const conv2dBackpropFilterWasm: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: backpropFilter,
};
