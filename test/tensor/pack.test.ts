/**
 * The kernel pack's loading, switching and feature detection. Its kernels are compared with the
 * cpu backend in kernels.test.ts, in the same suites as the composed kernels.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import {
  PACK_TFJS_WASM_VERSION, kernelPackEnabled, kernelPackStatus, packWasmPath, probeKernelPack, setKernelPack, wasmSectionIds, withKernelPack,
} from '../../src/tensor/pack';
import { registerWasmKernels } from '../../src/tensor/kernels';

beforeAll(async () => {
  setWasmPaths(path.join(__dirname, '..', '..', 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + path.sep);
  expect(await tf.setBackend('wasm')).toBe(true);
  registerWasmKernels();
}, 60_000);

afterEach(() => setKernelPack(true));

describe('the compiled pack', () => {
  it('is built into dist/ with no data section (it would overwrite the backend heap) and imports only memory', () => {
    const bytes = fs.readFileSync(packWasmPath());
    const ids = wasmSectionIds(bytes);
    expect(ids).not.toContain(11);
    expect(ids).toContain(10); // code
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(bytes));
    expect(imports).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
  });

  it('the pinned tfjs-backend-wasm is the installed one, and the pack loads into its memory', () => {
    const installed = JSON.parse(fs.readFileSync(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'), 'utf8')) as { version: string };
    expect(installed.version).toBe(PACK_TFJS_WASM_VERSION);
    expect(kernelPackStatus(tf.backend())).toEqual({ enabled: true, loaded: true, reason: "SIMD kernels loaded into the wasm backend's memory" });
  });

  it('wasmSectionIds refuses bytes that are not WebAssembly', () => {
    expect(() => wasmSectionIds(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow('not a WebAssembly binary');
  });
});

describe('feature detection', () => {
  it('says why the pack cannot load into a backend without the wasm internals', () => {
    expect(probeKernelPack(null)).toEqual({ ok: false, reason: 'no backend object' });
    expect(probeKernelPack({})).toEqual({ ok: false, reason: 'the wasm backend does not expose its WebAssembly.Memory (wasm.asm.memory)' });
    const memoryOnly = { wasm: { asm: { memory: new WebAssembly.Memory({ initial: 1 }) } } };
    expect(probeKernelPack(memoryOnly)).toEqual({ ok: false, reason: 'the wasm backend lacks dataIdMap/makeOutput/disposeData' });
  });

  it('a call the pack cannot take goes to the kernel it stands in front of (on a cpu-like backend: the composed kernels)', () => {
    // A conv net's gradient on wasm works whether or not the pack is on; the composed result is the reference.
    const run = () => tf.tidy(() => {
      const x = tf.tensor4d(Array.from({ length: 2 * 5 * 5 * 3 }, (_, i) => Math.sin(i)), [2, 5, 5, 3]);
      const f = tf.tensor4d(Array.from({ length: 3 * 3 * 3 * 4 }, (_, i) => Math.cos(i)), [3, 3, 3, 4]);
      const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'))))([x, f]);
      return [...dx.dataSync(), ...df.dataSync()];
    });
    const pack = withKernelPack(true, run);
    const composed = withKernelPack(false, run);
    expect(pack.length).toBe(composed.length);
    const scale = Math.max(...composed.map(Math.abs));
    expect(Math.max(...pack.map((v, i) => Math.abs(v - composed[i])))).toBeLessThan(1e-5 * scale);
  });
});

describe('switching', () => {
  it('setKernelPack turns the pack off and on; a bad value is refused', () => {
    setKernelPack(false);
    expect(kernelPackEnabled()).toBe(false);
    expect(kernelPackStatus().enabled).toBe(false);
    setKernelPack(true);
    expect(kernelPackEnabled()).toBe(true);
    expect(() => setKernelPack('off' as unknown as boolean)).toThrow("setKernelPack: 'on' must be a boolean, got string");
    expect(() => withKernelPack(1 as unknown as boolean, () => 0)).toThrow("withKernelPack: 'on' must be a boolean, got number");
  });

  it('withKernelPack restores the setting after a value, a throw and a promise', async () => {
    expect(withKernelPack(false, () => kernelPackEnabled())).toBe(false);
    expect(kernelPackEnabled()).toBe(true);
    expect(() => withKernelPack(false, () => { throw new Error('boom'); })).toThrow('boom');
    expect(kernelPackEnabled()).toBe(true);
    const p = withKernelPack(false, async () => kernelPackEnabled());
    await expect(p).resolves.toBe(false);
    expect(kernelPackEnabled()).toBe(true);
    await expect(withKernelPack(false, async () => { throw new Error('late'); })).rejects.toThrow('late');
    expect(kernelPackEnabled()).toBe(true);
  });
});
