/**
 * The shared machinery of nasbook's composed gradient kernels: run other kernels of the same
 * backend directly (no engine, no tape, no tracked tensors), free every intermediate buffer they
 * made, and work out the convolution geometry the gradients need.
 *
 * Why call kernel functions directly rather than `tf.engine().runKernel`: inside a kernel the engine
 * is already busy running the outer kernel; calling the registered kernel functions with the same
 * backend object is what the wasm backend's own composite kernels do (its `Mean` calls `Transpose`
 * and `Cast`), it records nothing on a gradient tape and costs no engine bookkeeping per step.
 */
import { backend_util, getKernel } from '@tensorflow/tfjs';
import type { KernelConfig, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';

/** Padding as [[0, 0], [top, bottom], [left, right], [0, 0]] (NHWC), the form tfjs kernels accept. */
export type ExplicitPadding = backend_util.ExplicitPadding;

/** The part of a backend (tfjs's KernelBackend interface) the composition needs. */
interface ComposeBackend {
  disposeData(dataId: object, force?: boolean): boolean;
  readSync(dataId: object): unknown;
  write(values: Float32Array, shape: number[], dtype: 'float32'): object;
}

function isComposeBackend(backend: unknown): backend is ComposeBackend {
  if (typeof backend !== 'object' || backend === null) return false;
  const b = backend as Record<string, unknown>;
  return typeof b.disposeData === 'function' && typeof b.readSync === 'function' && typeof b.write === 'function';
}

/**
 * Built-in kernels that a nasbook kernel displaced from the registry, by `${backend}_${name}`. A
 * composition that needs the original (the BatchMatMul replacement calls the built-in after
 * transposing its operands) finds it here rather than recursing into itself.
 */
const displacedKernels = new Map<string, KernelConfig>();

/** Remembers the built-in `original` that nasbook's kernel of the same name now replaces. */
export function rememberDisplaced(original: KernelConfig): void {
  displacedKernels.set(`${original.backendName}_${original.kernelName}`, original);
}

/** Forgets (and returns) the remembered built-in of that name, once nasbook's kernel is removed. */
export function takeDisplaced(kernelName: string, backendName: string): KernelConfig | undefined {
  const key = `${backendName}_${kernelName}`;
  const original = displacedKernels.get(key);
  displacedKernels.delete(key);
  return original;
}

/** The kernel a composition runs under a name: the displaced built-in if any, else the registered one. */
function kernelToRun(kernelName: string, backendName: string): KernelConfig | undefined {
  // getKernel is typed as always returning a config; at run time it is undefined when missing.
  return displacedKernels.get(`${backendName}_${kernelName}`) ??
    (getKernel(kernelName, backendName) as KernelConfig | undefined);
}

/**
 * A kernel config under `kernelName` that hands every call to the built-in nasbook's kernel of
 * that name displaced (the kernel pack stands in front of built-ins this way, see ../pack).
 *
 * @param kernelName The built-in kernel's name.
 * @param backendName Its backend.
 * @returns A config whose function calls the displaced built-in.
 * @throws Error (when called) if no built-in was displaced under that name.
 * @example
 * displacedBuiltin('Conv2D', 'wasm');
 */
export function displacedBuiltin(kernelName: string, backendName: string): KernelConfig {
  return {
    kernelName,
    backendName,
    kernelFunc: (args) => {
      const original = displacedKernels.get(`${backendName}_${kernelName}`);
      if (original === undefined) {
        throw new Error(`nasbook kernels: no built-in '${kernelName}' kernel for '${backendName}' to hand the call to`);
      }
      return original.kernelFunc(args);
    },
  };
}

/** What a composed kernel body can do: run a kernel, or look at a buffer with another shape. */
export interface Composer {
  /** Runs the backend's kernel `kernelName` (the built-in one if nasbook replaced it); its output is freed after the body. */
  run(kernelName: string, inputs: NamedTensorInfoMap, attrs?: NamedAttrMap): TensorInfo;
  /** The same buffer seen with another shape of the same size (no copy, no new reference). */
  view(x: TensorInfo, shape: number[]): TensorInfo;
  /** A copy of a float32 buffer's values (meant for small tensors such as filters). */
  read(x: TensorInfo): Float32Array;
  /** A new buffer holding `values`; freed after the body unless returned. */
  constant(values: Float32Array, shape: number[]): TensorInfo;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Runs `body` with a composer bound to `backendName`/`backend`, then frees every buffer the body's
 * kernels made except the one it returns (also when the body throws, so a failed call leaks nothing).
 *
 * @param backendName The backend whose registered kernels the body runs (for example 'wasm').
 * @param backend The backend object the outer kernel received.
 * @param body Builds the result from other kernels; must return a buffer made through `run`
 *   (or a `view` of one), since the caller takes ownership of it.
 * @returns The body's result.
 * @throws Error if the backend cannot release buffers, a kernel is not registered, or the body
 *   returns a buffer it did not make.
 * @example
 * compose('wasm', backend, (c) => c.run('Transpose', { x }, { perm: [1, 0] }));
 */
export function compose(backendName: string, backend: unknown, body: (c: Composer) => TensorInfo): TensorInfo {
  if (!isComposeBackend(backend)) {
    throw new Error(`nasbook kernels: the '${backendName}' backend object lacks disposeData/readSync/write; cannot compose kernels on it`);
  }
  const made: TensorInfo[] = [];
  const composer: Composer = {
    run(kernelName, inputs, attrs) {
      const config = kernelToRun(kernelName, backendName);
      if (config === undefined) {
        throw new Error(`nasbook kernels: the '${backendName}' backend has no '${kernelName}' kernel to compose with`);
      }
      const out = config.kernelFunc({ inputs, attrs, backend });
      if (Array.isArray(out)) {
        for (const o of out) made.push(o);
        throw new Error(`nasbook kernels: '${kernelName}' returned ${out.length} outputs where one was expected`);
      }
      made.push(out);
      return out;
    },
    view(x, shape) {
      if (sizeOf(shape) !== sizeOf(x.shape)) {
        throw new Error(`nasbook kernels: cannot view shape [${x.shape.join(', ')}] as [${shape.join(', ')}]`);
      }
      return { dataId: x.dataId, shape, dtype: x.dtype };
    },
    read(x) {
      const values = backend.readSync(x.dataId);
      if (!(values instanceof Float32Array)) {
        throw new Error(`nasbook kernels: expected float32 values, got ${x.dtype}`);
      }
      return values;
    },
    constant(values, shape) {
      if (values.length !== sizeOf(shape)) {
        throw new Error(`nasbook kernels: ${values.length} values do not fill shape [${shape.join(', ')}]`);
      }
      const out: TensorInfo = { dataId: backend.write(values, shape, 'float32'), shape, dtype: 'float32' };
      made.push(out);
      return out;
    },
  };
  let result: TensorInfo | undefined;
  try {
    result = body(composer);
    if (!made.some((t) => t.dataId === result!.dataId)) {
      throw new Error('nasbook kernels: a composed kernel must return a buffer it made, not one of its inputs');
    }
    return result;
  } catch (error) {
    result = undefined;
    throw error;
  } finally {
    // Each entry of `made` is one reference the body owns; the result's reference passes to the caller.
    let kept = false;
    for (const t of made) {
      if (!kept && result !== undefined && t.dataId === result.dataId) {
        kept = true;
        continue;
      }
      backend.disposeData(t.dataId);
    }
  }
}

/** The convolution attributes the gradient kernels read, checked. */
export interface ConvAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function isPair(v: unknown): v is [number, number] {
  return Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isInteger(x));
}

function isExplicitPadding(v: unknown): v is ExplicitPadding {
  return Array.isArray(v) && v.length === 4 && v.every(isPair);
}

function isOne(v: unknown): boolean {
  return v === undefined || v === null || v === 1 || (isPair(v) && v[0] === 1 && v[1] === 1);
}

function readStrides(kernelName: string, v: unknown): number | [number, number] {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1) return v;
  if (isPair(v) && v[0] >= 1 && v[1] >= 1) return [v[0], v[1]];
  throw new Error(`${kernelName} (nasbook wasm): 'strides' must be a positive integer or a pair of them, got ${JSON.stringify(v)}`);
}

