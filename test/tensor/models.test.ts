import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../src/core/rng';
import { init } from '../../src/tensor/backend';
import { checkArchitecture, checkCellArch, liveCell, resolveNetworkOptions, type CellArch, type CellOp, type MlpArch } from '../../src/tensor/arch';
import { archCost } from '../../src/tensor/cost';
import { BatchNorm, buildModel, inputLayout } from '../../src/tensor/models';
import { NB201_OPS, nb201Cell, nb201CellArch, parseNb201Cell } from '../../src/spaces/nb201';

const DIGITS = { inputShape: [8, 8, 1], numClasses: 10 };

beforeAll(async () => {
  // Building and small forward passes only: the plain cpu backend is exact and fast enough.
  await init({ prefer: 'cpu', quiet: true });
});

/** '|conv3x3~0|+|skip~0|conv1x1~1|+|none~0|skip~1|avgpool3x3~2|' as a generic cell. */
const EXAMPLE = nb201CellArch(parseNb201Cell('|conv3x3~0|+|skip~0|conv1x1~1|+|none~0|skip~1|avgpool3x3~2|'));
const ZERO = nb201CellArch(nb201Cell(['none', 'none', 'none', 'none', 'none', 'none']));

function cell(edges: [number, number, CellOp][], nodes = 4): CellArch {
  return { kind: 'cell', nodes, edges: edges.map(([from, to, op]) => ({ from, to, op })) };
}

function trainableCount(model: tf.LayersModel): number {
  return model.trainableWeights.reduce((a, w) => a + w.shape.reduce((p: number, d) => p * (d as number), 1), 0);
}

describe('liveCell', () => {
  it('keeps the edges on input-to-output paths of non-none edges', () => {
    expect(liveCell(EXAMPLE).edges.map((e) => `${e.to}<-${e.from}`)).toEqual(['1<-0', '2<-0', '2<-1', '3<-1', '3<-2']);
    expect(liveCell(EXAMPLE).order).toEqual([0, 1, 2, 3]);
  });

  it('drops edges out of a node with no live inputs', () => {
    // Node 1 receives only 'none', so 2<-1 and 3<-1 read zeros.
    const c = cell([[0, 1, 'none'], [0, 2, 'conv3x3'], [1, 2, 'conv3x3'], [0, 3, 'none'], [1, 3, 'skip'], [2, 3, 'skip']]);
    expect(liveCell(c)).toEqual({ order: [0, 2, 3], edges: [{ from: 0, to: 2, op: 'conv3x3' }, { from: 2, to: 3, op: 'skip' }], zero: false });
  });

  it('drops a dead end that never reaches the output', () => {
    const c = cell([[0, 1, 'conv3x3'], [0, 2, 'skip'], [1, 2, 'none'], [0, 3, 'none'], [1, 3, 'none'], [2, 3, 'conv1x1']]);
    expect(liveCell(c).edges).toEqual([{ from: 0, to: 2, op: 'skip' }, { from: 2, to: 3, op: 'conv1x1' }]);
  });

  it('marks a cell with no input-to-output path as zero', () => {
    expect(liveCell(ZERO)).toEqual({ order: [], edges: [], zero: true });
    // Edges exist but none reaches the output.
    expect(liveCell(cell([[0, 1, 'conv3x3'], [0, 2, 'conv1x1'], [1, 2, 'skip'], [0, 3, 'none'], [1, 3, 'none'], [2, 3, 'none']])).zero).toBe(true);
  });

  it('finds the 341 disconnected NAS-Bench-201 cells', () => {
    // 341 is the number of NAS-Bench-201 cells with no input-to-output path (their accuracy in the
    // benchmark is chance). Independently: over the 64 live/none patterns of the 6 edges, the
    // output is cut off when not (3<-0 or (1<-0 and 3<-1) or ((2<-0 or (1<-0 and 2<-1)) and 3<-2)),
    // and a pattern with k live edges stands for 4^k cells.
    let zero = 0;
    for (let i = 0; i < 15625; i++) {
      let k = i;
      const ops = Array.from({ length: 6 }, () => {
        const op = NB201_OPS[k % 5];
        k = Math.floor(k / 5);
        return op;
      });
      if (liveCell(nb201CellArch(nb201Cell(ops))).zero) zero++;
    }
    expect(zero).toBe(341);
  });
});

