import { describe, it, expect, beforeAll } from 'vitest';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { createRng, type Rng } from '../../src/core/rng';
import {
  checkKernelList,
  conv2dBackpropFilterWasm,
  registerKernelList,
  registerWasmKernels,
  unregisterWasmKernels,
  wasmGradientKernels,
  wasmKernelStatus,
} from '../../src/tensor/kernels';
import { filterGradByPatches } from '../../src/tensor/kernels/conv2dBackpropFilter';
import { compose, convGeometry, dilatedUpstream, filterGradPadding, readConvAttrs } from '../../src/tensor/kernels/compose';
import { flipSpatial, phaseTaps, subPixelFilter } from '../../src/tensor/kernels/transposedConv';
import { kernelPackCalls, kernelPackStatus, setKernelPack } from '../../src/tensor/pack';
import { PACK_MIN_CHANNELS } from '../../src/tensor/pack/conv2d';

/**
 * The suites comparing kernels with the cpu backend run twice: on the composed kernels (the pack
 * switched off, the path every machine has) and on the SIMD kernel pack.
 */
const ENGINES = [
  { label: 'composed kernels', pack: false },
  { label: 'kernel pack', pack: true },
] as const;

/** The registered wasm kernel of that name (nasbook's: the pack in front of the composed one). */
function registered(kernelName: string): KernelConfig {
  const config = wasmGradientKernels.find((k) => k.kernelName === kernelName);
  if (config === undefined) throw new Error(`no ${kernelName} in the list`);
  return config;
}

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];

/** One forward convolution whose gradients are compared between wasm and cpu. */
interface ConvCase {
  depthwise: boolean;
  xShape: Shape4;
  filterShape: Shape4;
  strides: [number, number];
  pad: Pad;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  x: Float32Array;
  filter: Float32Array;
  dy: Float32Array;
  dyShape: Shape4;
}

const WASM_DIR = path.join(__dirname, '..', '..', 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + path.sep;

beforeAll(async () => {
  setWasmPaths(WASM_DIR);
  expect(await tf.setBackend('wasm')).toBe(true);
  registerWasmKernels();
}, 60_000);

function randomArray(rng: Rng, size: number): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.normal();
  return out;
}

function describeCase(c: ConvCase): string {
  return `${c.depthwise ? 'depthwise' : 'conv2d'} x=[${c.xShape}] f=[${c.filterShape}] s=[${c.strides}] pad=${JSON.stringify(c.pad)}` +
    (c.dimRoundingMode ? ` round=${c.dimRoundingMode}` : '');
}

/** Builds a case with filled data, or null when the shape has no output. */
function makeCase(rng: Rng, spec: Omit<ConvCase, 'x' | 'filter' | 'dy' | 'dyShape'>): ConvCase | null {
  let g;
  try {
    g = convGeometry(spec.xShape, spec.filterShape, { strides: spec.strides, pad: spec.pad, dimRoundingMode: spec.dimRoundingMode }, spec.depthwise);
  } catch {
    return null;
  }
  if (g.outH < 1 || g.outW < 1) return null;
  const dyShape: Shape4 = [g.batch, g.outH, g.outW, g.outC];
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  return {
    ...spec,
    x: randomArray(rng, size(spec.xShape)),
    filter: randomArray(rng, size(spec.filterShape)),
    dy: randomArray(rng, size(dyShape)),
    dyShape,
  };
}

const KERNEL_SIZES = [1, 3, 5];

function randomPad(rng: Rng, k: number): Pad {
  const kind = rng.choice(['same', 'valid', 'number', 'explicit'] as const);
  if (kind === 'number') return rng.int(0, k);
  if (kind === 'explicit') return [[0, 0], [rng.int(0, k + 1), rng.int(0, k + 1)], [rng.int(0, k + 1), rng.int(0, k + 1)], [0, 0]];
  return kind;
}

/** A random case of the given kind; sizes odd and even, batch and channels often 1. */
function randomCase(rng: Rng, depthwise: boolean, fixed: { k?: number; s?: number; pad?: Pad; rounding?: boolean } = {}): ConvCase {
  for (;;) {
    const k = fixed.k ?? rng.choice(KERNEL_SIZES);
    const kW = rng.uniform() < 0.8 ? k : rng.choice(KERNEL_SIZES);
    const s = fixed.s ?? rng.choice([1, 2]);
    const strides: [number, number] = rng.uniform() < 0.85 ? [s, s] : [s, rng.choice([1, 2])];
    const batch = rng.choice([1, 1, 2, 3, 5]);
    const h = rng.int(1, 12);
    const w = rng.uniform() < 0.5 ? h : rng.int(1, 12);
    const inC = rng.choice([1, 1, 2, 3, 4, 7]);
    const out = depthwise ? rng.choice([1, 1, 2, 3]) : rng.choice([1, 2, 3, 5, 8]);
    const pad = fixed.pad ?? randomPad(rng, k);
    const dimRoundingMode = fixed.rounding !== false && typeof pad === 'number' && rng.uniform() < 0.3 ? rng.choice(['floor', 'round', 'ceil'] as const) : undefined;
    const c = makeCase(rng, { depthwise, xShape: [batch, h, w, inC], filterShape: [k, kW, inC, out], strides, pad, dimRoundingMode });
    if (c !== null) return c;
  }
}

