/**
 * Conv2DBackpropInput for the wasm backend, replacing its built-in kernel (a plain loop, several
 * times slower than the forward convolution of the same size) with one fast convolution.
 *
 * The input gradient is a transposed convolution. With stride 1 it is the upstream gradient,
 * padded by (k - 1 - pad), correlated with the filter flipped in both spatial axes and with its in
 * and out channels swapped. With stride s it is the same per output phase (see transposedConv.ts):
 * one correlation of the undilated upstream gradient whose output channels hold the s*s phases,
 * then a transpose interleaves them. The filter rearrangement touches only the small filter (in
 * JS); the heavy work is one XNNPACK convolution.
 */
import { Conv2D, Conv2DBackpropInput, Slice, Transpose } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { compose, convGeometry, explicitPadding, readConvAttrs, readInput4, readShape4 } from './compose';
import { phaseTaps, subPixelFilter } from './transposedConv';

const backpropInput: KernelFunc = ({ inputs, backend, attrs }): TensorInfo => {
  const dy = readInput4(Conv2DBackpropInput, 'dy', inputs);
  const filter = readInput4(Conv2DBackpropInput, 'filter', inputs);
  const conv = readConvAttrs(Conv2DBackpropInput, attrs);
  const inputShape = readShape4(Conv2DBackpropInput, 'inputShape', attrs?.inputShape);
  const f = filter.shape;
  const fShape: [number, number, number, number] = [f[0], f[1], f[2], f[3]];
  const g = convGeometry(inputShape, fShape, conv, false);
  if (dy.shape[0] !== g.batch || dy.shape[1] !== g.outH || dy.shape[2] !== g.outW || dy.shape[3] !== g.outC) {
    throw new Error(`${Conv2DBackpropInput} (nasbook wasm): dy has shape [${dy.shape.join(', ')}], ` +
      `expected [${g.batch}, ${g.outH}, ${g.outW}, ${g.outC}]`);
  }
  return compose('wasm', backend, (c) => {
    const th = phaseTaps(g.kH, g.sH, g.padTop);
    const tw = phaseTaps(g.kW, g.sW, g.padLeft);
    const phases = g.sH * g.sW;
    const qH = Math.ceil(g.inH / g.sH);
    const qW = Math.ceil(g.inW / g.sW);
    const combined = c.constant(subPixelFilter(c.read(filter), fShape, th, tw), [th.width, tw.width, g.outC, phases * g.inC]);
    // Pads that make the stride-1 correlation produce exactly qH x qW phase groups; a negative pad
    // (only with explicit pads beyond the filter) drops rows of dy that no phase reads.
    const top = th.lead;
    const bottom = qH + th.width - 1 - th.lead - g.outH;
    const left = tw.lead;
    const right = qW + tw.width - 1 - tw.lead - g.outW;
    let input = dy;
    if (top < 0 || bottom < 0 || left < 0 || right < 0) {
      const beginH = Math.max(0, -top);
      const beginW = Math.max(0, -left);
      input = c.run(Slice, { x: dy }, {
        begin: [0, beginH, beginW, 0],
        size: [g.batch, g.outH - beginH - Math.max(0, -bottom), g.outW - beginW - Math.max(0, -right), g.outC],
      });
    }
    const pad = explicitPadding(Math.max(0, top), Math.max(0, bottom), Math.max(0, left), Math.max(0, right));
    let dx = c.run(Conv2D, { x: input, filter: combined }, { strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [1, 1] });
    if (phases > 1) {
      // Interleave the phases: [n, qH, qW, sH, sW, c] -> [n, qH, sH, qW, sW, c]. (The backend's
      // DepthToSpace does the same for square strides but measured several times slower.)
      const split = c.view(dx, [g.batch, qH, qW, g.sH, g.sW, g.inC]);
      dx = c.view(c.run(Transpose, { x: split }, { perm: [0, 1, 3, 2, 4, 5] }), [g.batch, qH * g.sH, qW * g.sW, g.inC]);
    }
    if (qH * g.sH !== g.inH || qW * g.sW !== g.inW) {
      dx = c.run(Slice, { x: dx }, { begin: [0, 0, 0, 0], size: [g.batch, g.inH, g.inW, g.inC] });
    }
    return dx;
  });
};

/** The wasm Conv2DBackpropInput kernel: one convolution by output phase, interleaved. */
export const conv2dBackpropInputWasm: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: backpropInput,
};
