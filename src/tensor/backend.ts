/**
 * Chooses the tfjs engine once per process: the native TensorFlow binding when the user installed
 * the real `@tensorflow/tfjs-node`, else WebAssembly, else the plain JavaScript cpu backend.
 *
 * Why the native check reads package.json: nasbook does not depend on tfjs-node (it needs its own
 * libtensorflow download), but danfojs-node's npm override installs plain `@tensorflow/tfjs` under
 * the folder `node_modules/@tensorflow/tfjs-node`. `require.resolve('@tensorflow/tfjs-node')`
 * therefore succeeds without any native code behind it; only the `name` in that folder's
 * package.json tells the real package ('@tensorflow/tfjs-node') from the alias ('@tensorflow/tfjs').
 *
 * The wasm binaries ship inside `@tensorflow/tfjs-backend-wasm/dist`; they are loaded from that
 * folder on disk, so nothing is fetched from the network.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernels } from './kernels';
import { checkOneOf, describe } from '../core/checks';

/** The engines nasbook can run on: 'tensorflow' is the native tfjs-node binding. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** Which engine {@link init} chose. */
export interface BackendInfo {
  readonly backend: BackendName;
  /** True only for the native TensorFlow binding. */
  readonly native: boolean;
}

/** Options of {@link init}. */
export interface InitOptions {
  /** Skip the native binding and use this engine (for tests and comparisons). */
  prefer?: 'wasm' | 'cpu';
  /** Do not log the choice (warnings about a fallback are still printed). */
  quiet?: boolean;
}

/** What {@link detectNativeTfjsNode} found. */
export interface NativeTfjsNodeStatus {
  /** True when the package installed as `@tensorflow/tfjs-node` really is tfjs-node. */
  available: boolean;
  /** One sentence saying why, for the log. */
  reason: string;
}

const NATIVE_PACKAGE = '@tensorflow/tfjs-node';

/**
 * Whether the real native `@tensorflow/tfjs-node` is installed, told apart from danfojs-node's
 * alias of plain `@tensorflow/tfjs` by the `name` in its package.json. Loads no code.
 * @param searchFrom folders to resolve from (default: where nasbook is installed)
 * @throws never; an unreadable package counts as not available
 * @example detectNativeTfjsNode() // here: { available: false, reason: 'the folder @tensorflow/tfjs-node holds "@tensorflow/tfjs", an alias ...' }
 */
export function detectNativeTfjsNode(searchFrom?: string[]): NativeTfjsNodeStatus {
  let manifestPath: string;
  try {
    manifestPath = require.resolve(`${NATIVE_PACKAGE}/package.json`, searchFrom ? { paths: searchFrom } : undefined);
  } catch {
    return { available: false, reason: `${NATIVE_PACKAGE} is not installed` };
  }
  let name: unknown;
  try {
    name = (JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { name?: unknown }).name;
  } catch (error) {
    return { available: false, reason: `${manifestPath} could not be read (${(error as Error).message})` };
  }
  if (name === NATIVE_PACKAGE) return { available: true, reason: `${NATIVE_PACKAGE} is installed at ${path.dirname(manifestPath)}` };
  return {
    available: false,
    reason: `the folder ${NATIVE_PACKAGE} holds ${describe(name)}, an alias without native code (danfojs-node's npm override)`,
  };
}

/** The folder holding tfjs-backend-wasm's .wasm files, with a trailing separator as setWasmPaths expects. */
function wasmFolder(): string {
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + path.sep;
}

let chosen: BackendInfo | null = null;
let pending: Promise<BackendInfo> | null = null;