type KernelName = 'Conv2DBackpropFilter' | 'Conv2DBackpropInput' | 'DepthwiseConv2dNativeBackpropFilter' | 'DepthwiseConv2dNativeBackpropInput';

/** Runs one backprop kernel directly on the current backend and returns its values and shape. */
function runBackprop(name: KernelName, c: ConvCase): { values: Float32Array; shape: number[] } {
  return tf.tidy(() => {
    const x = tf.tensor4d(c.x, c.xShape);
    const filter = tf.tensor4d(c.filter, c.filterShape);
    const dy = tf.tensor4d(c.dy, c.dyShape);
    const common: NamedAttrMap = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: [1, 1] };
    if (c.dimRoundingMode) common.dimRoundingMode = c.dimRoundingMode;
    const isFilter = name.endsWith('Filter');
    const inputs: tf.NamedTensorMap = isFilter ? { x, dy } : { dy, filter };
    const attrs: NamedAttrMap = isFilter ? { ...common, filterShape: c.filterShape } : { ...common, inputShape: c.xShape };
    const out = tf.engine().runKernel(name, inputs, attrs) as tf.Tensor;
    return { values: out.dataSync() as Float32Array, shape: out.shape };
  });
}

/** The gradients of sum(conv(x, f) * dy) with respect to x and f, through tf.grads (the Layers path). */
function gradsThroughTape(c: ConvCase): { dx: Float32Array; df: Float32Array } {
  return tf.tidy(() => {
    const x = tf.tensor4d(c.x, c.xShape);
    const filter = tf.tensor4d(c.filter, c.filterShape);
    const dy = tf.tensor4d(c.dy, c.dyShape);
    const f = (a: tf.Tensor, b: tf.Tensor) => {
      const y = c.depthwise
        ? tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad, 'NHWC', 1, c.dimRoundingMode)
        : tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad, 'NHWC', 1, c.dimRoundingMode);
      return tf.sum(tf.mul(y, dy));
    };
    const [dx, df] = tf.grads(f)([x, filter]);
    return { dx: dx.dataSync() as Float32Array, df: df.dataSync() as Float32Array };
  });
}

async function onBackend<T>(name: string, fn: () => T): Promise<T> {
  await tf.setBackend(name);
  try {
    return fn();
  } finally {
    await tf.setBackend('wasm');
  }
}

