/**
 * Loads nasbook's kernel pack (the SIMD module built from ./assembly by `npm run build:pack`) into
 * the tfjs wasm backend's memory, after checking that the backend is the one the pack was written
 * against.
 *
 * Why this is guarded: the pack reads and writes tensors where the backend keeps them, through
 * internals of tfjs-backend-wasm that are not public API (the Emscripten module's exported memory,
 * the per-tensor `memoryOffset`, `makeOutput`). They are stable in the pinned version; any other
 * version, a backend without them, or a missing .wasm makes the probe say why, and the kernels fall
 * back to the composed ones in ../kernels. Nothing here runs on another backend.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TensorInfo } from '@tensorflow/tfjs';
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';
import { packageRoot } from '../../core/paths';

/** The tfjs-backend-wasm version whose internals the pack was written and tested against. */
export const PACK_TFJS_WASM_VERSION = '4.22.0';

/** The kernels the compiled module exports (see ./assembly/index.ts for what each computes). */
export interface PackExports {
  transposeBatched(from: number, to: number, count: number, rows: number, cols: number): void;
  conv2d(
    x: number, w: number, bias: number, out: number, hasBias: number, relu: number,
    batch: number, inH: number, inW: number, inC: number, kH: number, kW: number, outC: number,
    sH: number, sW: number, padT: number, padL: number, outH: number, outW: number,
  ): void;
  conv2dBackpropInput(
    dy: number, wT: number, dx: number,
    batch: number, inH: number, inW: number, inC: number, kH: number, kW: number, outC: number,
    sH: number, sW: number, padT: number, padL: number, outH: number, outW: number,
  ): void;
  conv2dBackpropFilter(
    x: number, dy: number, dw: number,
    batch: number, inH: number, inW: number, inC: number, kH: number, kW: number, outC: number,
    sH: number, sW: number, padT: number, padL: number, outH: number, outW: number,
  ): void;
  matMul(a: number, b: number, bias: number, out: number, hasBias: number, relu: number, m: number, k: number, n: number): void;
  matMulTN(a: number, b: number, out: number, rows: number, m: number, n: number): void;
  relu(x: number, out: number, n: number): void;
  reluGrad(dy: number, y: number, dx: number, n: number): void;
  addInPlace(out: number, x: number, n: number): void;
  biasGrad(dy: number, db: number, rows: number, cols: number): void;
  adam(p: number, g: number, m: number, v: number, n: number, lr: number, beta1: number, beta2: number, epsilon: number, c1: number, c2: number): void;
  sgd(p: number, g: number, acc: number, n: number, lr: number, momentum: number): void;
  copyTo(x: number, out: number, n: number): void;
  zeroFill(out: number, n: number): void;
  batchNormForward(
    x: number, gamma: number, beta: number, y: number, xHat: number, mean: number, variance: number, invStd: number,
    rows: number, c: number, epsilon: number,
  ): void;
  movingAverage(moving: number, batch: number, c: number, momentum: number, scale: number): void;
  batchNormBackward(dy: number, xHat: number, gamma: number, invStd: number, dx: number, dGamma: number, dBeta: number, rows: number, c: number): void;
  avgPool(x: number, out: number, batch: number, inH: number, inW: number, c: number, k: number, s: number, padT: number, padL: number, outH: number, outW: number): void;
  avgPoolGrad(dy: number, dx: number, batch: number, inH: number, inW: number, c: number, k: number, s: number, padT: number, padL: number, outH: number, outW: number): void;
  globalAvgPool(x: number, out: number, batch: number, hw: number, c: number): void;
  globalAvgPoolGrad(dy: number, dx: number, batch: number, hw: number, c: number): void;
}

const EXPORTED: readonly (keyof PackExports)[] = [
  'transposeBatched', 'conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter', 'matMul',
  'matMulTN', 'relu', 'reluGrad', 'addInPlace', 'biasGrad', 'adam', 'sgd', 'copyTo', 'zeroFill',
  'batchNormForward', 'movingAverage', 'batchNormBackward', 'avgPool', 'avgPoolGrad', 'globalAvgPool', 'globalAvgPoolGrad',
];

/** The pack bound to one wasm backend: its kernels and the backend's buffers by pointer. */
export interface KernelPack {
  readonly kernels: PackExports;
  /** Byte offset of a float32 tensor's values in the shared memory. */
  pointer(t: TensorInfo): number;
  /** A new float32 tensor of `shape` owned by the backend (its values are whatever the heap held). */
  allocate(shape: number[]): TensorInfo;
  /** Frees a tensor made by `allocate` that is not handed back to tfjs. */
  release(t: TensorInfo): void;
  /** The shared memory as floats, indexed by byte offset / 4 (a fresh view: the memory may have grown). */
  heap(): Float32Array;
}

/** What {@link probeKernelPack} found: the pack, or one sentence saying why not. */
export type PackProbe = { ok: true; pack: KernelPack } | { ok: false; reason: string };