describe('architecture checks', () => {
  it('names what is wrong', () => {
    const cases: [unknown, string][] = [
      [{ kind: 'mlp', widths: [32, 0, 8] }, "f: 'arch.widths[1]' must be an integer >= 1 and <= 65536, got 0"],
      [{ kind: 'mlp', widths: [] }, "f: 'arch.widths' must have at least 1 item, got an empty array"],
      [{ kind: 'mlp', widths: [3.5] }, "f: 'arch.widths[0]' must be an integer >= 1 and <= 65536, got 3.5"],
      [{ kind: 'resnet' }, `f: 'arch.kind' must be one of "mlp", "cell", got "resnet"`],
      [null, "f: 'arch' must be an architecture ({ kind: 'mlp', ... } or { kind: 'cell', ... }), got null"],
      [cell([[0, 1, 'conv5x5' as CellOp]], 2), `f: 'arch.edges[0].op' must be one of "none", "skip", "conv1x1", "conv3x3", "avgpool3x3", got "conv5x5"`],
      [cell([[0, 1, 'skip'], [1, 2, 'skip'], [2, 1, 'skip'], [2, 3, 'skip']]), "f: 'arch' must be acyclic, got the cycle 1 -> 2 -> 1"],
      [cell([[0, 1, 'skip'], [1, 2, 'skip'], [2, 3, 'skip'], [3, 1, 'conv1x1']]), "f: 'arch' must be acyclic, got the cycle 1 -> 2 -> 3 -> 1"],
      [cell([[0, 1, 'skip'], [1, 1, 'skip']], 2), "f: 'arch.edges[1]' must join two different nodes, got a loop on node 1"],
      [cell([[0, 1, 'skip'], [0, 1, 'conv1x1']], 2), "f: 'arch.edges' must hold each edge once, got 0 -> 1 twice"],
      [cell([[1, 0, 'skip']], 2), "f: 'arch.edges[0].to' must be an integer >= 1 and <= 1, got 0"],
      [cell([[0, 4, 'skip']]), "f: 'arch.edges[0].to' must be an integer >= 1 and <= 3, got 4"],
      [{ kind: 'cell', nodes: 1, edges: [] }, "f: 'arch.nodes' must be an integer >= 2 and <= 64, got 1"],
    ];
    for (const [arch, message] of cases) expect(() => checkArchitecture(arch, 'f')).toThrow(message);
    expect(checkCellArch(EXAMPLE, 'f')).toBe(EXAMPLE);
  });

  it('fills and checks the network options', () => {
    expect(resolveNetworkOptions(undefined, 'f')).toEqual({ channels: 16, cellsPerStage: 1, stages: 3 });
    expect(resolveNetworkOptions({ channels: 8 }, 'f')).toEqual({ channels: 8, cellsPerStage: 1, stages: 3 });
    expect(() => resolveNetworkOptions({ channels: 0 }, 'f')).toThrow("f: 'channels' must be an integer >= 1 and <= 65536, got 0");
    expect(() => resolveNetworkOptions({ stages: 7 }, 'f', 'opts.network.')).toThrow("f: 'opts.network.stages' must be an integer >= 1 and <= 6, got 7");
  });
});