/** max |a - b| relative to max |b| (the reference); 0 for two all-zero arrays. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

const TOLERANCE = 1e-4;

async function expectKernelMatchesCpu(name: KernelName, c: ConvCase): Promise<void> {
  const wasm = runBackprop(name, c);
  const cpu = await onBackend('cpu', () => runBackprop(name, c));
  expect(wasm.shape, `${name} ${describeCase(c)}`).toEqual(cpu.shape);
  const err = relativeError(wasm.values, cpu.values);
  expect(err, `${name} ${describeCase(c)}`).toBeLessThanOrEqual(TOLERANCE);
}

for (const engine of ENGINES) {
describe(`${engine.label}: wasm gradient kernels against the cpu backend`, () => {
  beforeAll(() => setKernelPack(engine.pack));

  it('registers the convolutions, their gradients and the dense products for wasm', () => {
    expect(wasmGradientKernels.map((k) => k.kernelName).sort()).toEqual([
      'BatchMatMul', 'Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput', 'FusedConv2D', '_FusedMatMul',
    ]);
    // The pack suite must really run on the pack: it loads here.
    expect(kernelPackStatus(tf.backend())).toEqual({ enabled: engine.pack, loaded: true, reason: expect.any(String) });
    expect(wasmGradientKernels.every((k) => k.backendName === 'wasm')).toBe(true);
    expect(wasmKernelStatus().every((s) => s.registered)).toBe(true);
    expect(tf.getBackend()).toBe('wasm');
  });

  // Every stride x padding x kernel size, with the other dimensions random.
  const grid: Array<{ s: number; pad: Pad; k: number }> = [];
  for (const s of [1, 2]) {
    for (const pad of ['same', 'valid', 1, [[0, 0], [2, 0], [0, 1], [0, 0]]] as Pad[]) {
      for (const k of KERNEL_SIZES) grid.push({ s, pad, k });
    }
  }

  for (const name of ['Conv2DBackpropFilter', 'Conv2DBackpropInput'] as const) {
    it(`${name}: every stride, padding and kernel size`, async () => {
      const rng = createRng(`grid-${name}`);
      for (const fixed of grid) await expectKernelMatchesCpu(name, randomCase(rng, false, fixed));
    }, 60_000);
    it(`${name}: 60 random shapes`, async () => {
      const rng = createRng(`random-${name}`);
      for (let i = 0; i < 60; i++) await expectKernelMatchesCpu(name, randomCase(rng, false));
    }, 60_000);
  }

  for (const name of ['DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput'] as const) {
    it(`${name}: every stride, padding and kernel size`, async () => {
      const rng = createRng(`grid-${name}`);
      for (const fixed of grid) await expectKernelMatchesCpu(name, randomCase(rng, true, fixed));
    }, 60_000);
    it(`${name}: 60 random shapes`, async () => {
      const rng = createRng(`random-${name}`);
      for (let i = 0; i < 60; i++) await expectKernelMatchesCpu(name, randomCase(rng, true));
    }, 60_000);
  }

  it('covers the awkward shapes: batch 1, 1x1 images, k < stride on odd sizes, pads larger than k - 1', async () => {
    const rng = createRng('edges');
    const specs: Array<Omit<ConvCase, 'x' | 'filter' | 'dy' | 'dyShape'>> = [
      { depthwise: false, xShape: [1, 1, 1, 1], filterShape: [1, 1, 1, 1], strides: [1, 1], pad: 'valid' },
      { depthwise: false, xShape: [1, 7, 7, 3], filterShape: [1, 1, 3, 4], strides: [2, 2], pad: 'same' },
      { depthwise: false, xShape: [2, 7, 9, 2], filterShape: [1, 1, 2, 3], strides: [2, 2], pad: 'valid' },
      { depthwise: false, xShape: [1, 5, 5, 2], filterShape: [3, 3, 2, 2], strides: [1, 1], pad: [[0, 0], [3, 4], [4, 3], [0, 0]] },
      { depthwise: false, xShape: [3, 8, 8, 2], filterShape: [3, 3, 2, 2], strides: [2, 2], pad: 'valid' },
      { depthwise: false, xShape: [1, 6, 6, 1], filterShape: [3, 3, 1, 1], strides: [2, 2], pad: 0, dimRoundingMode: 'ceil' },
      // One input channel: the filter gradient goes through one-hot patches and a product.
      { depthwise: false, xShape: [3, 7, 9, 1], filterShape: [3, 5, 1, 8], strides: [1, 1], pad: 'same' },
      { depthwise: false, xShape: [2, 9, 8, 1], filterShape: [5, 3, 1, 8], strides: [2, 2], pad: 'valid' },
      { depthwise: false, xShape: [2, 6, 7, 1], filterShape: [3, 3, 1, 8], strides: [2, 1], pad: [[0, 0], [2, 1], [0, 3], [0, 0]] },
      { depthwise: false, xShape: [1, 6, 6, 1], filterShape: [3, 3, 1, 2], strides: [2, 2], pad: 1, dimRoundingMode: 'ceil' },
      { depthwise: true, xShape: [1, 7, 7, 3], filterShape: [1, 1, 3, 2], strides: [2, 2], pad: 'same' },
      { depthwise: true, xShape: [2, 5, 5, 2], filterShape: [3, 3, 2, 1], strides: [1, 1], pad: [[0, 0], [4, 3], [3, 4], [0, 0]] },
      { depthwise: true, xShape: [1, 9, 9, 4], filterShape: [5, 5, 4, 3], strides: [2, 2], pad: 'valid' },
    ];
    for (const spec of specs) {
      const c = makeCase(rng, spec);
      expect(c, JSON.stringify(spec)).not.toBeNull();
      const names: KernelName[] = spec.depthwise
        ? ['DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput']
        : ['Conv2DBackpropFilter', 'Conv2DBackpropInput'];
      for (const name of names) await expectKernelMatchesCpu(name, c!);
    }
  }, 60_000);

  it('tf.grads of conv2d and depthwiseConv2d on wasm equal the cpu gradients', async () => {
    const rng = createRng('tape');
    for (let i = 0; i < 24; i++) {
      // tfjs's Conv2D gradient drops dimRoundingMode (its backprop ops recompute the shape without
      // it), so only the depthwise cases may carry one on this path.
      const depthwise = i % 2 === 1;
      const c = randomCase(rng, depthwise, { rounding: depthwise });
      const wasm = gradsThroughTape(c);
      const cpu = await onBackend('cpu', () => gradsThroughTape(c));
      expect(relativeError(wasm.dx, cpu.dx), describeCase(c)).toBeLessThanOrEqual(TOLERANCE);
      expect(relativeError(wasm.df, cpu.df), describeCase(c)).toBeLessThanOrEqual(TOLERANCE);
    }
  }, 60_000);

  it('a hand-computed filter gradient: 1x3x3x1 input, 2x2 filter, stride 1, valid', () => {
    // x = 1..9 row-major, dy = ones(2x2): dW[a,b] = sum of the 2x2 window of x starting at (a,b).
    const dw = tf.tidy(() => {
      const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
      const dy = tf.ones([1, 2, 2, 1]);
      return (tf.engine().runKernel('Conv2DBackpropFilter', { x, dy },
        { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', filterShape: [2, 2, 1, 1] }) as tf.Tensor).arraySync();
    });
    expect(dw).toEqual([[[[12]], [[16]]], [[[24]], [[28]]]]);
  });

  it('a hand-computed input gradient: stride 2 scatters each dy entry through the filter', () => {
    // One dy entry 1 at (0,0), filter [[1,2],[3,4]], stride 2, valid, input 4x4: dx is the filter at the top-left.
    const dx = tf.tidy(() => {
      const dy = tf.tensor4d([1, 0, 0, 0], [1, 2, 2, 1]);
      const filter = tf.tensor4d([1, 2, 3, 4], [2, 2, 1, 1]);
      return (tf.engine().runKernel('Conv2DBackpropInput', { dy, filter },
        { strides: [2, 2], pad: 'valid', dataFormat: 'NHWC', inputShape: [1, 4, 4, 1] }) as tf.Tensor).reshape([4, 4]).arraySync();
    });
    expect(dx).toEqual([[1, 2, 0, 0], [3, 4, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
  });
  it('Conv2D and FusedConv2D (bias, ReLU): every stride, padding and kernel size, then 40 random shapes', async () => {
    const rng = createRng(`forward-${engine.label}`);
    // The built-in Conv2D ignores dimRoundingMode (bench/README.md), so no case carries one here;
    // and with a numeric pad it can write outside its output (x [1,5,8,4], f [5,3,4,3], pad 1
    // corrupted the heap), so the built-in's suite keeps to 'same' and 'valid'. The pack takes all.
    // (The pack hands inputs with fewer than PACK_MIN_CHANNELS channels to the built-in too.)
    const safe = (c: ConvCase) => c.pad === 'same' || c.pad === 'valid' || (engine.pack && c.xShape[3] >= PACK_MIN_CHANNELS);
    const cases = [
      ...grid.map((fixed) => randomCase(rng, false, { ...fixed, rounding: false })),
      ...Array.from({ length: 60 }, () => randomCase(rng, false, { rounding: false })),
    ].filter(safe);
    expect(cases.length).toBeGreaterThan(40);
    for (const c of cases) {
      const bias = randomArray(rng, c.filterShape[3]);
      for (const fused of [false, true]) {
        const run = () => tf.tidy(() => {
          const x = tf.tensor4d(c.x, c.xShape);
          const filter = tf.tensor4d(c.filter, c.filterShape);
          const y = fused
            ? tf.fused.conv2d({ x, filter, strides: c.strides, pad: c.pad, bias: tf.tensor1d(bias), activation: 'relu' })
            : tf.conv2d(x, filter, c.strides, c.pad);
          return { values: y.dataSync() as Float32Array, shape: y.shape };
        });
        const wasm = run();
        const cpu = await onBackend('cpu', run);
        expect(wasm.shape, describeCase(c)).toEqual(cpu.shape);
        expect(relativeError(wasm.values, cpu.values), `${fused ? 'FusedConv2D' : 'Conv2D'} ${describeCase(c)}`).toBeLessThanOrEqual(TOLERANCE);
      }
    }
  }, 60_000);
});

describe(`${engine.label}: BatchMatMul on wasm against the cpu backend`, () => {
  beforeAll(() => setKernelPack(engine.pack));

  /** a x b with the given flags, through the kernel (the path tf.matMul and its gradient take). */
  function matMulValues(a: number[], aShape: number[], b: number[], bShape: number[], transposeA: boolean, transposeB: boolean) {
    return tf.tidy(() => {
      const out = tf.engine().runKernel('BatchMatMul', { a: tf.tensor(a, aShape), b: tf.tensor(b, bShape) }, { transposeA, transposeB }) as tf.Tensor;
      return { values: out.dataSync() as Float32Array, shape: out.shape };
    });
  }

  it('every transpose flag combination, batch 1 and batched (with broadcasting), odd sizes', async () => {
    const rng = createRng('matmul');
    const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
    for (let i = 0; i < 48; i++) {
      const [m, k, n] = [rng.int(1, 40), rng.int(1, 40), rng.int(1, 12)];
      const transposeA = i % 2 === 1;
      const transposeB = (i >> 1) % 2 === 1;
      const batchA = i % 8 < 4 ? 1 : rng.choice([1, 3]);
      const batchB = i % 8 < 4 ? 1 : (batchA === 1 ? 3 : rng.choice([1, 3]));
      const aShape = [batchA, transposeA ? k : m, transposeA ? m : k];
      const bShape = [batchB, transposeB ? n : k, transposeB ? k : n];
      const a = Array.from(randomArray(rng, size(aShape)));
      const b = Array.from(randomArray(rng, size(bShape)));
      const wasm = matMulValues(a, aShape, b, bShape, transposeA, transposeB);
      const cpu = await onBackend('cpu', () => matMulValues(a, aShape, b, bShape, transposeA, transposeB));
      const label = `a=[${aShape}] b=[${bShape}] tA=${transposeA} tB=${transposeB}`;
      expect(wasm.shape, label).toEqual(cpu.shape);
      expect(relativeError(wasm.values, cpu.values), label).toBeLessThanOrEqual(TOLERANCE);
    }
  }, 60_000);

  it('a hand-computed transposed product: [[1,2],[3,4]]^T [[1,0],[0,1]] and [[1,2]] [[3,4]]^T', () => {
    expect(matMulValues([1, 2, 3, 4], [1, 2, 2], [1, 0, 0, 1], [1, 2, 2], true, false).values).toEqual(new Float32Array([1, 3, 2, 4]));
    expect(matMulValues([1, 2], [1, 1, 2], [3, 4], [1, 1, 2], false, true).values).toEqual(new Float32Array([11]));
    // Rank 2 straight into the kernel: [[1,2],[3,4]] [[5,6],[7,8]]^T = [[17,23],[39,53]].
    const r2 = matMulValues([1, 2, 3, 4], [2, 2], [5, 6, 7, 8], [2, 2], false, true);
    expect(r2.shape).toEqual([2, 2]);
    expect(r2.values).toEqual(new Float32Array([17, 23, 39, 53]));
  });

  it('_FusedMatMul (bias, ReLU, every transpose flag) matches the cpu backend, batch 1 and odd sizes; the pack serves the wide ones', async () => {
    const rng = createRng(`fused-matmul-${engine.label}`);
    const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
    const before = kernelPackCalls()._FusedMatMul ?? 0;
    for (let i = 0; i < 24; i++) {
      // Half the products as wide as the pack takes, half narrower (those go to the composed kernels).
      const [m, k, n] = [rng.choice([1, rng.int(1, 70)]), rng.int(1, 70), i % 3 === 0 ? rng.int(1, 15) : rng.int(16, 40)];
      const transposeA = i % 2 === 1;
      const transposeB = (i >> 1) % 2 === 1;
      const aShape = transposeA ? [k, m] : [m, k];
      const bShape = transposeB ? [n, k] : [k, n];
      const a = randomArray(rng, size(aShape));
      const b = randomArray(rng, size(bShape));
      const bias = randomArray(rng, n);
      const activation = rng.choice(['linear', 'relu'] as const);
      const run = () => tf.tidy(() => {
        const y = tf.fused.matMul({ a: tf.tensor(a, aShape), b: tf.tensor(b, bShape), transposeA, transposeB, bias: tf.tensor1d(bias), activation });
        return { values: y.dataSync() as Float32Array, shape: y.shape };
      });
      const wasm = run();
      const cpu = await onBackend('cpu', run);
      const label = `a=[${aShape}] b=[${bShape}] tA=${transposeA} tB=${transposeB} ${activation}`;
      expect(wasm.shape, label).toEqual(cpu.shape);
      expect(relativeError(wasm.values, cpu.values), label).toBeLessThanOrEqual(TOLERANCE);
    }
    const served = (kernelPackCalls()._FusedMatMul ?? 0) - before;
    if (engine.pack) expect(served).toBeGreaterThanOrEqual(12);
    else expect(served).toBe(0);
  }, 60_000);

  it('one buffer multiplied as two shapes gives both right products (the built-in caches its operator by the id of b)', () => {
    // b = 1..12 as [3, 4], then the same buffer reshaped to [4, 3]: ones [2, 4] times it is [22, 26, 30] per row.
    const [first, second] = tf.tidy(() => {
      const b = tf.tensor(Array.from({ length: 12 }, (_, i) => i + 1), [1, 3, 4]);
      const p = tf.matMul(tf.ones([1, 2, 3]), b);
      const q = tf.matMul(tf.ones([1, 2, 4]), tf.reshape(b, [1, 4, 3]));
      return [Array.from(p.dataSync()), Array.from(q.dataSync())];
    });
    expect(first).toEqual([15, 18, 21, 24, 15, 18, 21, 24]);
    expect(second).toEqual([22, 26, 30, 22, 26, 30]);
  });

  it('the gradients of a dense layer (transposed products) match the cpu backend', async () => {
    const rng = createRng('dense');
    const x = Array.from(randomArray(rng, 7 * 13));
    const w = Array.from(randomArray(rng, 13 * 5));
    const grads = () => tf.tidy(() => {
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.matMul(a, b))))([tf.tensor2d(x, [7, 13]), tf.tensor2d(w, [13, 5])]);
      return [dx.dataSync() as Float32Array, dw.dataSync() as Float32Array];
    });
    const wasm = grads();
    const cpu = await onBackend('cpu', grads);
    expect(relativeError(wasm[0], cpu[0])).toBeLessThanOrEqual(TOLERANCE);
    expect(relativeError(wasm[1], cpu[1])).toBeLessThanOrEqual(TOLERANCE);
  });
});
}