function readPad(kernelName: string, v: unknown): ConvAttrs['pad'] {
  if (v === 'same' || v === 'valid') return v;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (isExplicitPadding(v)) return v;
  throw new Error(`${kernelName} (nasbook wasm): 'pad' must be 'same', 'valid', a number or explicit padding, got ${JSON.stringify(v)}`);
}

function readRounding(kernelName: string, v: unknown): ConvAttrs['dimRoundingMode'] {
  if (v === undefined || v === null) return undefined;
  if (v === 'floor' || v === 'round' || v === 'ceil') return v;
  throw new Error(`${kernelName} (nasbook wasm): 'dimRoundingMode' must be floor, round or ceil, got ${JSON.stringify(v)}`);
}

/**
 * Reads and checks the attributes of a convolution gradient kernel: NHWC, dilation 1, strides and
 * padding in a form tfjs accepts. The gradient kernels do not handle anything else, so they say so.
 *
 * @param kernelName The kernel, named in error messages.
 * @param attrs The attributes the engine passed.
 * @returns The strides, padding and rounding mode.
 * @throws Error for NCHW data, dilations other than 1, or malformed strides/padding.
 * @example
 * readConvAttrs('Conv2DBackpropFilter', { strides: [2, 2], pad: 'same', dataFormat: 'NHWC' });
 */