describe('archCost', () => {
  it('counts an MLP by hand', () => {
    const c = archCost({ kind: 'mlp', widths: [32, 16, 8] }, DIGITS);
    // 64·32 + 32·16 + 16·8 + 8·10 multiply-accumulates; weights plus one bias per unit.
    expect(c.macs).toBe(2048 + 512 + 128 + 80);
    expect(c.params).toBe(2048 + 32 + 512 + 16 + 128 + 8 + 80 + 10);
    expect(c.nonTrainableParams).toBe(0);
    expect(c.ops.map((o) => [o.name, o.outputSize])).toEqual([['dense1', 32], ['dense2', 16], ['dense3', 8], ['classifier', 10]]);
  });

  it('counts a small cell network by hand', () => {
    const c = archCost(EXAMPLE, { ...DIGITS, channels: 4, stages: 2, cellsPerStage: 1 });
    // stem 8·8·4·9·1; cell at 8x8x4: conv3x3 64·4·9·4, conv1x1 64·4·4, avgpool 64·4·9;
    // reduction 4->8 at 4x4: 16·8·9·4 + 16·8·9·8 + 16·4·4 (2x2 pool) + 16·8·4 (1x1);
    // cell at 4x4x8: 16·8·9·8 + 16·8·8 + 16·8·9; global pool 4·4·8; dense 8·10.
    expect(c.macs).toBe(2304 + (9216 + 1024 + 2304) + (4608 + 9216 + 256 + 512) + (9216 + 1024 + 1152) + 128 + 80);
    expect(c.macs).toBe(41040);
    // stem 36 + BN 8; cell 144 + 8 + 16 + 8; reduction 288 + 576 + 32 + 2·16; cell 576 + 16 + 64 + 16; head BN 16; dense 90.
    expect(c.params).toBe(44 + 176 + 928 + 672 + 16 + 90);
    expect(c.nonTrainableParams).toBe(8 + 16 + 32 + 32 + 16);
    expect(c.totalParams).toBe(2030);
    expect(c.ops.map((o) => o.op)).toEqual([
      'stem', 'conv3x3', 'skip', 'conv1x1', 'add', 'skip', 'avgpool3x3', 'add',
      'reduction', 'conv3x3', 'skip', 'conv1x1', 'add', 'skip', 'avgpool3x3', 'add', 'head', 'dense',
    ]);
    const conv = c.ops.find((o) => o.name === 'stage2/cell1/edge1<-0');
    expect(conv).toEqual({ name: 'stage2/cell1/edge1<-0', op: 'conv3x3', macs: 9216, params: 592, nonTrainableParams: 16, outputShape: [4, 4, 8], outputSize: 128 });
    expect(c.ops.find((o) => o.name === 'stage2/reduction')?.outputShape).toEqual([4, 4, 8]);
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
  });

  it('counts a zero cell as stem, reductions and head only', () => {
    const c = archCost(ZERO, { ...DIGITS, channels: 4, stages: 2 });
    expect(c.macs).toBe(2304 + 14592 + 128 + 80);
    expect(c.ops.map((o) => o.op)).toEqual(['stem', 'zero', 'reduction', 'zero', 'head', 'dense']);
  });

  it('validates its options', () => {
    expect(() => archCost(EXAMPLE, { inputShape: [8, 8], numClasses: 10 })).toThrow("archCost: 'inputShape' must be [height, width, channels] for a cell network, got [8, 8]");
    expect(() => archCost(EXAMPLE, { inputShape: [8, 8, 1], numClasses: 1 })).toThrow("archCost: 'numClasses' must be an integer >= 2, got 1");
    expect(() => archCost(EXAMPLE, { ...DIGITS, cellsPerStage: 0 })).toThrow("archCost: 'cellsPerStage' must be an integer >= 1 and <= 64, got 0");
    expect(() => archCost({ kind: 'mlp', widths: [0] }, DIGITS)).toThrow("archCost: 'arch.widths[0]' must be an integer >= 1 and <= 65536, got 0");
  });
});