describe('memory', () => {
  it('many gradient calls in tidy leave no tensor and no wasm buffer behind', () => {
    const rng = createRng('memory');
    const cases = [randomCase(rng, false, { s: 1 }), randomCase(rng, false, { s: 2, k: 1 }), randomCase(rng, true, { s: 2 }),
      randomCase(rng, true, { pad: [[0, 0], [4, 5], [5, 4], [0, 0]], k: 3 })];
    const denseGrads = () => tf.tidy(() => {
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.matMul(a, b)))([tf.ones([5, 7]), tf.ones([7, 3])]);
      return g.map((t) => t.dataSync()[0]);
    });
    gradsThroughTape(cases[0]); // warm-up: any one-time allocation happens before the count
    const tensorsBefore = tf.memory().numTensors;
    const buffersBefore = tf.backend().numDataIds();
    for (let i = 0; i < 25; i++) {
      for (const c of cases) gradsThroughTape(c);
      // d/da sum(a b) = ones(5,3) b^T: every entry is 3; d/db = a^T ones(5,3): every entry is 5.
      expect(denseGrads()).toEqual([3, 5]);
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(tf.backend().numDataIds()).toBe(buffersBefore);
  });

  it('compose frees what its body made when the body throws, and refuses to return an input', () => {
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const info: TensorInfo = { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    const buffersBefore = tf.backend().numDataIds();
    expect(() => compose('wasm', tf.backend(), (c) => {
      c.run('Transpose', { x: info }, { perm: [1, 0] });
      throw new Error('boom');
    })).toThrow('boom');
    expect(tf.backend().numDataIds()).toBe(buffersBefore);
    expect(() => compose('wasm', tf.backend(), (c) => {
      c.run('Transpose', { x: info }, { perm: [1, 0] });
      return info;
    })).toThrow(/must return a buffer it made/);
    expect(tf.backend().numDataIds()).toBe(buffersBefore);
    expect(() => compose('wasm', tf.backend(), (c) => c.run('NoSuchKernel', { x: info }))).toThrow(/has no 'NoSuchKernel' kernel/);
    expect(() => compose('wasm', {}, (c) => c.run('Transpose', { x: info }))).toThrow(/lacks disposeData\/readSync\/write/);
    expect(() => compose('wasm', tf.backend(), (c) => c.view(info, [3]))).toThrow(/cannot view shape \[2, 2\] as \[3\]/);
    x.dispose();
  });
});