async function tryNative(warn: (message: string) => void): Promise<boolean> {
  const status = detectNativeTfjsNode();
  if (!status.available) return false;
  try {
    // Registers the 'tensorflow' backend with the shared tfjs-core as a side effect.
    require(NATIVE_PACKAGE);
    if ((await tf.setBackend('tensorflow')) && tf.getBackend() === 'tensorflow') return true;
    warn(`nasbook: ${NATIVE_PACKAGE} is installed but its backend did not start; falling back to wasm.`);
  } catch (error) {
    warn(`nasbook: ${NATIVE_PACKAGE} is installed but failed to load (${(error as Error).message}); falling back to wasm.`);
  }
  return false;
}

async function tryWasm(warn: (message: string) => void): Promise<boolean> {
  try {
    setWasmPaths(wasmFolder());
    if ((await tf.setBackend('wasm')) && tf.getBackend() === 'wasm') {
      // Stock wasm lacks the convolution gradients (and has slow ones): nasbook's kernels fill in.
      registerWasmKernels();
      return true;
    }
    warn('nasbook: the tfjs wasm backend failed to initialise; falling back to the cpu backend, and training will be slow.');
  } catch (error) {
    warn(`nasbook: the tfjs wasm backend failed to initialise (${(error as Error).message}); falling back to the cpu backend, and training will be slow.`);
  }
  return false;
}

async function choose(opts: InitOptions): Promise<BackendInfo> {
  const warn = (message: string) => console.warn(message);
  let info: BackendInfo;
  if (opts.prefer === undefined && (await tryNative(warn))) info = { backend: 'tensorflow', native: true };
  else if (opts.prefer !== 'cpu' && (await tryWasm(warn))) info = { backend: 'wasm', native: false };
  else {
    if (!(await tf.setBackend('cpu'))) throw new Error('init: not even the tfjs cpu backend could start');
    info = { backend: 'cpu', native: false };
  }
  await tf.ready();
  if (!opts.quiet) {
    const note = info.backend === 'cpu' ? ' (plain JavaScript: fine for small tensors, slow for training)' : '';
    console.info(`nasbook: tfjs engine '${info.backend}'${info.native ? ' (native TensorFlow)' : ''}${note}`);
  }
  return Object.freeze(info);
}

function checkInitOptions(opts: unknown): InitOptions {
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`init: 'opts' must be an object, got ${describe(opts)}`);
  const o = opts as InitOptions;
  if (o.prefer !== undefined) checkOneOf('opts.prefer', o.prefer, ['wasm', 'cpu'] as const, 'init');
  if (o.quiet !== undefined && typeof o.quiet !== 'boolean') throw new TypeError(`init: 'opts.quiet' must be a boolean, got ${describe(o.quiet)}`);
  return o;
}

/**
 * Starts tfjs on the best engine available: native tfjs-node if the real package is installed,
 * else wasm, else cpu (with a warning). Logs the choice once. Safe to call any number of times:
 * the first call decides, later and concurrent calls share its promise and get the same frozen
 * object. The engine cannot be switched afterwards.
 * @param opts `{ prefer?: 'wasm' | 'cpu', quiet?: boolean }`
 * @throws (rejects) TypeError/RangeError on bad options; Error if a later call asks for a different engine than the one chosen
 * @example await init() // { backend: 'wasm', native: false } on a machine without tfjs-node
 */
export async function init(opts: InitOptions = {}): Promise<BackendInfo> {
  const options = checkInitOptions(opts);
  if (!pending) {
    pending = choose(options).then(
      (info) => (chosen = info),
      (error: unknown) => {
        pending = null; // let a later call try again
        throw error;
      },
    );
  }
  const info = await pending;
  if (options.prefer !== undefined && options.prefer !== info.backend) {
    throw new Error(
      `init: the tfjs engine is already '${info.backend}' (chosen by the first init call); it cannot switch to '${options.prefer}' in this process`,
    );
  }
  return info;
}

/**
 * The engine chosen by {@link init}, or null before init has finished.
 * @example backendInfo() // null, then { backend: 'wasm', native: false } after `await init()`
 */
export function backendInfo(): BackendInfo | null {
  return chosen;
}
