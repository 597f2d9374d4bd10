/**
 * Benchmark of nasbook's wasm kernels (not a test: it measures, it asserts nothing).
 *
 * 1. Each kernel on the sizes that matter for the course's small conv nets, against named baselines
 *    in the same run: the SIMD kernel pack, the composed kernels (the pack off), the wasm backend
 *    alone ("built-in": XNNPACK's Conv2D and products, its own Conv2DBackpropInput; the others are
 *    missing there) and the cpu backend. Pack, composed and built-in alternate case by case, so all
 *    see the same machine load.
 * 2. The reference training run: a 2-conv network on the 8x8 digits, 10 epochs, batch 64, through
 *    tf.LayersModel.fit on wasm with the pack and with the composed kernels, against PyTorch on one
 *    thread (when a python3 with torch is installed), the three alternating; the ratios are medians
 *    of the alternating pairs. Then a per-kernel profile of one epoch showing where the time goes.
 * 3. One NAS-Bench-Digits cell trained under the table's protocol, composed kernels (how the table
 *    is built) against the pack, alternating.
 *
 * Repeats can be lowered for a quick look: NASBOOK_BENCH_REPEATS=1 npm run bench.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import * as zlib from 'node:zlib';
import { spawn, spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap } from '@tensorflow/tfjs';
import { createRng, type Rng } from '../src/core/rng';
import { dataDir } from '../src/core/paths';
import { init } from '../src/tensor/backend';
import { registerWasmKernels, unregisterWasmKernels } from '../src/tensor/kernels';
import { kernelPackStatus, setKernelPack, withKernelPack } from '../src/tensor/pack';
import { digitsBenchData } from '../src/benchmarks/digits/cell';
import { DEFAULT_DIGITS_PROTOCOL } from '../src/benchmarks/digits/protocol';
import { nb201CellArch, parseNb201Cell } from '../src/spaces/nb201';
import { train } from '../src/tensor/train';

type Shape4 = [number, number, number, number];

export const REPEATS = Math.max(1, Number(process.env.NASBOOK_BENCH_REPEATS ?? 5));

// ---------------------------------------------------------------------------------------------
// Small utilities

export function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median wall time of `fn` in ms over `repeats` calls after `warmup` untimed ones. */
export function timeMs(fn: () => void, repeats: number, warmup = 3): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

export function fmt(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits);
}

export function printTable(title: string, rows: Array<Record<string, string>>): void {
  console.log(`\n${title}`);
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ');
  console.log(line(cols));
  console.log(width.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(cols.map((c) => r[c])));
}

function randomTensor(rng: Rng, shape: number[]): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(size);
  for (let i = 0; i < size; i++) v[i] = rng.normal();
  return tf.tensor(v, shape);
}

/**
 * Starts the wasm engine through nasbook's init() (shared by every bench section: the wasm
 * binaries can be located only once per process) and makes sure nasbook's kernels are registered.
 */
export async function useWasmBackend(): Promise<void> {
  await init({ prefer: 'wasm', quiet: true });
  if (tf.getBackend() !== 'wasm') throw new Error(`bench: expected the wasm backend, got '${tf.getBackend()}'`);
  registerWasmKernels();
}

// ---------------------------------------------------------------------------------------------
// 1. Kernels

interface ConvCase {
  label: string;
  depthwise: boolean;
  x: Shape4;
  filter: Shape4;
  strides: number;
  pad: 'same' | 'valid';
}

const CONV_CASES: ConvCase[] = [
  { label: '64x8x8x16->16 3x3 same s1', depthwise: false, x: [64, 8, 8, 16], filter: [3, 3, 16, 16], strides: 1, pad: 'same' },
  { label: '64x8x8x1->16 3x3 same s1', depthwise: false, x: [64, 8, 8, 1], filter: [3, 3, 1, 16], strides: 1, pad: 'same' },
  { label: '64x8x8x16->32 3x3 same s2', depthwise: false, x: [64, 8, 8, 16], filter: [3, 3, 16, 32], strides: 2, pad: 'same' },
  { label: '64x16x16x16->16 3x3 valid s2', depthwise: false, x: [64, 16, 16, 16], filter: [3, 3, 16, 16], strides: 2, pad: 'valid' },
  { label: 'dw 64x8x8x16 x1 3x3 same s1', depthwise: true, x: [64, 8, 8, 16], filter: [3, 3, 16, 1], strides: 1, pad: 'same' },
  { label: 'dw 64x8x8x16 x2 3x3 same s2', depthwise: true, x: [64, 8, 8, 16], filter: [3, 3, 16, 2], strides: 2, pad: 'same' },
];