describe('geometry helpers', () => {
  it('filterGradPadding: valid, stride 2, (H - k) odd drops one trailing row', () => {
    // H = 8, k = 3, s = 2, valid: outH = 3, the forward reads rows 0..6; row 7 is never used.
    const g = convGeometry([1, 8, 8, 1], [3, 3, 1, 1], { strides: 2, pad: 'valid' }, false);
    expect(filterGradPadding(g)).toEqual({ pad: [[0, 0], [0, 0], [0, 0], [0, 0]], extraH: 1, extraW: 1 });
  });

  it('filterGradPadding: same, stride 1, 3x3 keeps the forward pads', () => {
    const g = convGeometry([2, 5, 5, 1], [3, 3, 1, 1], { strides: 1, pad: 'same' }, false);
    expect(filterGradPadding(g)).toEqual({ pad: [[0, 0], [1, 1], [1, 1], [0, 0]], extraH: 0, extraW: 0 });
  });

  it('dilatedUpstream pads by k - 1 - pad and dilates by the stride', () => {
    const dy = tf.zeros([1, 4, 4, 1]);
    const info: TensorInfo = { dataId: dy.dataId, shape: dy.shape, dtype: dy.dtype };
    // H = 8, k = 3, s = 2, same: pads (0, 1); dilated length 8; leading pad 2, trailing 8 + 2 - 8 - 2 = 0.
    const g = convGeometry([1, 8, 8, 1], [3, 3, 1, 1], { strides: 2, pad: 'same' }, false);
    let shape: number[] = [];
    let pad: unknown;
    const out = compose('wasm', tf.backend(), (c) => {
      const r = dilatedUpstream(c, info, g);
      shape = r.input.shape;
      pad = r.pad;
      return c.run('Identity', { x: r.input });
    });
    tf.backend().disposeData(out.dataId);
    expect(shape).toEqual([1, 8, 8, 1]);
    expect(pad).toEqual([[0, 0], [2, 0], [2, 0], [0, 0]]);
    dy.dispose();
  });
});

