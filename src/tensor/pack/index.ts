/**
 * nasbook's kernel pack: SIMD convolutions and dense products of our own (./assembly), registered
 * as tfjs kernels for the wasm backend so `fit`, the gradient tape and every existing caller use
 * them. Each pack kernel stands in front of the kernel it replaces (the composed gradient kernels
 * of ../kernels, or a tfjs built-in) and hands the call over whenever the pack is switched off,
 * did not load (see {@link kernelPackStatus}), or does not cover the call.
 *
 * Switching: on by default; `NASBOOK_KERNEL_PACK=off` in the environment starts a process with it
 * off, and {@link setKernelPack} changes it at run time. Results differ from the composed kernels
 * in the last bits of float32 rounding (a different summation order), so a computation that must
 * reproduce numbers made without the pack (NAS-Bench-Digits) runs inside {@link withKernelPack}.
 */
import { backend as tfBackend } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { probeKernelPack } from './loader';
import type { PackKernelFunc } from './conv2d';

export { packConv2d, packFusedConv2d, packConv2dBackpropInput, packConv2dBackpropFilter } from './conv2d';
export type { KernelArgs, PackKernelFunc } from './conv2d';
export { packBatchMatMul, packFusedMatMul } from './matMul';
export { PACK_TFJS_WASM_VERSION, packWasmPath, probeKernelPack, wasmSectionIds } from './loader';
export type { KernelPack, PackExports, PackProbe } from './loader';

function fromEnvironment(): boolean {
  const v = (process.env.NASBOOK_KERNEL_PACK ?? '').trim().toLowerCase();
  return !(v === 'off' || v === '0' || v === 'false' || v === 'no');
}

let wanted = fromEnvironment();

/**
 * Turns the kernel pack on or off for every later kernel call in this process.
 * @param on true to use the pack where it loads and covers a call; false for the composed kernels
 * @throws TypeError if `on` is not a boolean
 * @example setKernelPack(false) // training now runs on the composed kernels
 */
export function setKernelPack(on: boolean): void {
  if (typeof on !== 'boolean') throw new TypeError(`setKernelPack: 'on' must be a boolean, got ${typeof on}`);
  wanted = on;
}

/** Whether the pack is switched on (it may still have failed to load: see {@link kernelPackStatus}). */
export function kernelPackEnabled(): boolean {
  return wanted;
}

/**
 * Runs `fn` with the pack switched to `on`, then restores the previous setting (also if fn throws
 * or its promise rejects).
 * @param on the setting inside fn
 * @param fn the computation; may return a promise
 * @returns what fn returns
 * @example await withKernelPack(false, () => trainCell(cell)) // the numbers the composed kernels give
 */
export function withKernelPack<T>(on: boolean, fn: () => T): T {
  if (typeof on !== 'boolean') throw new TypeError(`withKernelPack: 'on' must be a boolean, got ${typeof on}`);
  const before = wanted;
  wanted = on;
  let result: T;
  try {
    result = fn();
  } catch (error) {
    wanted = before;
    throw error;
  }
  if (result instanceof Promise) return result.finally(() => (wanted = before)) as T;
  wanted = before;
  return result;
}

/** What {@link kernelPackStatus} reports, for `nasbook doctor` and the engine a table records. */
export interface KernelPackStatus {
  /** Switched on (setKernelPack / NASBOOK_KERNEL_PACK). */
  enabled: boolean;
  /** Loaded into this backend, or null before any check. */
  loaded: boolean | null;
  /** One sentence: why it is not loaded, or where it came from. */
  reason: string;
}

/**
 * Whether the pack is switched on and loads into `backend`.
 * @param backend a tfjs backend object (default: the current one, `tf.backend()`); a backend other than wasm reports not loaded
 * @example kernelPackStatus() // { enabled: true, loaded: true, reason: "SIMD kernels loaded into the wasm backend's memory" }
 */
export function kernelPackStatus(backend: unknown = tfBackend()): KernelPackStatus {
  const probe = probeKernelPack(backend);
  return {
    enabled: wanted,
    loaded: probe.ok,
    reason: probe.ok ? 'SIMD kernels loaded into the wasm backend\'s memory' : probe.reason,
  };
}

const served = new Map<string, number>();

/**
 * How many calls the pack has served so far in this process, by kernel name (calls it handed over
 * to the composed or built-in kernels are not counted): how a test or the bench knows the pack ran.
 * @returns a fresh object, kernel name -> calls
 * @example kernelPackCalls() // { Conv2D: 460, Conv2DBackpropFilter: 460, ... } after a few epochs of fit
 */
export function kernelPackCalls(): Record<string, number> {
  return Object.fromEntries(served);
}

/**
 * A kernel config that runs the pack's body when the pack is on, loaded and covers the call, and
 * `fallback`'s function otherwise. The name and backend are the fallback's.
 * @param fallback the kernel the pack stands in front of
 * @param body the pack's implementation
 * @example packOr(conv2dBackpropFilterWasm, packConv2dBackpropFilter)
 */
export function packOr(fallback: KernelConfig, body: PackKernelFunc): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    if (wanted) {
      const probe = probeKernelPack(args.backend);
      if (probe.ok) {
        const out: TensorInfo | null = body(args, probe.pack);
        if (out !== null) {
          served.set(fallback.kernelName, (served.get(fallback.kernelName) ?? 0) + 1);
          return out;
        }
      }
    }
    return fallback.kernelFunc(args);
  };
  return { kernelName: fallback.kernelName, backendName: fallback.backendName, kernelFunc };
}