interface MatMulCase {
  label: string;
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
}

// The dense layer of the reference net (1024 -> 10, batch 64): its two gradient products.
const MATMUL_CASES: MatMulCase[] = [
  { label: 'dense y = x W [64,1024][1024,10]', a: [1, 64, 1024], b: [1, 1024, 10], transposeA: false, transposeB: false },
  { label: 'dense dW = x^T dy [64,1024]^T[64,10]', a: [1, 64, 1024], b: [1, 64, 10], transposeA: true, transposeB: false },
  { label: 'dense dx = dy W^T [64,10][1024,10]^T', a: [1, 64, 10], b: [1, 1024, 10], transposeA: false, transposeB: true },
];

/** One timed thing: `run` is called repeatedly; `dispose` frees its operands. */
interface Timed {
  run: () => void;
  dispose: () => void;
}

function forward(c: ConvCase, x: tf.Tensor, filter: tf.Tensor): tf.Tensor {
  return c.depthwise
    ? tf.depthwiseConv2d(x as tf.Tensor4D, filter as tf.Tensor4D, c.strides, c.pad)
    : tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, c.strides, c.pad);
}

function convKernels(c: ConvCase): string[] {
  return c.depthwise
    ? ['DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput']
    : ['Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput'];
}

/** Operands on the current backend and a runner for `kernel` ('forward' for the forward conv). */
function convTimed(c: ConvCase, kernel: string): Timed {
  const rng = createRng(c.label);
  const x = randomTensor(rng, c.x);
  const filter = randomTensor(rng, c.filter);
  const outShape = tf.tidy(() => forward(c, x, filter).shape);
  const dy = randomTensor(rng, outShape);
  const attrs: NamedAttrMap = { strides: [c.strides, c.strides], pad: c.pad, dataFormat: 'NHWC', dilations: [1, 1] };
  const run = kernel === 'forward'
    ? () => tf.tidy(() => { forward(c, x, filter); })
    : kernel === 'Conv2D'
      ? () => (tf.engine().runKernel(kernel, { x, filter }, attrs) as tf.Tensor).dispose()
    : kernel.endsWith('Filter')
      ? () => (tf.engine().runKernel(kernel, { x, dy }, { ...attrs, filterShape: c.filter }) as tf.Tensor).dispose()
      : () => (tf.engine().runKernel(kernel, { dy, filter }, { ...attrs, inputShape: c.x }) as tf.Tensor).dispose();
  return { run, dispose: () => tf.dispose([x, filter, dy]) };
}

function matMulTimed(c: MatMulCase): Timed {
  const rng = createRng(c.label);
  const a = randomTensor(rng, c.a);
  const b = randomTensor(rng, c.b);
  const attrs = { transposeA: c.transposeA, transposeB: c.transposeB };
  return {
    run: () => (tf.engine().runKernel('BatchMatMul', { a, b }, attrs) as tf.Tensor).dispose(),
    dispose: () => tf.dispose([a, b]),
  };
}

function hasKernel(name: string, backend: string): boolean {
  return (tf.getKernel(name, backend) as ReturnType<typeof tf.getKernel> | undefined) !== undefined;
}

/** Median ms of one timed thing on the current backend, or null when the kernel is missing. */
function timeOne(make: () => Timed, kernel: string, repeats: number, warmup = 3): number | null {
  if (kernel !== 'forward' && !hasKernel(kernel, tf.getBackend())) return null;
  const t = make();
  try {
    return timeMs(t.run, repeats, warmup);
  } finally {
    t.dispose();
  }
}