describe('filter gradient composition choice', () => {
  it('uses one-hot patches and a product for one input channel, the transposed convolution otherwise', () => {
    const geometry = (x: Shape4, f: Shape4, strides: number, pad: Pad) => convGeometry(x, f, { strides, pad }, false);
    expect(filterGradByPatches(geometry([64, 8, 8, 1], [3, 3, 1, 16], 1, 'same'))).toBe(true);
    expect(filterGradByPatches(geometry([64, 8, 8, 1], [5, 5, 1, 16], 2, 'valid'))).toBe(true);
    expect(filterGradByPatches(geometry([64, 8, 8, 2], [3, 3, 2, 16], 1, 'same'))).toBe(false);
  });
});

describe('transposed convolution by phase', () => {
  it('phaseTaps: k = 3, s = 2, no pad: phase 0 uses taps 2 and 0, phase 1 tap 1', () => {
    // dx[2q] = dy[q] f[0] + dy[q-1] f[2]; dx[2q+1] = dy[q] f[1]: window (dy[q-1], dy[q]), lead 1.
    expect(phaseTaps(3, 2, 0)).toEqual({ stride: 2, lead: 1, width: 2, tap: [[2, 0], [-1, 1]] });
  });

  it('phaseTaps: stride 1 is the flipped filter with lead k - 1 - p', () => {
    expect(phaseTaps(3, 1, 1)).toEqual({ stride: 1, lead: 1, width: 3, tap: [[2, 1, 0]] });
    expect(phaseTaps(5, 1, 0)).toEqual({ stride: 1, lead: 4, width: 5, tap: [[4, 3, 2, 1, 0]] });
  });

  it('phaseTaps: k = 1, s = 2 leaves one phase without taps; a pad beyond k makes the lead negative', () => {
    expect(phaseTaps(1, 2, 0)).toEqual({ stride: 2, lead: 0, width: 1, tap: [[0], [-1]] });
    // p = 3: dx[2q] = dy[q+1] f[1], dx[2q+1] = dy[q+2] f[0] + dy[q+1] f[2]; first dy row dropped.
    expect(phaseTaps(3, 2, 3)).toEqual({ stride: 2, lead: -1, width: 2, tap: [[1, -1], [2, 0]] });
  });

  it('subPixelFilter orders (window, out channel, phase, in channel)', () => {
    const out = subPixelFilter(new Float32Array([1, 2, 3]), [1, 3, 1, 1], phaseTaps(1, 1, 0), phaseTaps(3, 2, 0));
    expect(Array.from(out)).toEqual([3, 0, 1, 2]);
  });

  it('flipSpatial reverses both spatial axes and keeps the channels', () => {
    expect(Array.from(flipSpatial(new Float32Array([1, 2, 3, 4]), [2, 2, 1, 1]))).toEqual([4, 3, 2, 1]);
    expect(Array.from(flipSpatial(new Float32Array([1, 2, 3, 4, 5, 6]), [1, 3, 2, 1]))).toEqual([5, 6, 3, 4, 1, 2]);
  });
});