describe('buildModel', () => {
  it("matches archCost's parameter counts for many cells and network shapes", () => {
    const rng = createRng('cells');
    const configs = [
      { channels: 4, cellsPerStage: 1, stages: 1 },
      { channels: 3, cellsPerStage: 2, stages: 2 },
      { channels: 8, cellsPerStage: 1, stages: 3 },
    ];
    const cells = [EXAMPLE, ZERO, ...Array.from({ length: 30 }, () => nb201CellArch(nb201Cell(Array.from({ length: 6 }, () => rng.choice(NB201_OPS)))))];
    cells.forEach((c, i) => {
      const config = configs[i % configs.length];
      const opts = { ...DIGITS, ...config };
      const model = buildModel(c, { ...opts, rng: createRng(i) });
      const cost = archCost(c, opts);
      expect(model.countParams()).toBe(cost.totalParams);
      expect(trainableCount(model)).toBe(cost.params);
      model.dispose();
    });
  });

  it("matches archCost's parameter counts for MLPs", () => {
    const rng = createRng('mlps');
    for (let i = 0; i < 12; i++) {
      const arch: MlpArch = { kind: 'mlp', widths: Array.from({ length: 1 + (i % 4) }, () => rng.int(1, 130)) };
      const model = buildModel(arch, { ...DIGITS, rng: createRng(i) });
      expect(model.countParams()).toBe(archCost(arch, DIGITS).totalParams);
      expect(model.inputs[0].shape).toEqual([null, 64]);
      model.dispose();
    }
  });

  it('gives softmax outputs of the right shape for each layout', () => {
    tf.tidy(() => {
      const mlp = buildModel({ kind: 'mlp', widths: [8] }, { ...DIGITS, rng: createRng(0) });
      const net = buildModel(EXAMPLE, { ...DIGITS, channels: 4, stages: 2, rng: createRng(0) });
      expect(inputLayout({ kind: 'mlp', widths: [8] })).toBe('flat');
      expect(inputLayout(EXAMPLE)).toBe('nhwc');
      const x = tf.randomUniform([5, 8, 8, 1], 0, 1, 'float32', 1);
      const p = net.predict(x) as tf.Tensor;
      const q = mlp.predict(x.reshape([5, 64])) as tf.Tensor;
      expect(p.shape).toEqual([5, 10]);
      expect(q.shape).toEqual([5, 10]);
      for (const row of p.sum(1).arraySync() as number[]) expect(row).toBeCloseTo(1, 5);
      mlp.dispose();
      net.dispose();
    });
  });

  it('repeats its initial weights with the same seed, not with another', () => {
    const weights = (seed: number) => {
      const model = buildModel(EXAMPLE, { ...DIGITS, channels: 4, stages: 2, rng: createRng(seed) });
      const out = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      return out;
    };
    const a = weights(1);
    expect(weights(1)).toEqual(a);
    expect(weights(2)[0]).not.toEqual(a[0]);
  });

  it('computes the function the cell describes: a zero cell ignores its input, a skip-only cell is the stem', () => {
    tf.tidy(() => {
      const x = tf.randomUniform([4, 8, 8, 1], 0, 1, 'float32', 7);
      const zero = buildModel(ZERO, { ...DIGITS, channels: 4, stages: 1, rng: createRng(0) });
      const p = zero.predict(x) as tf.Tensor;
      const rows = p.arraySync() as number[][];
      for (const row of rows) for (let k = 0; k < 10; k++) expect(row[k]).toBeCloseTo(rows[0][k], 6);
      // With only 3<-0 'skip' the cell is the identity, so the network has exactly the layers
      // of a network with no cell: stem, head, classifier.
      const skip = buildModel(cell([[0, 3, 'skip']]), { ...DIGITS, channels: 4, stages: 1, rng: createRng(0) });
      expect(skip.layers.map((l) => l.getClassName())).toEqual([
        'InputLayer', 'Conv2D', 'NasbookBatchNorm', 'NasbookBatchNorm', 'ReLU', 'GlobalAveragePooling2D', 'Dense',
      ]);
      zero.dispose();
      skip.dispose();
    });
  });

  it('validates its options', () => {
    expect(() => buildModel(EXAMPLE, { ...DIGITS } as never)).toThrow("buildModel: 'rng' must be an Rng (from createRng(seed)), got undefined");
    expect(() => buildModel(EXAMPLE, { ...DIGITS, channels: -1, rng: createRng(0) })).toThrow("buildModel: 'channels' must be an integer >= 1 and <= 65536, got -1");
    expect(() => buildModel({ kind: 'cell', nodes: 4, edges: [{ from: 0, to: 3, op: 'maxpool' as CellOp }] }, { ...DIGITS, rng: createRng(0) })).toThrow(
      /buildModel: 'arch.edges\[0\].op' must be one of/,
    );
  });
});

