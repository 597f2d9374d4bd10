/**
 * nasbook's kernels for the tfjs wasm backend, in one list, registered once: the composed gradient
 * kernels below, and in front of them (and of a few built-ins) the SIMD kernel pack of ../pack,
 * which hands each call back to them when it is switched off, did not load or does not cover it.
 *
 * The wasm backend ships fast forward convolutions and matrix products (XNNPACK) but no
 * Conv2DBackpropFilter and no depthwise backprop kernels, a Conv2DBackpropInput that is a plain
 * loop, and a BatchMatMul whose transpose flags take a slow path; so convolution networks cannot
 * train on it out of the box, and dense layers train slowly. Each kernel here composes its result
 * from the backend's fast kernels (see each file). `registerWasmKernels()` installs them, replacing
 * a built-in of the same name, which is kept so `unregisterWasmKernels()` can put it back (the
 * benchmark does this to time the built-ins in the same run).
 */
import { Conv2D, FusedConv2D, getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
import { displacedBuiltin, rememberDisplaced, takeDisplaced } from './compose';
import {
  packBatchMatMul,
  packConv2d,
  packConv2dBackpropFilter,
  packConv2dBackpropInput,
  packFusedConv2d,
  packFusedMatMul,
  packOr,
} from '../pack';
import { batchMatMulWasm, fusedMatMulWasm } from './batchMatMul';
import { conv2dBackpropFilterWasm } from './conv2dBackpropFilter';
import { conv2dBackpropInputWasm } from './conv2dBackpropInput';
import { depthwiseBackpropFilterWasm } from './depthwiseBackpropFilter';
import { depthwiseBackpropInputWasm } from './depthwiseBackpropInput';

export { batchMatMulWasm, fusedMatMulWasm } from './batchMatMul';
export { conv2dBackpropFilterWasm } from './conv2dBackpropFilter';
export { conv2dBackpropInputWasm } from './conv2dBackpropInput';
export { depthwiseBackpropFilterWasm } from './depthwiseBackpropFilter';
export { depthwiseBackpropInputWasm } from './depthwiseBackpropInput';

/**
 * Every kernel nasbook registers for the wasm backend. The pack's kernels stand in front of the
 * composed ones (or of the built-in forward kernels, which registration displaces and keeps).
 */
export const wasmGradientKernels: readonly KernelConfig[] = [
  packOr(conv2dBackpropFilterWasm, packConv2dBackpropFilter),
  packOr(conv2dBackpropInputWasm, packConv2dBackpropInput),
  depthwiseBackpropFilterWasm,
  depthwiseBackpropInputWasm,
  packOr(batchMatMulWasm, packBatchMatMul),
  packOr(displacedBuiltin(Conv2D, 'wasm'), packConv2d),
  packOr(displacedBuiltin(FusedConv2D, 'wasm'), packFusedConv2d),
  packOr(fusedMatMulWasm, packFusedMatMul),
];

function registryKey(config: KernelConfig): string {
  return `${config.backendName}_${config.kernelName}`;
}

function lookupKernel(kernelName: string, backendName: string): KernelConfig | undefined {
  // getKernel is typed as always returning a config; it returns undefined when none is registered.
  return getKernel(kernelName, backendName) as KernelConfig | undefined;
}

/**
 * Checks that a kernel list names each (backend, kernel) pair once: tfjs's registry keeps one
 * kernel per pair, so a duplicate would silently shadow its twin.
 *
 * @param list The kernel configs.
 * @throws Error naming the duplicated kernel.
 * @example
 * checkKernelList(wasmGradientKernels); // passes
 */
export function checkKernelList(list: readonly KernelConfig[]): void {
  const seen = new Set<string>();
  for (const config of list) {
    const key = registryKey(config);
    if (seen.has(key)) {
      throw new Error(`nasbook kernels: the list names kernel '${config.kernelName}' for backend '${config.backendName}' twice`);
    }
    seen.add(key);
  }
}

/**
 * Registers every kernel of `list` that is not registered yet, replacing (and remembering) a
 * different kernel registered under the same name. Calling it again changes nothing.
 *
 * @param list The kernel configs; checked for duplicates before anything is registered.
 * @returns The names of the kernels registered by this call (empty when all already were).
 * @throws Error if the list names a kernel twice.
 * @example
 * registerKernelList(wasmGradientKernels); // ['Conv2DBackpropFilter', ...] the first time, [] after
 */
export function registerKernelList(list: readonly KernelConfig[]): string[] {
  checkKernelList(list);
  const added: string[] = [];
  for (const config of list) {
    const current = lookupKernel(config.kernelName, config.backendName);
    if (current === config) continue;
    if (current !== undefined) {
      rememberDisplaced(current);
      unregisterKernel(config.kernelName, config.backendName);
    }
    registerKernel(config);
    added.push(config.kernelName);
  }
  return added;
}

/**
 * Removes every kernel of `list` that is registered, putting back the built-in each one replaced.
 *
 * @param list The kernel configs.
 * @returns The names of the kernels removed by this call.
 * @example
 * unregisterKernelList(wasmGradientKernels);
 */
export function unregisterKernelList(list: readonly KernelConfig[]): string[] {
  const removed: string[] = [];
  for (const config of list) {
    if (lookupKernel(config.kernelName, config.backendName) !== config) continue;
    unregisterKernel(config.kernelName, config.backendName);
    const original = takeDisplaced(config.kernelName, config.backendName);
    if (original !== undefined) registerKernel(original);
    removed.push(config.kernelName);
  }
  return removed;
}

/**
 * Registers nasbook's gradient kernels for the wasm backend (once; later calls do nothing). Safe
 * to call before or after the wasm backend is initialised: the kernels need no setup.
 *
 * @returns The names of the kernels registered by this call.
 * @throws Error if the kernel list names a kernel twice.
 * @example
 * await tf.setBackend('wasm');
 * registerWasmKernels(); // ['Conv2DBackpropFilter', 'Conv2DBackpropInput', ...]
 */
export function registerWasmKernels(): string[] {
  return registerKernelList(wasmGradientKernels);
}

/**
 * Removes nasbook's wasm gradient kernels and restores the built-ins they replaced (the benchmark
 * uses this to time the original Conv2DBackpropInput in the same run).
 *
 * @returns The names of the kernels removed.
 * @example
 * unregisterWasmKernels();
 */
export function unregisterWasmKernels(): string[] {
  return unregisterKernelList(wasmGradientKernels);
}

/** One kernel's registration state, for `nasbook doctor`. */
export interface WasmKernelState {
  kernelName: string;
  /** nasbook's kernel is the one registered for 'wasm'. */
  registered: boolean;
  /** Some other kernel (a built-in) is registered under the name instead. */
  builtinPresent: boolean;
}

/**
 * Which of nasbook's wasm gradient kernels are registered right now.
 *
 * @returns One entry per kernel of the list.
 * @example
 * wasmKernelStatus().every((k) => k.registered); // true after registerWasmKernels()
 */
export function wasmKernelStatus(): WasmKernelState[] {
  return wasmGradientKernels.map((config) => {
    const current = lookupKernel(config.kernelName, config.backendName);
    return {
      kernelName: config.kernelName,
      registered: current === config,
      builtinPresent: current !== undefined && current !== config,
    };
  });
}