describe('attribute checks', () => {
  it('rejects NCHW, dilations other than 1, bad strides and bad padding, naming the kernel', () => {
    expect(() => readConvAttrs('K', { strides: 1, pad: 'same', dataFormat: 'NCHW' })).toThrow("K (nasbook wasm): only NHWC data is supported, got dataFormat \"NCHW\"");
    expect(() => readConvAttrs('K', { strides: 1, pad: 'same', dilations: [2, 2] })).toThrow('only dilation 1 is supported, got [2,2]');
    expect(() => readConvAttrs('K', { strides: 0, pad: 'same' })).toThrow("'strides' must be a positive integer or a pair of them, got 0");
    expect(() => readConvAttrs('K', { strides: 1, pad: 'full' })).toThrow("'pad' must be 'same', 'valid', a number or explicit padding, got \"full\"");
    expect(() => readConvAttrs('K', { strides: 1, pad: 1, dimRoundingMode: 'up' })).toThrow("'dimRoundingMode' must be floor, round or ceil");
    expect(readConvAttrs('K', { strides: [2, 1], pad: [[0, 0], [1, 2], [0, 1], [0, 0]], dataFormat: 'NHWC', dilations: 1 }))
      .toEqual({ strides: [2, 1], pad: [[0, 0], [1, 2], [0, 1], [0, 0]], dimRoundingMode: undefined });
  });

  it('a kernel refuses a dy whose shape does not match the forward geometry, and a missing filterShape', () => {
    tf.tidy(() => {
      const x = tf.zeros([1, 5, 5, 2]);
      const dy = tf.zeros([1, 4, 4, 3]);
      expect(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy },
        { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 2, 3] }))
        .toThrow('Conv2DBackpropFilter (nasbook wasm): dy has shape [1, 4, 4, 3], expected [1, 5, 5, 3]');
      expect(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [1, 1], pad: 'same', dataFormat: 'NHWC' }))
        .toThrow("'filterShape' must be 4 positive integers, got undefined");
    });
  });
});