interface KernelRow {
  label: string;
  kernel: string;
  make: () => Timed;
}

function kernelRows(): KernelRow[] {
  const rows: KernelRow[] = [];
  for (const c of CONV_CASES) {
    for (const k of convKernels(c)) rows.push({ label: c.label, kernel: k, make: () => convTimed(c, k) });
  }
  for (const c of MATMUL_CASES) rows.push({ label: c.label, kernel: 'BatchMatMul', make: () => matMulTimed(c) });
  return rows;
}

async function benchKernelTable(): Promise<void> {
  const wasmRepeats = Math.max(9, REPEATS * 8);
  const cpuRepeats = Math.max(3, REPEATS);
  const rows = kernelRows();
  const pack: Array<number | null> = [];
  const composed: Array<number | null> = [];
  const builtin: Array<number | null> = [];
  for (const r of rows) {
    // Pack, composed, built-in, then back again, so a change in machine load hits all three.
    const half = Math.ceil(wasmRepeats / 2);
    const times = { pack: [] as Array<number | null>, composed: [] as Array<number | null>, builtin: [] as Array<number | null> };
    for (let round = 0; round < 2; round++) {
      times.pack.push(withKernelPack(true, () => timeOne(r.make, r.kernel, half)));
      times.composed.push(withKernelPack(false, () => timeOne(r.make, r.kernel, half)));
      unregisterWasmKernels();
      times.builtin.push(timeOne(r.make, r.kernel, half));
      registerWasmKernels();
    }
    const mean = (xs: Array<number | null>) => (xs.some((x) => x === null) ? null : (xs as number[]).reduce((a, b) => a + b, 0) / xs.length);
    pack.push(mean(times.pack));
    composed.push(mean(times.composed));
    builtin.push(mean(times.builtin));
  }
  await tf.setBackend('cpu');
  // The cpu kernels take up to seconds each; one warm-up call is enough for them.
  const cpu = rows.map((r) => timeOne(r.make, r.kernel, cpuRepeats, 1));
  await tf.setBackend('wasm');

  const ratio = (a: number | null, b: number | null) => (a === null || b === null ? '-' : fmt(a / b, 1));
  printTable(`Kernels, median ms (wasm: ${wasmRepeats} calls, cpu: ${cpuRepeats}). 'pack' = nasbook's SIMD kernel pack; ` +
    `'composed' = nasbook's kernels composed from the backend's (the pack off); 'built-in' = the wasm backend alone ` +
    `(XNNPACK for Conv2D and products); 'missing' = it has none. The pack covers Conv2D, the two Conv2D gradients and the ` +
    `products; on depthwise rows it hands over to the composed kernels`,
  rows.map((r, i) => ({
    case: r.label,
    kernel: r.kernel.replace('DepthwiseConv2dNative', 'Depthwise'),
    pack: fmt(pack[i], 3),
    composed: fmt(composed[i], 3),
    'built-in': builtin[i] === null ? 'missing' : fmt(builtin[i], 3),
    cpu: fmt(cpu[i], 2),
    'composed/pack': ratio(composed[i], pack[i]),
    'built-in/pack': ratio(builtin[i], pack[i]),
  })));
}

// ---------------------------------------------------------------------------------------------
// 2. The reference training run

export interface Digits {
  trainX: Float32Array;
  trainY: Int32Array;
  valX: Float32Array;
  valY: Int32Array;
}

/** data/digits.csv.gz (64 pixels 0..16 then the label), shuffled by a seeded Rng, 80/20 split. */
export function loadDigits(rng: Rng): Digits {
  const text = zlib.gunzipSync(fs.readFileSync(path.join(dataDir(), 'digits.csv.gz'))).toString('utf8');
  const rows = text.trim().split('\n').map((line) => line.split(',').map(Number));
  const order = rng.shuffle(rows.map((_, i) => i));
  const nTrain = Math.round(0.8 * rows.length);
  const take = (idx: number[]) => {
    const x = new Float32Array(idx.length * 64);
    const y = new Int32Array(idx.length);
    idx.forEach((r, i) => {
      for (let p = 0; p < 64; p++) x[i * 64 + p] = rows[r][p] / 16;
      y[i] = rows[r][64];
    });
    return { x, y };
  };
  const train = take(order.slice(0, nTrain));
  const val = take(order.slice(nTrain));
  return { trainX: train.x, trainY: train.y, valX: val.x, valY: val.y };
}