export function readConvAttrs(kernelName: string, attrs: NamedAttrMap | undefined): ConvAttrs {
  const a = attrs ?? {};
  if (a.dataFormat !== undefined && a.dataFormat !== 'NHWC') {
    throw new Error(`${kernelName} (nasbook wasm): only NHWC data is supported, got dataFormat ${JSON.stringify(a.dataFormat)}`);
  }
  if (!isOne(a.dilations)) {
    throw new Error(`${kernelName} (nasbook wasm): only dilation 1 is supported, got ${JSON.stringify(a.dilations)}`);
  }
  return {
    strides: readStrides(kernelName, a.strides),
    pad: readPad(kernelName, a.pad),
    dimRoundingMode: readRounding(kernelName, a.dimRoundingMode),
  };
}

/** A 4-number shape read from an attribute (filterShape, inputShape), checked. */
export function readShape4(kernelName: string, name: string, value: unknown): [number, number, number, number] {
  if (!Array.isArray(value) || value.length !== 4 || !value.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 1)) {
    throw new Error(`${kernelName} (nasbook wasm): '${name}' must be 4 positive integers, got ${JSON.stringify(value)}`);
  }
  return [value[0], value[1], value[2], value[3]];
}

/** A tensor input of the kernel, checked to be rank 4 float32. */
export function readInput4(kernelName: string, name: string, inputs: NamedTensorInfoMap): TensorInfo {
  const t = inputs[name];
  if (t === undefined || t.shape.length !== 4) {
    throw new Error(`${kernelName} (nasbook wasm): input '${name}' must be a rank-4 tensor, got ${t === undefined ? 'none' : `shape [${t.shape.join(', ')}]`}`);
  }
  if (t.dtype !== 'float32') {
    throw new Error(`${kernelName} (nasbook wasm): input '${name}' must be float32, got ${t.dtype}`);
  }
  return t;
}

/** The forward convolution's geometry, in the numbers the gradient compositions use. */
export interface ConvGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kH: number;
  kW: number;
  sH: number;
  sW: number;
  padTop: number;
  padBottom: number;
  padLeft: number;
  padRight: number;
}

/**
 * The forward geometry of a (depthwise) convolution from the input and filter shapes, computed by
 * tfjs's own `computeConv2DInfo` so 'same', 'valid', numeric and explicit padding mean exactly what
 * they mean in the forward kernel.
 *
 * @param xShape Input shape [batch, height, width, channels].
 * @param filterShape Filter shape [kH, kW, inChannels, outChannels or multiplier].
 * @param attrs Strides, padding and rounding mode.
 * @param depthwise Whether the filter is depthwise ([kH, kW, C, multiplier]).
 * @returns The geometry.
 * @throws Error if tfjs rejects the combination (for example mismatched channels).
 * @example
 * convGeometry([1, 8, 8, 3], [3, 3, 3, 4], { strides: 1, pad: 'same' }, false).outH; // 8
 */
export function convGeometry(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: ConvAttrs,
  depthwise: boolean,
): ConvGeometry {
  const info = backend_util.computeConv2DInfo(
    xShape, filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, depthwise, 'channelsLast');
  return {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    kH: info.filterHeight,
    kW: info.filterWidth,
    sH: info.strideHeight,
    sW: info.strideWidth,
    padTop: info.padInfo.top,
    padBottom: info.padInfo.bottom,
    padLeft: info.padInfo.left,
    padRight: info.padInfo.right,
  };
}

