import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/rng';
import { absTruncatedNormal, absUniform, synflowCellScore, synflowKernels } from '../../../src/estimation/zerocost/synflowNet';
import { synflowLogScore } from '../../../src/estimation/zerocost/proxies';
import { init, tf } from '../../../src/tensor';
import type { CellArch, SupernetCell } from '../../../src/tensor/arch';
import { buildSupernet } from '../../../src/tensor/supernet';

/** The tiny network of proxies.test.ts: 2x2x1 inputs, one channel, a cell whose output is conv1x1(x) + x. */
const cell: CellArch = { kind: 'cell', nodes: 3, edges: [{ from: 0, to: 1, op: 'conv1x1' }, { from: 1, to: 2, op: 'skip' }, { from: 0, to: 2, op: 'skip' }] };
const shape = { inputShape: [2, 2, 1], numClasses: 2, channels: 1, stages: 1, cellsPerStage: 1 };
const nb201Mixed: CellArch = {
  kind: 'cell',
  nodes: 4,
  edges: (['conv3x3', 'skip', 'conv1x1', 'avgpool3x3', 'conv3x3', 'skip'] as const).map((op, i) => ({ ...[{ from: 0, to: 1 }, { from: 0, to: 2 }, { from: 1, to: 2 }, { from: 0, to: 3 }, { from: 1, to: 3 }, { from: 2, to: 3 }][i], op })),
};

beforeAll(async () => {
  await init({ quiet: true });
});

describe('synflowCellScore', () => {
  it('equals the score worked by hand in float64 from the same |θ| draws', () => {
    const [stemK, convK, denseK] = synflowKernels(cell, { ...shape, rng: createRng(5) });
    const [stem, k1, dense] = [stemK, convK, denseK].map((t) => Array.from(t.dataSync()));
    tf.dispose([stemK, convK, denseK]);
    expect([...stem, ...k1, ...dense].every((v) => v >= 0)).toBe(true);
    let stemSum = 0; // the stem's 3x3 'same' convolution of an all-ones 2x2 image, summed over its 4 outputs
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) {
      if (i + a - 1 >= 0 && i + a - 1 < 2 && j + b - 1 >= 0 && j + b - 1 < 2) stemSum += stem[a * 3 + b];
    }
    const y1 = stemSum / 4;
    const W = dense[0] + dense[1];
    const [rConv, rSkip] = [W * k1[0] * y1, W * y1];
    const R = rConv + rSkip;
    const byHand = R + rConv + R; // stem and classifier on every path, the 1x1 conv on one
    expect(Math.exp(synflowCellScore(cell, { ...shape, rng: createRng(5) })) / byHand).toBeCloseTo(1, 6);
  });

  it('equals synflowLogScore on the general network given the same |θ| (full-size NAS-Bench-201 cell)', () => {
    const opts = { inputShape: [32, 32, 3], numClasses: 10, channels: 16, stages: 3, cellsPerStage: 5 };
    const kernels = synflowKernels(nb201Mixed, { ...opts, rng: createRng(1) });
    const sn = buildSupernet(nb201Mixed as SupernetCell, { ...opts, rng: createRng(1) });
    try {
      const vars = sn.weightNames().filter((n) => n.endsWith('/kernel')).map((n) => sn.weight(n) as tf.Variable);
      expect(vars.map((v) => v.shape)).toEqual(kernels.map((k) => k.shape));
      vars.forEach((v, i) => v.assign(kernels[i]));
      const general = synflowLogScore({ logits: sn.pathLogits(nb201Mixed, { batchNorm: 'off' }), kernels: vars }, opts.inputShape);
      const fast = synflowCellScore(nb201Mixed, { ...opts, rng: createRng(1) });
      expect(fast).toBeGreaterThan(Math.log(3.4e38));
      expect(Math.abs(fast - general)).toBeLessThan(1e-5);
    } finally {
      sn.dispose();
      tf.dispose(kernels);
    }
  }, 60_000);

  it('is a function of the seed, leaves no tensor behind, and names a bad cell or rng', () => {
    const before = tf.memory().numTensors;
    const a = synflowCellScore(cell, { ...shape, rng: createRng(2) });
    expect(synflowCellScore(cell, { ...shape, rng: createRng(2) })).toBe(a);
    expect(synflowCellScore(cell, { ...shape, rng: createRng(3) })).not.toBe(a);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => synflowCellScore({ kind: 'mlp', widths: [4] } as unknown as CellArch, { ...shape, rng: createRng(1) })).toThrow(/synflowCellScore/);
    expect(() => synflowCellScore(cell, { ...shape, rng: 7 as never })).toThrow(/'opts.rng'/);
  });
});

describe('the |θ| draws', () => {
  it('follow |N(0, σ²)| truncated at 2σ and |U(−l, l)|', () => {
    const n = 200_000;
    const h = absTruncatedNormal(n, 0.5, 11);
    const mean = h.reduce((s, v) => s + v, 0) / n;
    // E|z| given |z| ≤ 2 = 2(φ(0) − φ(2)) / (2Φ(2) − 1) = 0.722789
    expect(mean).toBeCloseTo(0.5 * 0.722789, 2);
    expect(h.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(h.filter((v) => v > 0.5).length / n).toBeCloseTo((0.9545 - 0.6827) / 0.9545, 2); // P(1 < |z| ≤ 2 | |z| ≤ 2)
    const u = absUniform(n, 0.2, 11);
    expect(u.reduce((s, v) => s + v, 0) / n).toBeCloseTo(0.1, 3);
    expect(u.every((v) => v >= 0 && v < 0.2)).toBe(true);
    expect(Array.from(absTruncatedNormal(5, 1, 3))).toEqual(Array.from(absTruncatedNormal(5, 1, 3)));
  });
});