export const EPOCHS = 10;
export const BATCH = 64;
export const LR = 1e-3;

/** conv 3x3 'same' 1->16, relu, conv 3x3 'same' 16->16, relu, flatten, dense 10 softmax; Adam. */
export function referenceModel(rng: Rng): tf.Sequential {
  const init = (key: string) => tf.initializers.glorotUniform({ seed: rng.child(key).uint32() });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init('conv1') }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init('conv2') }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init('dense') }),
    ],
  });
  // epsilon 1e-7 on both sides (tfjs's default; the PyTorch script sets it).
  model.compile({ optimizer: tf.train.adam(LR, 0.9, 0.999, 1e-7), loss: 'categoricalCrossentropy' });
  return model;
}

export interface RunResult {
  seconds: number;
  valAccuracy: number;
}

export interface DigitTensors {
  xs: tf.Tensor;
  ys: tf.Tensor;
  vx: tf.Tensor;
  valY: Int32Array;
  dispose(): void;
}

export function digitTensors(d: Digits): DigitTensors {
  const xs = tf.tensor4d(d.trainX, [d.trainY.length, 8, 8, 1]);
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(d.trainY, 'int32'), 10));
  const vx = tf.tensor4d(d.valX, [d.valY.length, 8, 8, 1]);
  return { xs, ys, vx, valY: d.valY, dispose: () => tf.dispose([xs, ys, vx]) };
}

function accuracy(model: tf.Sequential, x: tf.Tensor, y: Int32Array): number {
  const pred = tf.tidy(() => (model.predict(x) as tf.Tensor).argMax(1).dataSync());
  let hit = 0;
  for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) hit++;
  return hit / y.length;
}

/** One fit of a fresh model; only model.fit is timed. */
export async function trainTfjs(t: DigitTensors, seed: string, epochs: number): Promise<RunResult> {
  const model = referenceModel(createRng(seed));
  const t0 = performance.now();
  await model.fit(t.xs, t.ys, { epochs, batchSize: BATCH, shuffle: false, verbose: 0 });
  const seconds = (performance.now() - t0) / 1000;
  const valAccuracy = accuracy(model, t.vx, t.valY);
  model.dispose();
  return { seconds, valAccuracy };
}

/** A long-running PyTorch reference process, driven one command at a time. */
export interface TorchReference {
  version: string;
  run(command: 'warmup' | 'run'): Promise<RunResult>;
  /** PyTorch's ms for the reference net's second convolution: forward, and forward + both gradients. */
  conv(): Promise<{ forwardMs: number; forwardBackwardMs: number }>;
  /** PyTorch's ms for one step of the NAS-Bench-Digits supernet (bench/engine.ts), with its breakdown. */
  supernet(): Promise<Record<string, number>>;
  /** PyTorch's median ms for one first-order DARTS search epoch on that supernet (bench/darts.ts), and its steps. */
  dartsEpoch(): Promise<{ epochMs: number; steps: number }>;
  close(): void;
}

