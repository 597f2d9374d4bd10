/**
 * DepthwiseConv2dNativeBackpropInput for the wasm backend (which has none), composed from its fast
 * kernels.
 *
 * Channel c of the input feeds the M output channels c*M .. c*M + M - 1, each through its own
 * filter slice. So the input gradient is a depthwise transposed convolution: the upstream gradient,
 * dilated by the stride and padded by (k - 1 - pad), correlated channel by channel with the
 * spatially flipped filter (multiplier 1 over the C*M channels), then summed over each channel's M
 * multipliers.
 */
import { DepthwiseConv2dNative, DepthwiseConv2dNativeBackpropInput, Sum } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { compose, convGeometry, dilatedUpstream, readConvAttrs, readInput4, readShape4 } from './compose';
import { flipSpatial } from './transposedConv';

const NAME = DepthwiseConv2dNativeBackpropInput;

const backpropInput: KernelFunc = ({ inputs, backend, attrs }): TensorInfo => {
  const dy = readInput4(NAME, 'dy', inputs);
  const filter = readInput4(NAME, 'filter', inputs);
  const conv = readConvAttrs(NAME, attrs);
  const inputShape = readShape4(NAME, 'inputShape', attrs?.inputShape);
  const f = filter.shape;
  const g = convGeometry(inputShape, [f[0], f[1], f[2], f[3]], conv, true);
  if (dy.shape[0] !== g.batch || dy.shape[1] !== g.outH || dy.shape[2] !== g.outW || dy.shape[3] !== g.outC) {
    throw new Error(`${NAME} (nasbook wasm): dy has shape [${dy.shape.join(', ')}], ` +
      `expected [${g.batch}, ${g.outH}, ${g.outW}, ${g.outC}]`);
  }
  const multiplier = f[3];
  return compose('wasm', backend, (c) => {
    // Flipped in JS: the filter is small, and the backend's Reverse costs more than the copy.
    const flipped = c.constant(flipSpatial(c.read(filter), f), [g.kH, g.kW, g.outC, 1]);
    const { input, pad } = dilatedUpstream(c, dy, g);
    const perOutput = c.run(DepthwiseConv2dNative, { x: input, filter: flipped }, {
      strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [1, 1],
    });
    if (multiplier === 1) return perOutput;
    const grouped = c.view(perOutput, [g.batch, g.inH, g.inW, g.inC, multiplier]);
    return c.run(Sum, { x: grouped }, { axis: [4], keepDims: false });
  });
};

/** The wasm DepthwiseConv2dNativeBackpropInput kernel: a depthwise transposed convolution. */
export const depthwiseBackpropInputWasm: KernelConfig = {
  kernelName: NAME,
  backendName: 'wasm',
  kernelFunc: backpropInput,
};
