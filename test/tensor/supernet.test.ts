import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createRng, type Rng } from '../../src/core/rng';
import { init } from '../../src/tensor/backend';
import { registerWasmKernels } from '../../src/tensor/kernels';
import { dataTensors, prepareDigits, type PreparedData } from '../../src/tensor/data';
import { withCandidates, type CellArch, type SupernetCell } from '../../src/tensor/arch';
import { buildModel } from '../../src/tensor/models';
import { argmaxCell, buildSupernet, type Supernet } from '../../src/tensor/supernet';
import { GroupOptimizer, trainStep, type Batch } from '../../src/tensor/step';
import type { OneShotStrategy, OneShotBatches, OneShotStepRecord } from '../../src/strategies/oneshot';
import { nb201CellArch, parseNb201Cell } from '../../src/spaces/nb201';

const CELL = nb201CellArch(parseNb201Cell('|conv3x3~0|+|skip~0|conv1x1~1|+|none~0|skip~1|avgpool3x3~2|'));
const SUPER = withCandidates(CELL);
const NET = { channels: 4, stages: 2, cellsPerStage: 1 };

let data: PreparedData;
let tr: { x: tf.Tensor; y: tf.Tensor };
let va: { x: tf.Tensor; y: tf.Tensor };
const batch = (t: { x: tf.Tensor; y: tf.Tensor }, i: number, size = 32): Batch => ({ x: t.x.slice(i * size, size), y: t.y.slice(i * size, size) });

beforeAll(async () => {
  await init({ prefer: 'wasm', quiet: true });
  registerWasmKernels();
  data = prepareDigits(createRng(0), { train: 0.3, validation: 0.15, test: 0.1 });
  tr = dataTensors(data, 'train', { layout: 'nhwc' });
  va = dataTensors(data, 'validation', { layout: 'nhwc' });
}, 60_000);

afterAll(() => tf.dispose([tr.x, tr.y, va.x, va.y]));

function supernet(seed: number | string, cell: SupernetCell = SUPER): Supernet {
  return buildSupernet(cell, { inputShape: data.imageShape, numClasses: 10, ...NET, rng: createRng(seed) });
}

const read = (v: tf.Variable) => Array.from(v.dataSync());

/** A minimal first-order DARTS written against the one-shot interface: weights on train, α on validation. */
class TinyDarts implements OneShotStrategy {
  readonly name = 'DARTS (1st order)';
  private readonly w: GroupOptimizer;
  private readonly a: GroupOptimizer;
  constructor(readonly sn: Supernet) {
    this.w = new GroupOptimizer(sn.weights, { kind: 'sgd', learningRate: 0.05, momentum: 0.9 });
    this.a = new GroupOptimizer(sn.alpha, { kind: 'adam', learningRate: 0.01 });
  }
  step(b: OneShotBatches): OneShotStepRecord {
    const wl = trainStep(this.sn.forward, this.w, b.train);
    const al = trainStep(this.sn.forward, this.a, b.validation as Batch);
    const out = { trainLoss: wl.loss.dataSync()[0], validationLoss: al.loss.dataSync()[0] };
    tf.dispose([wl.loss, wl.correct, al.loss, al.correct]);
    return out;
  }
  architectureWeights() {
    return this.sn.architectureWeights();
  }
  derive(): CellArch {
    return argmaxCell(this.sn, { exclude: ['none'] });
  }
  dispose(): void {
    this.w.dispose();
    this.a.dispose();
  }
}

/** A minimal SPOS step: one uniformly sampled path per step, the weights on the training batch. */
class TinySpos implements OneShotStrategy {
  readonly name = 'SPOS';
  private readonly w: GroupOptimizer;
  constructor(readonly sn: Supernet, private readonly rng: Rng) {
    this.w = new GroupOptimizer(sn.weights, { kind: 'sgd', learningRate: 0.05, momentum: 0.9 });
  }
  step(b: OneShotBatches): OneShotStepRecord {
    const path = this.sn.samplePath(this.rng);
    const r = trainStep(this.sn.pathForward(path), this.w, b.train);
    const trainLoss = r.loss.dataSync()[0];
    tf.dispose([r.loss, r.correct]);
    return { trainLoss, path };
  }
  architectureWeights() {
    return Object.fromEntries(Object.entries(this.sn.architectureWeights()).map(([k, v]) => [k, { candidates: v.candidates, weights: v.candidates.map(() => 1 / v.candidates.length) }]));
  }
  derive(): CellArch {
    return this.sn.samplePath(this.rng);
  }
  dispose(): void {
    this.w.dispose();
  }
}

