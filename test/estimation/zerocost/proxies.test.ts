import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/rng';
import { gradNorm, jacobCov, synflowLogScore, zeroCostScores } from '../../../src/estimation/zerocost/proxies';
import { init, tf } from '../../../src/tensor';
import type { CellArch, SupernetCell } from '../../../src/tensor/arch';
import { buildSupernet } from '../../../src/tensor/supernet';

/** A network small enough to score by hand: 2x2x1 inputs, one channel, one stage, a cell whose output is conv1x1(x) + x. */
const cell: CellArch = { kind: 'cell', nodes: 3, edges: [{ from: 0, to: 1, op: 'conv1x1' }, { from: 1, to: 2, op: 'skip' }, { from: 0, to: 2, op: 'skip' }] };
const shape = { inputShape: [2, 2, 1], numClasses: 2, channels: 1, stages: 1, cellsPerStage: 1 };

/** The network's weights as numbers, read from a supernet built with the same seed as the proxies build theirs. */
function weightsOf(seed: number): Record<string, number[]> {
  const sn = buildSupernet(cell as SupernetCell, { ...shape, rng: createRng(seed) });
  const out = Object.fromEntries(sn.weightNames().map((n) => [n, Array.from((sn.weight(n) as tf.Variable).dataSync())]));
  sn.dispose();
  return out;
}

const find = (w: Record<string, number[]>, pattern: RegExp): number[] => {
  const names = Object.keys(w).filter((n) => pattern.test(n));
  expect(names, `exactly one weight matches ${pattern}: ${Object.keys(w).join(', ')}`).toHaveLength(1);
  return w[names[0]];
};

beforeAll(async () => {
  await init();
});

describe('synflow', () => {
  it('equals the score worked by hand in float64 (R, and Euler: each layer on every path contributes R)', () => {
    const w = weightsOf(3);
    const stem = find(w, /^stem\/conv0\/kernel$/).map(Math.abs); // [3, 3, 1, 1]
    const k1 = Math.abs(find(w, /edge1<-0\/conv1x1\/conv0\/kernel$/)[0]);
    const dense = find(w, /^classifier\/dense0\/kernel$/).map(Math.abs); // [1, 2]
    // Stem on an all-ones 2x2 image, 'same' padding: each output sums the taps that land inside.
    let stemSum = 0;
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) {
      const [r, c] = [i + a - 1, j + b - 1];
      if (r >= 0 && r < 2 && c >= 0 && c < 2) stemSum += stem[a * 3 + b];
    }
    const y1 = stemSum / 4; // the mean stem output, what global pooling sees
    const W = dense[0] + dense[1];
    const rConv = W * k1 * y1; // paths through the 1x1 convolution
    const rSkip = W * y1; // the skip path
    const R = rConv + rSkip;
    // Σ|θ ∂R/∂θ|: the stem and the classifier lie on every path (R each); the 1x1 conv on the conv paths only.
    const byHand = R + rConv + R;
    const score = zeroCostScores(cell, { ...shape, rng: createRng(3), batch: { x: tf.ones([2, 2, 2, 1]), y: tf.oneHot([0, 1], 2) }, proxies: ['synflow'] });
    expect(Math.exp(score.synflow as number) / byHand).toBeCloseTo(1, 6);
  });

  it('stays finite on a full-size NAS-Bench-201 network, where the raw score overflows float32', () => {
    const conv3: CellArch = { kind: 'cell', nodes: 4, edges: [[0, 1], [0, 2], [1, 2], [0, 3], [1, 3], [2, 3]].map(([from, to]) => ({ from, to, op: 'conv3x3' as const })) };
    const { synflow } = zeroCostScores(conv3, { inputShape: [32, 32, 3], numClasses: 10, channels: 16, stages: 3, cellsPerStage: 5, rng: createRng(0), batch: { x: tf.ones([1, 32, 32, 3]), y: tf.oneHot([0], 10) }, proxies: ['synflow'] });
    expect(synflow).toBeGreaterThan(Math.log(3.4e38)); // beyond float32's range, yet computed
    expect(Number.isFinite(synflow)).toBe(true);
  }, 120_000);

  it('scores −∞ for a cell no signal crosses, and names the argument for a network without kernels', () => {
    const dead: CellArch = { kind: 'cell', nodes: 2, edges: [{ from: 0, to: 1, op: 'none' }] };
    const s = zeroCostScores(dead, { ...shape, rng: createRng(0), batch: { x: tf.randomNormal([4, 2, 2, 1], 0, 1, 'float32', 1), y: tf.oneHot([0, 1, 0, 1], 2) } });
    expect(s.synflow).toBe(-Infinity);
    expect(s.jacob_cov).toBe(-Infinity);
    expect(() => synflowLogScore({ logits: (x) => x, kernels: [] }, [2, 2, 1])).toThrow(/'net.kernels' must .*at least 1/);
  });
});