export function findTorchPython(): string | null {
  for (const py of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return null;
}

export async function startTorch(py: string, d: Digits): Promise<TorchReference> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-bench-'));
  const spec = path.join(dir, 'spec.json');
  fs.writeFileSync(spec, JSON.stringify({
    train_x: Array.from(d.trainX), train_y: Array.from(d.trainY), val_x: Array.from(d.valX), val_y: Array.from(d.valY),
    epochs: EPOCHS, batch_size: BATCH, lr: LR, seed: 0,
  }));
  const script = path.join(__dirname, '..', '..', 'bench', 'torch_reference.py');
  const child = spawn(py, [script, spec], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, OMP_NUM_THREADS: '1' } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const r = await lines.next();
    if (r.done) throw new Error(`the PyTorch reference exited: ${stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
    return JSON.parse(r.value) as Record<string, unknown>;
  };
  try {
    const ready = await next();
    fs.rmSync(dir, { recursive: true, force: true });
    return {
      version: `${String(ready.torch)}, ${String(ready.threads)} thread`,
      async run(command) {
        child.stdin.write(`${command}\n`);
        const r = await next();
        return { seconds: Number(r.seconds), valAccuracy: Number(r.val_accuracy) };
      },
      async conv() {
        child.stdin.write('conv\n');
        const r = await next();
        return { forwardMs: Number(r.forward_ms), forwardBackwardMs: Number(r.forward_backward_ms) };
      },
      async supernet() {
        child.stdin.write('supernet\n');
        const r = await next();
        return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)]));
      },
      async dartsEpoch() {
        child.stdin.write('darts_epoch\n');
        const r = await next();
        return { epochMs: Number(r.epoch_ms), steps: Number(r.steps) };
      },
      close() {
        child.stdin.end('quit\n');
      },
    };
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    child.kill();
    throw error;
  }
}

/**
 * Wall time per kernel name while `fn` runs, by wrapping every registered wasm kernel function in
 * a timer (restored afterwards). Only outermost calls count, so a composed kernel's time includes
 * the kernels it runs inside and nothing is counted twice. Unlike tf.profile this reads no outputs,
 * so the measured run is as fast as an unmeasured one.
 */
async function timeKernelsDuring(fn: () => Promise<void>): Promise<{ wallMs: number; byName: Map<string, { ms: number; calls: number }> }> {
  const byName = new Map<string, { ms: number; calls: number }>();
  const configs = tf.getKernelsForBackend('wasm');
  const originals = configs.map((c) => c.kernelFunc);
  let depth = 0;
  configs.forEach((config, i) => {
    const inner = originals[i];
    config.kernelFunc = (args) => {
      if (depth > 0) return inner(args);
      depth++;
      const t0 = performance.now();
      try {
        return inner(args);
      } finally {
        const e = byName.get(config.kernelName) ?? { ms: 0, calls: 0 };
        e.ms += performance.now() - t0;
        e.calls += 1;
        byName.set(config.kernelName, e);
        depth--;
      }
    };
  });
  try {
    const t0 = performance.now();
    await fn();
    return { wallMs: performance.now() - t0, byName };
  } finally {
    configs.forEach((config, i) => { config.kernelFunc = originals[i]; });
  }
}

/** Where the time of one epoch of fit goes: kernel by kernel, and outside the kernels. */
async function profileEpoch(t: DigitTensors, steps: number): Promise<void> {
  const model = referenceModel(createRng('profile'));
  const fitOnce = async () => { await model.fit(t.xs, t.ys, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 }); };
  await fitOnce(); // warm-up
  // The median epoch of three, by wall time.
  const epochs = [];
  for (let i = 0; i < 3; i++) epochs.push(await timeKernelsDuring(fitOnce));
  epochs.sort((a, b) => a.wallMs - b.wallMs);
  const { wallMs, byName } = epochs[1];
  model.dispose();
  const total = [...byName.values()].reduce((a, b) => a + b.ms, 0);
  const calls = [...byName.values()].reduce((a, b) => a + b.calls, 0);
  const sorted = [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const top = sorted.slice(0, 10);
  const rest = sorted.slice(10);
  const restMs = rest.reduce((a, [, e]) => a + e.ms, 0);
  const restCalls = rest.reduce((a, [, e]) => a + e.calls, 0);
  const row = (kernel: string, callCount: number | null, ms: number) => ({
    kernel,
    'calls / step': callCount === null ? '-' : fmt(callCount / steps, 1),
    'ms / step': fmt(ms / steps, 3),
    share: `${fmt((100 * ms) / wallMs, 1)}%`,
  });
  const rows = top.map(([name, e]) => row(name, e.calls, e.ms));
  rows.push(row(`${rest.length} other kernels`, restCalls, restMs));
  rows.push(row('outside kernels: Layers loop, engine, tape, JS', null, Math.max(0, wallMs - total)));
  printTable(`Where a training step goes: one epoch of fit = ${steps} steps, ${fmt(wallMs / steps, 2)} ms/step, ` +
    `${fmt(calls / steps, 0)} kernel calls/step (each kernel timed, outermost calls only)`, rows);
}

/** The reference net's second convolution, op by op: wasm with the pack and composed, against PyTorch. */
async function compareOneConv(torch: TorchReference): Promise<void> {
  const c = CONV_CASES[0];
  const repeats = Math.max(9, REPEATS * 8);
  const t = await torch.conv();
  for (const pack of [true, false]) {
    const [fwd, input, filter] = withKernelPack(pack, () => ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter']
      .map((k) => timeOne(() => convTimed(c, k), k, repeats) ?? NaN));
    console.log(`one convolution (${c.label}), ${pack ? 'pack' : 'composed'}: forward ${fmt(fwd, 3)} ms + input gradient ${fmt(input, 3)} ms ` +
      `+ filter gradient ${fmt(filter, 3)} ms = ${fmt(fwd + input + filter, 3)} ms; PyTorch forward ${fmt(t.forwardMs, 3)} ms, ` +
      `forward + both gradients ${fmt(t.forwardBackwardMs, 3)} ms (ratio ${fmt((fwd + input + filter) / t.forwardBackwardMs, 1)})`);
  }
}

/** The ratio of each alternating pair, and their median: the figure the machine's load moves least. */
function pairRatios(ours: RunResult[], theirs: RunResult[]): { median: number; pairs: number[] } {
  const pairs = ours.map((r, i) => r.seconds / theirs[i].seconds);
  return { median: median(pairs), pairs };
}

async function benchReferenceRun(): Promise<void> {
  const d = loadDigits(createRng('bench-digits'));
  const t = digitTensors(d);
  const py = findTorchPython();
  let torch: TorchReference | null = null;
  let torchNote = 'PyTorch baseline skipped: no python3 here can import torch';
  if (py !== null) {
    try {
      torch = await startTorch(py, d);
      torchNote = `PyTorch ${torch.version} via ${py}`;
    } catch (error) {
      torchNote = `PyTorch baseline skipped: ${(error as Error).message}`;
    }
  }
  const engines = [
    { label: `tfjs ${tf.version.tfjs} wasm + kernel pack, LayersModel.fit`, short: 'fit+pack', pack: true },
    { label: `tfjs ${tf.version.tfjs} wasm + composed kernels (pack off), LayersModel.fit`, short: 'fit composed', pack: false },
  ];
  try {
    for (const e of engines) await withKernelPack(e.pack, () => trainTfjs(t, 'warm-up', 1));
    if (torch) await torch.run('warmup');
    const runs: RunResult[][] = engines.map(() => []);
    const theirs: RunResult[] = [];
    for (let i = 0; i < REPEATS; i++) {
      for (let k = 0; k < engines.length; k++) runs[k].push(await withKernelPack(engines[k].pack, () => trainTfjs(t, `run-${i}`, EPOCHS)));
      if (torch) theirs.push(await torch.run('run'));
    }
    const row = (engine: string, rs: RunResult[]) => ({
      engine,
      'median s': fmt(median(rs.map((r) => r.seconds)), 2),
      runs: rs.map((r) => fmt(r.seconds, 2)).join(' '),
      'val accuracy': rs.map((r) => fmt(r.valAccuracy, 3)).join(' '),
    });
    const rows = engines.map((e, k) => row(e.label, runs[k]));
    if (theirs.length > 0) rows.push(row(torchNote, theirs));
    printTable(`Reference run: 2-conv net on digits (${d.trainY.length} train / ${d.valY.length} validation), ` +
      `${EPOCHS} epochs, batch ${BATCH}, Adam ${LR}, no shuffling; ${REPEATS} runs each after a warm-up, alternating`, rows);
    if (torch !== null && theirs.length > 0) {
      engines.forEach((e, k) => {
        const r = pairRatios(runs[k], theirs);
        console.log(`ratio ${e.short}/PyTorch: ${fmt(r.median, 2)} (median of ${r.pairs.length} alternating pairs: ${r.pairs.map((x) => fmt(x, 2)).join(' ')})`);
      });
      await compareOneConv(torch);
    } else {
      console.log(torchNote);
    }
  } finally {
    torch?.close();
  }
  await profileEpoch(t, Math.ceil(d.trainY.length / BATCH));
  t.dispose();
}

/** The cell NAS-Bench-Digits trains in the bench: every kind of operation of the space once. */
export const DIGITS_BENCH_CELL = '|conv3x3~0|+|skip~0|avgpool3x3~1|+|conv3x3~0|conv1x1~1|conv1x1~2|';

/**
 * One NAS-Bench-Digits cell trained by train() under the table's protocol, with the pack off (the
 * tape path on the composed kernels: how the table is built, its rows pinned to them) and on (the
 * tape-free step), alternating. Run by the engine section.
 */
export async function benchDigitsCell(): Promise<void> {
  const protocol = DEFAULT_DIGITS_PROTOCOL;
  const data = digitsBenchData(protocol);
  const arch = nb201CellArch(parseNb201Cell(DIGITS_BENCH_CELL));
  const once = (pack: boolean) => withKernelPack(pack, async () => {
    const t0 = performance.now();
    const r = await train(arch, data, { rng: createRng('nas-bench-digits/seed0'), ...protocol.training, network: protocol.network });
    return { seconds: (performance.now() - t0) / 1000, accuracy: r.testAccuracy, step: r.step };
  });
  await once(true); // warm-up
  const repeats = Math.max(3, REPEATS);
  const off: Array<{ seconds: number; accuracy: number; step: string }> = [];
  const on: Array<{ seconds: number; accuracy: number; step: string }> = [];
  for (let i = 0; i < repeats; i++) {
    off.push(await once(false));
    on.push(await once(true));
  }
  const ratios = off.map((r, i) => r.seconds / on[i].seconds);
  printTable(`NAS-Bench-Digits: one cell ${DIGITS_BENCH_CELL}, the table's protocol (${protocol.training.epochs} epochs, ` +
    `batch ${protocol.training.batchSize}, ${protocol.network.channels} channels), ${repeats} runs each, alternating`, [
    { kernels: `composed, pack off (how the table is built): ${off[0].step} step`, 'median s': fmt(median(off.map((r) => r.seconds)), 2), runs: off.map((r) => fmt(r.seconds, 2)).join(' '), 'test accuracy': off.map((r) => fmt(r.accuracy, 3)).join(' ') },
    { kernels: `kernel pack: ${on[0].step} step`, 'median s': fmt(median(on.map((r) => r.seconds)), 2), runs: on.map((r) => fmt(r.seconds, 2)).join(' '), 'test accuracy': on.map((r) => fmt(r.accuracy, 3)).join(' ') },
  ]);
  console.log(`NAS-Bench-Digits cell training, composed/pack: ${fmt(median(ratios), 2)} (median of ${ratios.length} alternating pairs: ${ratios.map((x) => fmt(x, 2)).join(' ')})`);
}

/** Runs the kernel table and the reference training run; prints tables to stdout. */
export async function benchKernels(): Promise<void> {
  await useWasmBackend();
  const load = os.loadavg().map((x) => x.toFixed(1)).join(' ');
  console.log(`\n== Kernels: tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}, node ${process.version}, ` +
    `${os.cpus().length} cpus (${os.cpus()[0]?.model ?? '?'}), load average ${load}, ${new Date().toISOString()}`);
  const status = kernelPackStatus();
  console.log(`kernel pack: ${status.loaded ? 'loaded' : `not loaded (${status.reason}): the pack rows repeat the composed kernels`}`);
  setKernelPack(true);
  await benchKernelTable();
  await benchReferenceRun();
}
