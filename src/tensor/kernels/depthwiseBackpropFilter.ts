/**
 * DepthwiseConv2dNativeBackpropFilter for the wasm backend (which has none), composed from its fast
 * kernels.
 *
 * For channel c and multiplier m, dW[a, b, c, m] = sum over n, y, x of
 * X[n, y*s + a - pad, x*s + b - pad, c] * dY[n, y, x, c*M + m]: one correlation per (example,
 * channel) pair, summed over the examples. Seen as a single image whose channels are the
 * (example, channel) pairs, [1, H, W, batch*C], with the upstream gradient as a depthwise filter
 * [outH, outW, batch*C, M], one depthwise convolution (dilated by the forward stride) computes every
 * pair at once, and a sum over the batch axis finishes it. No work is wasted on cross-channel terms.
 */
import { DepthwiseConv2dNative, DepthwiseConv2dNativeBackpropFilter, Slice, Sum, Transpose } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { compose, convGeometry, filterGradPadding, readConvAttrs, readInput4, readShape4 } from './compose';

const NAME = DepthwiseConv2dNativeBackpropFilter;

const backpropFilter: KernelFunc = ({ inputs, backend, attrs }): TensorInfo => {
  const x = readInput4(NAME, 'x', inputs);
  const dy = readInput4(NAME, 'dy', inputs);
  const conv = readConvAttrs(NAME, attrs);
  const filterShape = readShape4(NAME, 'filterShape', attrs?.filterShape);
  const g = convGeometry([x.shape[0], x.shape[1], x.shape[2], x.shape[3]], filterShape, conv, true);
  if (dy.shape[0] !== g.batch || dy.shape[1] !== g.outH || dy.shape[2] !== g.outW || dy.shape[3] !== g.outC) {
    throw new Error(`${NAME} (nasbook wasm): dy has shape [${dy.shape.join(', ')}], ` +
      `expected [${g.batch}, ${g.outH}, ${g.outW}, ${g.outC}]`);
  }
  const channels = g.inC;
  const multiplier = filterShape[3];
  return compose('wasm', backend, (c) => {
    const xT = c.view(c.run(Transpose, { x }, { perm: [1, 2, 0, 3] }), [1, g.inH, g.inW, g.batch * channels]);
    const dyT = c.view(c.run(Transpose, { x: dy }, { perm: [1, 2, 0, 3] }), [g.outH, g.outW, g.batch * channels, multiplier]);
    const { pad, extraH, extraW } = filterGradPadding(g);
    const perPair = c.run(DepthwiseConv2dNative, { x: xT, filter: dyT }, {
      strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [g.sH, g.sW],
    });
    const h = g.kH + extraH;
    const w = g.kW + extraW;
    let summed = c.view(perPair, [h, w, g.batch, channels * multiplier]);
    summed = g.batch > 1
      ? c.run(Sum, { x: summed }, { axis: [2], keepDims: false })
      : c.view(summed, [h, w, channels * multiplier]);
    if (extraH > 0 || extraW > 0) {
      summed = c.run(Slice, { x: summed }, { begin: [0, 0, 0], size: [g.kH, g.kW, channels * multiplier] });
    }
    return c.view(summed, [g.kH, g.kW, channels, multiplier]);
  });
};

/** The wasm DepthwiseConv2dNativeBackpropFilter kernel: one depthwise convolution over (example, channel) pairs. */
export const depthwiseBackpropFilterWasm: KernelConfig = {
  kernelName: NAME,
  backendName: 'wasm',
  kernelFunc: backpropFilter,
};