describe('BatchNorm (custom gradient)', () => {
  it('matches tf.layers.batchNormalization: outputs, gradients and moving statistics', () => {
    const x = tf.randomNormal([3, 4, 4, 5], 1, 2, 'float32', 3);
    const w = tf.randomNormal([3, 4, 4, 5], 0, 1, 'float32', 4);
    const ours = new BatchNorm({ momentum: 0.9, epsilon: 1e-5 });
    const theirs = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 });
    ours.build(x.shape);
    theirs.build(x.shape);
    // Same non-trivial gamma and beta in both.
    const gamma = tf.tensor1d([0.5, 1, 1.5, 2, -1]);
    const beta = tf.tensor1d([0.1, -0.2, 0.3, 0, 1]);
    ours.setWeights([gamma, beta, tf.zeros([5]), tf.ones([5])]);
    theirs.setWeights([gamma, beta, tf.zeros([5]), tf.ones([5])]);
    const run = (layer: tf.layers.Layer) => {
      const loss = (xi: tf.Tensor) => tf.sum(tf.mul(layer.apply(xi, { training: true }) as tf.Tensor, w)) as tf.Scalar;
      const y = layer.apply(x, { training: true }) as tf.Tensor;
      const dx = tf.grad(loss)(x);
      const { grads } = tf.variableGrads(() => loss(x), layer.trainableWeights.map((v) => v.read() as tf.Variable));
      const [dg, db] = layer.trainableWeights.map((v) => grads[(v.read() as tf.Variable).name].arraySync());
      return { y: y.arraySync(), dx: dx.arraySync(), dg, db };
    };
    const a = run(ours);
    const b = run(theirs);
    const close = (p: unknown, q: unknown) => {
      const fp = (p as number[]).flat(4) as number[];
      const fq = (q as number[]).flat(4) as number[];
      expect(fp.length).toBe(fq.length);
      fp.forEach((v, i) => expect(Math.abs(v - fq[i])).toBeLessThan(1e-4 * (1 + Math.abs(fq[i]))));
    };
    close(a.y, b.y);
    close(a.dx, b.dx);
    close(a.dg, b.dg);
    close(a.db, b.db);
    // Three training-mode calls per layer above: moving mean = (1 - 0.9³)·batch mean.
    const mean = tf.mean(x, [0, 1, 2]).arraySync() as number[];
    const movingMean = ours.getWeights()[2].arraySync() as number[];
    mean.forEach((m, c) => expect(movingMean[c]).toBeCloseTo((1 - 0.9 ** 3) * m, 5));
    // Moving variance: unbiased batch variance (n = 48 per channel) pulled in from 1.
    const variance = tf.moments(x, [0, 1, 2]).variance.arraySync() as number[];
    const movingVariance = ours.getWeights()[3].arraySync() as number[];
    variance.forEach((v, c) => expect(movingVariance[c]).toBeCloseTo(0.9 ** 3 + (1 - 0.9 ** 3) * v * (48 / 47), 4));
    // Inference mode normalises with the moving statistics: (x - mean) / sqrt(var + eps) · gamma + beta.
    const inferred = (ours.apply(x, { training: false }) as tf.Tensor).arraySync() as number[][][][];
    const xs = x.arraySync() as number[][][][];
    const g = [0.5, 1, 1.5, 2, -1];
    const bt = [0.1, -0.2, 0.3, 0, 1];
    for (const [i, j, k, c] of [[0, 0, 0, 0], [1, 2, 3, 4], [2, 3, 1, 2]]) {
      const expected = ((xs[i][j][k][c] - movingMean[c]) / Math.sqrt(movingVariance[c] + 1e-5)) * g[c] + bt[c];
      expect(inferred[i][j][k][c]).toBeCloseTo(expected, 4);
    }
  });
});