/** The parts of tfjs-backend-wasm's BackendWasm the pack uses (internal in 4.22). */
interface WasmBackendInternals {
  wasm: { asm?: { memory?: unknown } };
  dataIdMap: { get(dataId: object): { memoryOffset?: unknown } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** Where `npm run build` puts the compiled pack. */
export function packWasmPath(): string {
  return path.join(packageRoot(), 'dist', 'tensor', 'pack', 'kernels.wasm');
}

function backendMemory(backend: unknown): { internals: WasmBackendInternals; memory: WebAssembly.Memory } | string {
  if (typeof backend !== 'object' || backend === null) return 'the backend is not an object';
  const b = backend as Partial<WasmBackendInternals>;
  const memory = b.wasm?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return 'the wasm backend does not expose its WebAssembly.Memory (wasm.asm.memory)';
  if (typeof b.dataIdMap?.get !== 'function' || typeof b.makeOutput !== 'function' || typeof b.disposeData !== 'function') {
    return 'the wasm backend lacks dataIdMap/makeOutput/disposeData';
  }
  return { internals: b as WasmBackendInternals, memory };
}

/**
 * Section ids of a WebAssembly binary, in order. The pack must have no data section (id 11): data
 * segments would be copied into the backend's heap at their fixed offsets when the module starts.
 * @param bytes a WebAssembly binary
 * @throws Error if the bytes are not a WebAssembly binary
 * @example wasmSectionIds(fs.readFileSync(packWasmPath())) // [1, 2, 3, 7, 10] (types, imports, functions, exports, code)
 */
export function wasmSectionIds(bytes: Uint8Array): number[] {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new Error('wasmSectionIds: not a WebAssembly binary (no \\0asm header)');
  }
  const ids: number[] = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at++];
    let size = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[at++];
      size |= (byte & 0x7f) << shift;
      shift += 7;
      if ((byte & 0x80) === 0) break;
    }
    ids.push(id);
    at += size;
  }
  return ids;
}

function instantiate(memory: WebAssembly.Memory): PackExports | string {
  const file = packWasmPath();
  if (!fs.existsSync(file)) return `${file} is missing (\`npm run build\` makes it)`;
  const bytes = fs.readFileSync(file);
  if (wasmSectionIds(bytes).includes(11)) return `${file} has a data section, which would overwrite the backend's heap`;
  // Synchronous compile: the module is a few kilobytes, and kernels cannot await.
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  const exports = instance.exports as Record<string, unknown>;
  const missing = EXPORTED.filter((name) => typeof exports[name] !== 'function');
  if (missing.length > 0) return `${file} does not export ${missing.join(', ')}`;
  return exports as unknown as PackExports;
}

const probes = new WeakMap<object, PackProbe>();

/**
 * The kernel pack for a wasm backend object, loaded on first use and cached per backend; or why it
 * cannot be used (another tfjs-backend-wasm version, missing internals, no compiled module).
 * @param backend the backend object a kernel receives
 * @returns `{ ok: true, pack }` or `{ ok: false, reason }`
 * @throws never; every failure becomes a reason
 * @example probeKernelPack(tf.backend()) // { ok: true, pack } on the pinned tfjs-backend-wasm
 */
export function probeKernelPack(backend: unknown): PackProbe {
  if (typeof backend !== 'object' || backend === null) return { ok: false, reason: 'no backend object' };
  const cached = probes.get(backend);
  if (cached) return cached;
  const probe = loadPack(backend);
  probes.set(backend, probe);
  return probe;
}

function loadPack(backend: object): PackProbe {
  if (version_wasm !== PACK_TFJS_WASM_VERSION) {
    return { ok: false, reason: `tfjs-backend-wasm is ${version_wasm}; the pack reads internals of ${PACK_TFJS_WASM_VERSION} only` };
  }
  const found = backendMemory(backend);
  if (typeof found === 'string') return { ok: false, reason: found };
  let kernels: PackExports | string;
  try {
    kernels = instantiate(found.memory);
  } catch (error) {
    return { ok: false, reason: `the pack failed to instantiate: ${(error as Error).message}` };
  }
  if (typeof kernels === 'string') return { ok: false, reason: kernels };
  const { internals } = found;
  const pack: KernelPack = {
    kernels,
    pointer(t) {
      const offset = internals.dataIdMap.get(t.dataId)?.memoryOffset;
      if (typeof offset !== 'number' || t.dtype !== 'float32') {
        throw new Error(`nasbook kernel pack: tensor [${t.shape.join(', ')}] (${t.dtype}) has no float32 buffer in wasm memory`);
      }
      return offset;
    },
    allocate(shape) {
      return internals.makeOutput(shape, 'float32');
    },
    release(t) {
      internals.disposeData(t.dataId);
    },
    heap() {
      return new Float32Array(found.memory.buffer);
    },
  };
  return { ok: true, pack };
}