/** PyTorch (Debian's python3-torch), the reference proxies' own framework, on the same network and weights. */
function torchProxies(weights: Record<string, number[]>, x: number[], labels: number[]): { grad_norm: number; jacob_cov: number } | null {
  const code = `
import json, sys, numpy as np, torch, torch.nn.functional as F
torch.set_default_dtype(torch.float64)
d = json.load(sys.stdin); w = d['w']
def get(p): return next(torch.tensor(v, dtype=torch.float64) for k, v in w.items() if __import__('re').search(p, k))
def bn(x): return F.batch_norm(x, None, None, training=True, eps=1e-5)
stem = get(r'^stem/conv0/kernel$').reshape(3, 3, 1, 1).permute(3, 2, 0, 1).requires_grad_()
k1 = get(r'conv1x1/conv0/kernel$').reshape(1, 1, 1, 1).requires_grad_()
dense = get(r'^classifier/dense0/kernel$').reshape(1, 2).t().contiguous().requires_grad_()
bias = get(r'^classifier/dense0/bias$')
def net(x):
    y1 = bn(F.conv2d(x, stem, padding=1))
    out = bn(F.conv2d(F.relu(y1), k1)) + y1
    h = F.relu(bn(out)).mean(dim=(2, 3))
    return F.linear(h, dense, bias)
x = torch.tensor(d['x'], dtype=torch.float64).reshape(-1, 2, 2, 1).permute(0, 3, 1, 2).contiguous()
loss = F.cross_entropy(net(x), torch.tensor(d['y']))
loss.backward()
gn = sum(p.grad.norm().item() for p in (stem, k1, dense))
xr = x.clone().requires_grad_()
net(xr).backward(torch.ones(x.shape[0], 2))
j = xr.grad.reshape(x.shape[0], -1).numpy()
v, _ = np.linalg.eig(np.corrcoef(j))
print(json.dumps({'grad_norm': gn, 'jacob_cov': float(np.real(-np.sum(np.log(v + 1e-5) + 1. / (v + 1e-5))))}))
`;
  if (spawnSync('/usr/bin/python3', ['-c', 'import torch, numpy'], { encoding: 'utf8' }).status !== 0) {
    console.warn('python3-torch not installed: grad_norm and jacob_cov are not compared with PyTorch');
    return null;
  }
  const r = spawnSync('/usr/bin/python3', ['-c', code], { input: JSON.stringify({ w: weights, x, y: labels }), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the PyTorch reference failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { grad_norm: number; jacob_cov: number };
}

describe('grad_norm and jacob_cov', () => {
  it('equal PyTorch on the same network, weights and batch (batch norm on batch statistics)', () => {
    const rng = createRng('batch');
    const x = Array.from({ length: 3 * 4 }, () => rng.normal());
    const labels = [0, 1, 1];
    const reference = torchProxies(weightsOf(5), x, labels);
    if (reference === null) return;
    const batch = { x: tf.tensor4d(x, [3, 2, 2, 1]), y: tf.oneHot(labels, 2).toFloat() };
    const s = zeroCostScores(cell, { ...shape, rng: createRng(5), batch, proxies: ['grad_norm', 'jacob_cov'] });
    expect((s.grad_norm as number) / reference.grad_norm).toBeCloseTo(1, 5);
    expect(s.jacob_cov as number).toBeCloseTo(reference.jacob_cov, 3);
  });

  it('gives the same scores for the same seed, and other scores for another', () => {
    const batch = { x: tf.randomNormal([4, 2, 2, 1], 0, 1, 'float32', 7), y: tf.oneHot([0, 1, 0, 1], 2).toFloat() };
    const a = zeroCostScores(cell, { ...shape, rng: createRng(1), batch });
    expect(zeroCostScores(cell, { ...shape, rng: createRng(1), batch })).toEqual(a);
    expect(zeroCostScores(cell, { ...shape, rng: createRng(2), batch }).grad_norm).not.toEqual(a.grad_norm);
    expect(a.params).toBeGreaterThan(0);
  });

  it('names the argument for a batch of one (jacob_cov), NaN in the input, or an unknown proxy', () => {
    const net = { logits: (x: tf.Tensor) => x.reshape([x.shape[0], -1]), kernels: [tf.variable(tf.ones([1]))] };
    expect(() => jacobCov(net, tf.ones([1, 2, 2, 1]))).toThrow(/jacobCov: 'x' must hold a batch of at least 2 examples, got 1/);
    expect(() => gradNorm(net, { x: tf.tensor4d([1, NaN, 0, 0], [1, 2, 2, 1]), y: tf.ones([1, 4]) })).toThrow(/'batch.x' must hold only finite values/);
    const batch = { x: tf.ones([2, 2, 2, 1]), y: tf.oneHot([0, 1], 2) };
    expect(() => zeroCostScores(cell, { ...shape, rng: createRng(0), batch, proxies: ['snip' as never] })).toThrow(/'opts.proxies\[0\]' must be one of/);
  });
});