describe('registration', () => {
  it('is idempotent and refuses a list that names a kernel twice', () => {
    expect(registerWasmKernels()).toEqual([]);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBe(registered('Conv2DBackpropFilter'));
    const twice: KernelConfig[] = [...wasmGradientKernels, { ...conv2dBackpropFilterWasm }];
    expect(() => checkKernelList(twice)).toThrow("the list names kernel 'Conv2DBackpropFilter' for backend 'wasm' twice");
    expect(() => registerKernelList(twice)).toThrow('twice');
    // Nothing was registered by the refused call.
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBe(registered('Conv2DBackpropFilter'));
  });

  it('unregistering restores the built-in Conv2DBackpropInput and removes the missing ones', () => {
    const removed = unregisterWasmKernels();
    try {
      expect(removed.sort()).toEqual(wasmGradientKernels.map((k) => k.kernelName).sort());
      const status = Object.fromEntries(wasmKernelStatus().map((s) => [s.kernelName, s]));
      expect(status.Conv2DBackpropInput).toEqual({ kernelName: 'Conv2DBackpropInput', registered: false, builtinPresent: true });
      expect(status.Conv2DBackpropFilter).toEqual({ kernelName: 'Conv2DBackpropFilter', registered: false, builtinPresent: false });
      expect(status.BatchMatMul).toEqual({ kernelName: 'BatchMatMul', registered: false, builtinPresent: true });
      expect(status.Conv2D).toEqual({ kernelName: 'Conv2D', registered: false, builtinPresent: true });
      expect(status._FusedMatMul).toEqual({ kernelName: '_FusedMatMul', registered: false, builtinPresent: true });
      // The built-in still multiplies after ours is gone.
      expect(tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()[0])).toBe(11);
      expect(unregisterWasmKernels()).toEqual([]);
    } finally {
      expect(registerWasmKernels().sort()).toEqual(wasmGradientKernels.map((k) => k.kernelName).sort());
    }
    expect(wasmKernelStatus().every((s) => s.registered && !s.builtinPresent)).toBe(true);
  });
});

describe('training on wasm', () => {
  /** Losses of 15 epochs of fit on a seeded two-class task, with the kernel pack on or forced off. */
  async function trainLosses(pack: boolean): Promise<number[]> {
    setKernelPack(pack);
    // The pack suite must really run on the pack: on and loaded here, and serving the convolutions.
    expect(kernelPackStatus()).toEqual({ enabled: pack, loaded: true, reason: expect.any(String) });
    const before = kernelPackCalls();
    const rng = createRng('train');
    // Two classes of 8x8 images: a bright 3x3 blob in the left half or in the right half, plus noise.
    const n = 128;
    const images = new Float32Array(n * 64);
    const labels = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      const cls = i % 2;
      const r0 = rng.int(0, 6);
      const c0 = cls === 0 ? rng.int(0, 2) : rng.int(4, 6);
      for (let p = 0; p < 64; p++) images[i * 64 + p] = 0.3 * rng.normal();
      for (let dr = 0; dr < 3; dr++) for (let dc = 0; dc < 3; dc++) images[i * 64 + (r0 + dr) * 8 + c0 + dc] += 1;
      labels[i * 2 + cls] = 1;
    }
    const seed = (k: string) => rng.child(k).uint32();
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu',
          kernelInitializer: tf.initializers.glorotUniform({ seed: seed('c1') }) }),
        tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu',
          depthwiseInitializer: tf.initializers.glorotUniform({ seed: seed('d1') }) }),
        tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu',
          kernelInitializer: tf.initializers.glorotUniform({ seed: seed('c2') }) }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed('o') }) }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy' });
    const xs = tf.tensor4d(images, [n, 8, 8, 1]);
    const ys = tf.tensor2d(labels, [n, 2]);
    const history = await model.fit(xs, ys, { epochs: 15, batchSize: 32, shuffle: false, verbose: 0 });
    const losses = history.history.loss as number[];
    xs.dispose();
    ys.dispose();
    model.dispose();
    const after = kernelPackCalls();
    for (const name of ['Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput']) {
      const calls = (after[name] ?? 0) - (before[name] ?? 0);
      if (pack) expect(calls, name).toBeGreaterThan(0);
      else expect(calls, name).toBe(0);
    }
    return losses;
  }

  const trajectories: Record<string, number[]> = {};
  for (const engine of ENGINES) {
    it(`${engine.label}: a small conv net with a strided and a depthwise convolution learns a seeded task (loss falls)`, async () => {
      const losses = await trainLosses(engine.pack);
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses[losses.length - 1]).toBeLessThan(0.5 * losses[0]);
      // Same seed, same numbers, on either engine.
      expect(await trainLosses(engine.pack)).toEqual(losses);
      trajectories[engine.label] = losses;
    }, 60_000);
  }

  it('the pack and the composed kernels follow the same loss trajectory (they may differ only in float rounding)', () => {
    const pack = trajectories['kernel pack'];
    const composed = trajectories['composed kernels'];
    expect(pack).toBeDefined();
    expect(composed).toBeDefined();
    for (let e = 0; e < pack.length; e++) expect(Math.abs(pack[e] - composed[e])).toBeLessThan(1e-3 * Math.max(1, composed[e]));
  });
});