/** Explicit NHWC padding from the four spatial amounts. */
export function explicitPadding(top: number, bottom: number, left: number, right: number): ExplicitPadding {
  return [[0, 0], [top, bottom], [left, right], [0, 0]];
}

/**
 * The upstream gradient prepared for the input gradient: dilated by the stride (zeros between the
 * entries), then padded or cropped so that a stride-1 'valid' correlation with the spatially flipped
 * filter gives exactly the input's height and width. Returns the tensor to convolve and the explicit
 * padding to convolve it with (the padding is left to the convolution, which pads for free).
 *
 * Derivation (one axis; k filter size, s stride, p the forward's leading pad, n the output size):
 * dx[i] = sum_a dyDilated[i + p - a] f[a]; as a correlation with the flipped filter this reads
 * dyDilated from (k - 1 - p) before i, so the leading pad is k - 1 - p and the trailing pad makes the
 * output length equal the input length. Dilating with the (s - 1) zeros after every entry, including
 * the last, makes the dilated length n*s; the trailing pad then shrinks by s - 1. A negative pad (only
 * for explicit pads larger than k - 1, or k < s with odd sizes) becomes a crop.
 *
 * @param c The composer.
 * @param dy Upstream gradient [batch, outH, outW, channels].
 * @param g The forward geometry.
 * @returns The tensor and padding for a stride-1 correlation with the flipped filter.
 */
export function dilatedUpstream(c: Composer, dy: TensorInfo, g: ConvGeometry): { input: TensorInfo; pad: ExplicitPadding } {
  const [n, h, w, ch] = dy.shape;
  let input = dy;
  if (g.sH > 1 || g.sW > 1) {
    // [n, h, 1, w, 1, ch] padded after each entry with s - 1 zeros, seen as [n, h*sH, w*sW, ch].
    const six = c.view(dy, [n, h, 1, w, 1, ch]);
    const padded = c.run('PadV2', { x: six }, {
      paddings: [[0, 0], [0, 0], [0, g.sH - 1], [0, 0], [0, g.sW - 1], [0, 0]],
      constantValue: 0,
    });
    input = c.view(padded, [n, h * g.sH, w * g.sW, ch]);
  }
  const lengthH = input.shape[1];
  const lengthW = input.shape[2];
  const top = g.kH - 1 - g.padTop;
  const bottom = g.inH + g.kH - 1 - lengthH - top;
  const left = g.kW - 1 - g.padLeft;
  const right = g.inW + g.kW - 1 - lengthW - left;
  if (top < 0 || bottom < 0 || left < 0 || right < 0) {
    const beginH = Math.max(0, -top);
    const beginW = Math.max(0, -left);
    const sizeH = lengthH - beginH - Math.max(0, -bottom);
    const sizeW = lengthW - beginW - Math.max(0, -right);
    input = c.run('Slice', { x: input }, { begin: [0, beginH, beginW, 0], size: [n, sizeH, sizeW, ch] });
  }
  return { input, pad: explicitPadding(Math.max(0, top), Math.max(0, bottom), Math.max(0, left), Math.max(0, right)) };
}

/**
 * The padding of the filter-gradient correlation: the input correlated with the upstream gradient
 * dilated by the stride must give exactly kH x kW outputs. Leading pads are the forward's; the
 * trailing pad is what makes the length come out right, and is at most the forward's trailing pad.
 * When it is negative (rows the forward never read, e.g. 'valid' with (H - k) not a multiple of s),
 * the correlation is run with 0 and the extra output rows are returned in `extraH`/`extraW` to crop.
 *
 * @param g The forward geometry.
 * @returns The explicit padding and how many trailing output rows/columns to drop.
 */
export function filterGradPadding(g: ConvGeometry): { pad: ExplicitPadding; extraH: number; extraW: number } {
  const bottom = g.kH - g.inH - g.padTop + (g.outH - 1) * g.sH;
  const right = g.kW - g.inW - g.padLeft + (g.outW - 1) * g.sW;
  return {
    pad: explicitPadding(g.padTop, Math.max(0, bottom), g.padLeft, Math.max(0, right)),
    extraH: Math.max(0, -bottom),
    extraW: Math.max(0, -right),
  };
}