describe('buildSupernet', () => {
  it('of a plain cell is the network buildModel builds: same initial weights, same outputs', () => {
    const sn = buildSupernet(CELL, { inputShape: data.imageShape, numClasses: 10, ...NET, rng: createRng(5) });
    const model = buildModel(CELL, { inputShape: data.imageShape, numClasses: 10, ...NET, rng: createRng(5) });
    // Same seeds in the same order: the kernels agree (the model's trainable weights, in build order).
    const kernels = (vs: tf.Tensor[]) => vs.filter((v) => v.shape.length === 4 || v.shape.length === 2).map((v) => Array.from(v.dataSync()));
    expect(kernels(sn.weights.variables as tf.Variable[])).toEqual(kernels(model.trainableWeights.map((w) => w.read())));
    tf.tidy(() => {
      const x = tr.x.slice(0, 16);
      for (const training of [false, true]) {
        const a = sn.forward(x, training).arraySync() as number[][];
        const b = (model.apply(x, { training }) as tf.Tensor).arraySync() as number[][];
        a.flat().forEach((v, i) => expect(Math.abs(v - b.flat()[i])).toBeLessThan(1e-5));
      }
    });
    sn.dispose();
    model.dispose();
  });

  it('holds every candidate once, α per mixed edge, and sums its candidates with softmax(α) weights', () => {
    const sn = supernet(1);
    expect(sn.alpha.variables.length).toBe(6);
    expect(sn.alpha.variables.map((v) => v.shape)).toEqual(Array(6).fill([5]));
    // conv1x1 and conv3x3 on 6 edges in 2 cells: one kernel each (plus its BN).
    const kernels = sn.weightNames().filter((n) => n.includes('/edge') && n.endsWith('/kernel'));
    expect(kernels.length).toBe(2 * 6 * 2);
    expect(sn.weightNames()).toContain('stage2/cell1/edge3<-0/conv3x3/conv0/kernel');
    expect(sn.weightNames()).toContain('stage2/cell1/edge3<-0/conv3x3/bn0/gamma');
    const w = sn.architectureWeights()['3<-0'];
    expect(w.candidates).toEqual(['none', 'skip', 'conv1x1', 'conv3x3', 'avgpool3x3']);
    expect(w.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    // α near 0 (std 1e-3): nearly uniform weights.
    for (const v of w.weights) expect(v).toBeCloseTo(0.2, 2);
    // Setting α so one candidate dominates turns the supernet into that path.
    const skipOnly: CellArch = { kind: 'cell', nodes: 4, edges: CELL.edges.map((e) => ({ ...e, op: 'skip' as const })) };
    sn.alpha.variables.forEach((v) => v.assign(tf.tensor1d([-50, 50, -50, -50, -50])));
    tf.tidy(() => {
      const x = tr.x.slice(0, 8);
      const a = sn.forward(x, false).arraySync() as number[][];
      const b = sn.pathForward(skipOnly)(x, false).arraySync() as number[][];
      a.flat().forEach((v, i) => expect(v).toBeCloseTo(b.flat()[i], 5));
    });
    sn.dispose();
  });
});

describe('one-shot training', () => {
  it('DARTS rule (mixed edges): α moves; same seed, same numbers; no tensor left behind', () => {
    const run = () => {
      const sn = supernet('darts');
      const darts = new TinyDarts(sn);
      const alpha0 = sn.alpha.variables.map(read);
      const records = [0, 1, 2].map((i) => {
        const b = { train: batch(tr, i), validation: batch(va, i) };
        const r = darts.step(b);
        tf.dispose([b.train.x, b.train.y, b.validation.x, b.validation.y]);
        return r;
      });
      const alpha = sn.alpha.variables.map(read);
      const derived = darts.derive();
      const weights = darts.architectureWeights();
      darts.dispose();
      sn.dispose();
      return { alpha0, alpha, records, derived, weights };
    };
    const before = tf.memory().numTensors;
    const a = run();
    expect(tf.memory().numTensors).toBe(before);
    a.alpha.forEach((v, i) => expect(v).not.toEqual(a.alpha0[i]));
    expect(a.records.every((r) => Number.isFinite(r.trainLoss) && Number.isFinite(r.validationLoss))).toBe(true);
    expect(a.derived.edges.every((e) => e.op !== 'none')).toBe(true);
    expect(Object.keys(a.weights).sort()).toEqual(['1<-0', '2<-0', '2<-1', '3<-0', '3<-1', '3<-2']);
    const b = run();
    expect(b).toEqual(a);
  });

  it('single-path rule (SPOS): only the sampled path learns; a candidate is the same tf.Variable on every path that uses it', async () => {
    const sn = supernet('spos');
    const spos = new TinySpos(sn, createRng('paths'));
    const pathA: CellArch = { kind: 'cell', nodes: 4, edges: CELL.edges.map((e, i) => ({ ...e, op: i === 0 ? 'conv3x3' : 'skip' })) };
    const pathB: CellArch = { kind: 'cell', nodes: 4, edges: CELL.edges.map((e, i) => ({ ...e, op: i === 0 ? 'conv3x3' : 'avgpool3x3' })) };
    const wa = sn.pathWeights(pathA);
    const wb = sn.pathWeights(pathB);
    const shared = 'stage1/cell1/edge1<-0/conv3x3/conv0/kernel';
    expect(wa.get(shared)).toBeDefined();
    expect(wa.get(shared)).toBe(wb.get(shared));
    expect(wa.get(shared)).toBe(sn.weight(shared));
    // A step on path A changes its weights and leaves the candidates off it exactly as they were.
    const offPath = 'stage1/cell1/edge1<-0/conv1x1/conv0/kernel';
    const [sharedBefore, offBefore] = [read(sn.weight(shared)!), read(sn.weight(offPath)!)];
    const w = new GroupOptimizer(sn.weights, { kind: 'adam', learningRate: 0.01 });
    tf.dispose(Object.values(trainStep(sn.pathForward(pathA), w, batch(tr, 0))));
    expect(read(sn.weight(shared)!)).not.toEqual(sharedBefore);
    expect(read(sn.weight(offPath)!)).toEqual(offBefore);
    // Path B inherits what path A learnt: its forward reads the updated tensor.
    const bOut = tf.tidy(() => Array.from(sn.pathForward(pathB)(tr.x.slice(0, 4), false).dataSync()));
    sn.weight(shared)!.assign(tf.tensor(sharedBefore, sn.weight(shared)!.shape));
    const bOld = tf.tidy(() => Array.from(sn.pathForward(pathB)(tr.x.slice(0, 4), false).dataSync()));
    expect(bOut).not.toEqual(bOld);
    w.dispose();
    // The sampling loop: uniform paths, finite losses, the same numbers with the same seeds.
    const records = [0, 1, 2, 3].map((i) => spos.step({ train: batch(tr, i) }));
    expect(records.every((r) => Number.isFinite(r.trainLoss) && r.path !== undefined)).toBe(true);
    spos.dispose();
    sn.dispose();
    const again = supernet('spos');
    const spos2 = new TinySpos(again, createRng('paths'));
    const w2 = new GroupOptimizer(again.weights, { kind: 'adam', learningRate: 0.01 });
    tf.dispose(Object.values(trainStep(again.pathForward(pathA), w2, batch(tr, 0))));
    again.weight(shared)!.assign(tf.tensor(sharedBefore, again.weight(shared)!.shape));
    expect([0, 1, 2, 3].map((i) => spos2.step({ train: batch(tr, i) }))).toEqual(records);
    w2.dispose();
    spos2.dispose();
    again.dispose();
  });

  it('evaluates a sub-network with inherited weights, with batch norm recalibrated on training batches', async () => {
    const sn = supernet('eval');
    const spos = new TinySpos(sn, createRng('p'));
    for (let i = 0; i < 6; i++) spos.step({ train: batch(tr, i) });
    const stemMeanBefore = read(sn.weight('stem/bn0/gamma')!);
    const plain = await sn.evaluateSubnet(CELL, va.x, va.y);
    const batches = [0, 1, 2].map((i) => batch(tr, i, 64));
    const stats = sn.recalibrate(CELL, batches);
    // The stem's recalibrated mean is the mean of its convolution's batch means.
    const kernel = sn.weight('stem/conv0/kernel')!;
    const expected = tf.tidy(() => tf.mean(tf.stack(batches.map((b) => tf.moments(tf.conv2d(b.x as tf.Tensor4D, kernel as tf.Tensor4D, 1, 'same'), [0, 1, 2]).mean)), 0).arraySync() as number[]);
    const got = stats.get('stem/bn0')!.mean.arraySync() as number[];
    got.forEach((v, c) => expect(v).toBeCloseTo(expected[c], 5));
    for (const s of stats.values()) tf.dispose([s.mean, s.variance]);
    const recalibrated = await sn.evaluateSubnet(CELL, va.x, va.y, { recalibrate: batches });
    for (const r of [plain, recalibrated]) {
      expect(r.accuracy).toBeGreaterThanOrEqual(0);
      expect(r.accuracy).toBeLessThanOrEqual(1);
      expect(Number.isFinite(r.loss)).toBe(true);
    }
    expect(recalibrated).not.toEqual(plain);
    // Recalibration leaves the supernet's own parameters and statistics alone.
    expect(read(sn.weight('stem/bn0/gamma')!)).toEqual(stemMeanBefore);
    expect(await sn.evaluateSubnet(CELL, va.x, va.y)).toEqual(plain);
    spos.dispose();
    sn.dispose();
  });

  it('names what is wrong', async () => {
    const opts = { inputShape: [8, 8, 1], numClasses: 10, rng: createRng(0) };
    const one = (e: object) => ({ kind: 'cell', nodes: 2, edges: [{ from: 0, to: 1, ...e }] }) as SupernetCell;
    expect(() => buildSupernet(one({ candidates: [] }), opts)).toThrow("buildSupernet: 'arch.edges[0].candidates' must list at least one operation");
    expect(() => buildSupernet(one({ candidates: ['skip', 'maxpool'] }), opts)).toThrow(`buildSupernet: 'arch.edges[0].candidates[1]' must be one of "none", "skip", "conv1x1", "conv3x3", "avgpool3x3", got "maxpool"`);
    expect(() => buildSupernet(SUPER, { ...opts, rng: undefined } as never)).toThrow("buildSupernet: 'opts.rng' must be an Rng");
    const small = buildSupernet(withCandidates(CELL, ['skip', 'conv3x3']), { ...opts, channels: 2, stages: 1 });
    const lacking: CellArch = { kind: 'cell', nodes: 4, edges: CELL.edges.map((e) => ({ ...e, op: e.from === 0 && e.to === 1 ? 'conv1x1' : 'skip' })) };
    expect(() => small.pathForward(lacking)).toThrow("Supernet.pathForward: 'path' uses 'conv1x1' on edge 1<-0, which the supernet lacks there (it offers skip, conv3x3)");
    await expect(small.evaluateSubnet(lacking, va.x, va.y)).rejects.toThrow('which the supernet lacks there');
    expect(() => small.pathForward({ kind: 'cell', nodes: 2, edges: [{ from: 0, to: 1, op: 'skip' }] })).toThrow(
      "Supernet.pathForward: 'path' must have the supernet cell's 4 nodes and 6 edges, got 2 nodes and 1 edges",
    );
    expect(() => small.recalibrate(CELL.edges.length ? { ...lacking, edges: lacking.edges.map((e) => ({ ...e, op: 'skip' as const })) } : CELL, [])).toThrow(
      "Supernet.recalibrate: 'batches' must have at least 1 item",
    );
    small.dispose();
  });
});
