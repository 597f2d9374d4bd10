import { describe, it, expect, vi } from 'vitest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { backendInfo, detectNativeTfjsNode, init } from '../../src/tensor/backend';
import { createRng, type Rng } from '../../src/core/rng';

// The tests in this file run in order and share one process: the first one makes the first init call.

describe('init', () => {
  it('picks wasm here (no native tfjs-node), logs once, and returns one shared result', async () => {
    expect(backendInfo()).toBeNull();
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    try {
      const [a, b] = await Promise.all([init(), init()]);
      const c = await init({ quiet: true });
      expect(a).toEqual({ backend: 'wasm', native: false });
      expect(b).toBe(a);
      expect(c).toBe(a);
      expect(backendInfo()).toBe(a);
      expect(Object.isFrozen(a)).toBe(true);
      expect(tf.getBackend()).toBe('wasm');
      expect(info).toHaveBeenCalledTimes(1);
      expect(info.mock.calls[0][0]).toBe("nasbook: tfjs engine 'wasm'");
    } finally {
      info.mockRestore();
    }
  });

  it('accepts a matching preference and refuses to switch engines afterwards', async () => {
    await expect(init({ prefer: 'wasm' })).resolves.toEqual({ backend: 'wasm', native: false });
    await expect(init({ prefer: 'cpu' })).rejects.toThrow(
      "init: the tfjs engine is already 'wasm' (chosen by the first init call); it cannot switch to 'cpu' in this process",
    );
    expect(tf.getBackend()).toBe('wasm');
  });

  it('validates its options', async () => {
    await expect(init({ prefer: 'gpu' as never })).rejects.toThrow("init: 'opts.prefer' must be one of \"wasm\", \"cpu\", got \"gpu\"");
    await expect(init({ quiet: 'yes' as never })).rejects.toThrow("init: 'opts.quiet' must be a boolean, got \"yes\"");
    await expect(init(null as never)).rejects.toThrow("init: 'opts' must be an object, got null");
  });

  it('loads the wasm binary from the package folder (SIMD build in Node)', async () => {
    // Threads are off in Node, so tfjs picks the SIMD binary when WebAssembly SIMD validates.
    expect(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
    const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    expect(fs.existsSync(path.join(dist, 'tfjs-backend-wasm-simd.wasm'))).toBe(true);
    const x = tf.tensor1d([1, -2, 3]);
    const y = x.square().sum();
    expect(await y.data()).toEqual(new Float32Array([14]));
    tf.dispose([x, y]);
  });
});

describe('detectNativeTfjsNode', () => {
  function fakeInstall(name: string): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-tfjs-node-'));
    const dir = path.join(root, 'node_modules', '@tensorflow', 'tfjs-node');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '4.22.0', main: 'index.js' }));
    return root;
  }

  it('sees through the danfojs-node alias installed in this repository', () => {
    // require.resolve finds a package in that folder, but it is plain @tensorflow/tfjs.
    expect(() => require.resolve('@tensorflow/tfjs-node')).not.toThrow();
    const status = detectNativeTfjsNode();
    expect(status.available).toBe(false);
    expect(status.reason).toContain('"@tensorflow/tfjs"');
    expect(status.reason).toContain('alias');
  });

  it('accepts a folder whose package.json names the real package, without loading it', () => {
    const root = fakeInstall('@tensorflow/tfjs-node');
    try {
      const status = detectNativeTfjsNode([root]);
      expect(status.available).toBe(true);
      expect(status.reason).toContain(root);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('rejects an alias folder and reports a missing package', () => {
    const root = fakeInstall('@tensorflow/tfjs');
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-empty-'));
    try {
      expect(detectNativeTfjsNode([root]).available).toBe(false);
      // Resolution walks up from `empty` to the filesystem root; /tmp has no node_modules.
      expect(detectNativeTfjsNode([empty])).toEqual({ available: false, reason: '@tensorflow/tfjs-node is not installed' });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});

/** 128 points in [-1, 1]², label 1 when x·y > 0 (the XOR quadrants): not linearly separable. */
function quadrantData(rng: Rng): { xs: number[][]; ys: number[] } {
  const xs: number[][] = [];
  const ys: number[] = [];
  for (let i = 0; i < 128; i++) {
    const a = rng.uniform(-1, 1);
    const b = rng.uniform(-1, 1);
    xs.push([a, b]);
    ys.push(a * b > 0 ? 1 : 0);
  }
  return { xs, ys };
}

async function trainMlp(seed: number, epochs: number): Promise<{ losses: number[]; accuracy: number }> {
  const rng = createRng(seed);
  const { xs, ys } = quadrantData(rng.child('data'));
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [2],
        units: 16,
        activation: 'tanh',
        kernelInitializer: tf.initializers.glorotUniform({ seed: rng.uint32() }),
        biasInitializer: 'zeros',
      }),
      tf.layers.dense({
        units: 1,
        activation: 'sigmoid',
        kernelInitializer: tf.initializers.glorotUniform({ seed: rng.uint32() }),
        biasInitializer: 'zeros',
      }),
    ],
  });
  const optimizer = tf.train.adam(0.05);
  model.compile({ optimizer, loss: 'binaryCrossentropy' });
  const x = tf.tensor2d(xs);
  const y = tf.tensor2d(ys, [ys.length, 1]);
  // shuffle: false because tfjs shuffles batches with Math.random; full batches keep it deterministic.
  const history = await model.fit(x, y, { epochs, batchSize: 128, shuffle: false, verbose: 0 });
  const predicted = tf.tidy(() => (model.predict(x) as tf.Tensor).greater(0.5).cast('float32').equal(y).mean());
  const accuracy = (await predicted.data())[0];
  tf.dispose([x, y, predicted]);
  model.dispose();
  optimizer.dispose();
  return { losses: history.history.loss as number[], accuracy };
}

describe('a small MLP trains on wasm', () => {
  it('learns the XOR quadrants: the loss falls from chance to a small value', async () => {
    await init({ quiet: true });
    const { losses, accuracy } = await trainMlp(1, 150);
    // Chance level for balanced binary labels is ln 2 ≈ 0.693.
    expect(losses[0]).toBeGreaterThan(0.6);
    expect(losses[0]).toBeLessThan(0.8);
    // Measured here: 0.700 at epoch 1, 0.062 at epoch 50, 0.013 at epoch 150; bounds leave room
    // for small float differences between machines, not for a network that fails to learn.
    expect(losses[49]).toBeLessThan(0.15);
    expect(losses[losses.length - 1]).toBeLessThan(0.05);
    expect(accuracy).toBeGreaterThan(0.95);
  });

  it('repeats exactly with the same seeds, and differs with another seed', async () => {
    const a = await trainMlp(2, 20);
    const b = await trainMlp(2, 20);
    const c = await trainMlp(3, 20);
    expect(a.losses).toEqual(b.losses);
    expect(c.losses).not.toEqual(a.losses);
  });

  it('leaves no tensors behind after dispose and tidy', async () => {
    await trainMlp(4, 3); // warm up lazily created engine state before counting
    const before = tf.memory().numTensors;
    await trainMlp(4, 5);
    const kept = tf.tidy(() => tf.ones([3, 3]).matMul(tf.ones([3, 3])).add(1));
    expect(tf.memory().numTensors).toBe(before + 1);
    kept.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
