/**
 * The network description: one value that the builder and the cost model both read. The cost model
 * is checked against the models the builder makes, counted independently from their tfjs layers.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../src/core/rng';
import { init } from '../../src/tensor/backend';
import { CELL_OPS, checkSupernetCell, liveCell, withCandidates, type CellArch, type SupernetCell } from '../../src/tensor/arch';
import { archCost, networkCost } from '../../src/tensor/cost';
import { buildModel } from '../../src/tensor/models';
import { describeConvNet, describeNetwork, NETWORK_INPUT, type NetworkDescription } from '../../src/tensor/network';
import { NETWORK_OPS, type NetOpKind } from '../../src/tensor/ops';
import { nb201UniqueCells, nb201CellArch, parseNb201Cell } from '../../src/spaces/nb201';

const DIGITS = { inputShape: [8, 8, 1], numClasses: 10 };
const EXAMPLE = nb201CellArch(parseNb201Cell('|conv3x3~0|+|skip~0|conv1x1~1|+|none~0|skip~1|avgpool3x3~2|'));

beforeAll(async () => {
  await init({ prefer: 'cpu', quiet: true });
});

/** MACs and parameters of a built model, counted from its layers alone (batch 1). */
function countModel(model: tf.LayersModel): { macs: number; params: number; totalParams: number } {
  let macs = 0;
  for (const layer of model.layers) {
    const out = layer.outputShape as number[];
    const size = out.slice(1).reduce((a, b) => a * b, 1);
    const cfg = layer.getConfig() as Record<string, unknown>;
    switch (layer.getClassName()) {
      case 'Conv2D': {
        const [kh, kw, cIn] = layer.getWeights()[0].shape;
        macs += size * kh * kw * cIn;
        break;
      }
      case 'AveragePooling2D': {
        const [ph, pw] = cfg.poolSize as number[];
        macs += size * ph * pw;
        break;
      }
      case 'GlobalAveragePooling2D': {
        const inShape = layer.inputSpec?.[0]?.shape ?? (layer.input as tf.SymbolicTensor).shape;
        macs += (inShape as number[]).slice(1).reduce((a, b) => a * b, 1);
        break;
      }
      case 'Dense': {
        const [n, m] = layer.getWeights()[0].shape;
        macs += n * m;
        break;
      }
      default:
        break; // elementwise layers: 0 MACs by convention
    }
  }
  const params = model.trainableWeights.reduce((a, w) => a + w.shape.reduce((p: number, d) => p * (d as number), 1), 0);
  return { macs, params, totalParams: model.countParams() };
}

describe('describeNetwork', () => {
  it('lists every operation once, in evaluation order, each reading earlier ones, with depths from its inputs', () => {
    const net = describeNetwork(EXAMPLE, { ...DIGITS, channels: 4, stages: 2 });
    expect(JSON.parse(JSON.stringify(net))).toEqual(net);
    net.ops.forEach((op, i) => {
      for (const j of op.inputs) expect(j === NETWORK_INPUT || (j >= 0 && j < i)).toBe(true);
      const inputDepths = op.inputs.map((j) => (j === NETWORK_INPUT ? 0 : net.ops[j].depth));
      expect(op.depth).toBe(1 + Math.max(...inputDepths));
      expect(op.inputShapes).toEqual(op.inputs.map((j) => (j === NETWORK_INPUT ? net.inputShape : net.ops[j].outputShape)));
      expect(op.outputSize).toBe(op.outputShape.reduce((a, b) => a * b, 1));
    });
    // The cell |conv3x3~0|+|skip~0|conv1x1~1|+|none~0|skip~1|avgpool3x3~2| after the stem (depth 1):
    // 1<-0 conv (2); 2<-0 skip (2), 2<-1 conv1x1 (3), node 2 add (4); 3<-1 skip (3), 3<-2 pool (5), node 3 add (6).
    const cell1 = net.ops.filter((o) => o.name.startsWith('stage1/cell1/'));
    expect(cell1.map((o) => [o.name, o.op, o.depth])).toEqual([
      ['stage1/cell1/edge1<-0', 'conv3x3', 2],
      ['stage1/cell1/edge2<-0', 'skip', 2],
      ['stage1/cell1/edge2<-1', 'conv1x1', 3],
      ['stage1/cell1/node2', 'add', 4],
      ['stage1/cell1/edge3<-1', 'skip', 3],
      ['stage1/cell1/edge3<-2', 'avgpool3x3', 5],
      ['stage1/cell1/node3', 'add', 6],
    ]);
    expect(cell1[0].position).toEqual({ stage: 1, cell: 1, from: 0, to: 1 });
    expect(net.ops.map((o) => o.name).slice(-3)).toEqual(['stage2/cell1/node3', 'head', 'classifier']);
    expect(net.ops[net.ops.length - 1]).toMatchObject({ op: 'dense', activation: 'softmax', channels: 10, outputShape: [10], depth: 14 });
  });

  it('has an entry in the operation table for every kind it uses, and archCost is its sum', () => {
    const kinds = new Set<NetOpKind>();
    for (const c of [EXAMPLE, withCandidates(EXAMPLE)]) {
      const net = describeNetwork(c, { ...DIGITS, channels: 3, stages: 3 });
      for (const o of net.ops) kinds.add(o.op);
      const cost = networkCost(net);
      expect(cost.macs).toBe(net.ops.reduce((a, o) => a + o.macs, 0));
      expect(archCost(c, { ...DIGITS, channels: 3, stages: 3 })).toEqual(cost);
    }
    expect([...kinds].sort()).toEqual(Object.keys(NETWORK_OPS).filter((k) => k !== 'zero' && k !== 'dense' && k !== 'convLayer').concat('dense').sort());
  });

  it('describes a plain CNN (the benchmark reference network) whose cost is the built model\'s', () => {
    const net = describeConvNet({ inputShape: [8, 8, 1], numClasses: 10, filters: [16, 16] });
    expect(net.ops.map((o) => [o.name, o.op, o.outputSize])).toEqual([['conv1', 'convLayer', 1024], ['conv2', 'convLayer', 1024], ['classifier', 'dense', 10]]);
    const cost = networkCost(net);
    expect(cost.params).toBe(9 * 16 + 16 + 9 * 16 * 16 + 16 + 1024 * 10 + 10);
    expect(cost.macs).toBe(64 * 16 * 9 + 64 * 16 * 9 * 16 + 1024 * 10);
    const model = buildModel(net, { rng: createRng(0) });
    expect(model.countParams()).toBe(cost.params);
    model.dispose();
    expect(() => describeConvNet({ inputShape: [8, 8, 1], numClasses: 10, filters: [] })).toThrow("describeConvNet: 'filters'");
    expect(() => describeConvNet({ inputShape: [64], numClasses: 10, filters: [4] })).toThrow("describeConvNet: 'inputShape' must be [height, width, channels]");
  });

  it("cost = the built model's parameters and MACs, counted from its layers, for all 4930 distinct NAS-Bench-201 cells", () => {
    const cells = nb201UniqueCells().map((c) => nb201CellArch(c));
    expect(cells.length).toBe(4930);
    const opts = { ...DIGITS, channels: 2, stages: 2, cellsPerStage: 1 };
    for (const c of cells) {
      const net = describeNetwork(c, opts);
      const model = buildModel(net, { rng: createRng(0) });
      const counted = countModel(model);
      const cost = networkCost(net);
      expect([counted.macs, counted.params, counted.totalParams]).toEqual([cost.macs, cost.params, cost.totalParams]);
      model.dispose();
    }
  }, 300_000);

  it('agrees with the built model on several skeletons (channels, cells per stage, stages, odd image sizes)', () => {
    const skeletons = [
      { inputShape: [8, 8, 1], channels: 16, cellsPerStage: 1, stages: 3 },
      { inputShape: [8, 8, 1], channels: 8, cellsPerStage: 3, stages: 2 },
      { inputShape: [7, 9, 3], channels: 5, cellsPerStage: 2, stages: 3 },
      { inputShape: [32, 32, 3], channels: 16, cellsPerStage: 5, stages: 3 },
      { inputShape: [12, 12, 2], channels: 4, cellsPerStage: 1, stages: 4 },
    ];
    const rng = createRng('skeletons');
    for (const s of skeletons) {
      for (let i = 0; i < 4; i++) {
        const cell = nb201CellArch({ kind: 'nb201', ops: Array.from({ length: 6 }, () => rng.choice(['none', 'skip', 'conv1x1', 'conv3x3', 'avgpool3x3'] as const)) });
        const net = describeNetwork(cell, { ...s, numClasses: 7 });
        const model = buildModel(net, { rng: createRng(i) });
        const counted = countModel(model);
        const cost = networkCost(net);
        expect([counted.macs, counted.params, counted.totalParams]).toEqual([cost.macs, cost.params, cost.totalParams]);
        model.dispose();
      }
    }
    const mlp = describeNetwork({ kind: 'mlp', widths: [40, 7] }, DIGITS);
    const model = buildModel(mlp, { rng: createRng(0) });
    expect(countModel(model)).toEqual({ macs: networkCost(mlp).macs, params: networkCost(mlp).params, totalParams: networkCost(mlp).totalParams });
    model.dispose();
  });

  it('builds the same model from an architecture and from its description (same seed draws)', () => {
    const opts = { ...DIGITS, channels: 4, stages: 2 };
    const a = buildModel(EXAMPLE, { ...opts, rng: createRng(3) });
    const b = buildModel(describeNetwork(EXAMPLE, opts), { rng: createRng(3) });
    const wa = a.getWeights().map((w) => Array.from(w.dataSync()));
    expect(b.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(wa);
    a.dispose();
    b.dispose();
  });
});

describe('supernet cells (mixed edges)', () => {
  it('describe every candidate: a mixed edge costs the sum of its candidates', () => {
    const opts = { ...DIGITS, channels: 4, stages: 1 };
    const supernet = withCandidates(EXAMPLE, CELL_OPS);
    expect(supernet.edges[0]).toEqual({ from: 0, to: 1, candidates: ['none', 'skip', 'conv1x1', 'conv3x3', 'avgpool3x3'] });
    const net = describeNetwork(supernet, opts);
    const mixed = net.ops.filter((o) => o.op === 'mixed');
    expect(mixed.length).toBe(6);
    const single = (op: 'conv1x1' | 'conv3x3' | 'avgpool3x3') =>
      describeNetwork({ kind: 'cell', nodes: 2, edges: [{ from: 0, to: 1, op }] }, opts).ops.find((o) => o.op === op)!;
    expect(mixed[0].macs).toBe(single('conv1x1').macs + single('conv3x3').macs + single('avgpool3x3').macs);
    expect(mixed[0].params).toBe(single('conv1x1').params + single('conv3x3').params);
    expect(mixed[0].candidates).toEqual([...CELL_OPS]);
    // Every edge is live: each has a candidate that is not 'none'.
    expect(liveCell(supernet).edges.length).toBe(6);
    // A mixed edge of 'none' alone is dead, like a 'none' edge.
    const dead: SupernetCell = { kind: 'cell', nodes: 3, edges: [{ from: 0, to: 1, candidates: ['none'] }, { from: 0, to: 2, candidates: ['skip'] }, { from: 1, to: 2, op: 'conv3x3' }] };
    expect(liveCell(dead).edges).toEqual([{ from: 0, to: 2, candidates: ['skip'] }]);
  });

  it('are refused by buildModel, which builds plain networks', () => {
    expect(() => buildModel(describeNetwork(withCandidates(EXAMPLE), DIGITS), { rng: createRng(0) })).toThrow(
      "buildModel: 'arch' must have one operation on every edge, got a mixed edge; a supernet is built by buildSupernet",
    );
  });

  it('name what is wrong', () => {
    const edge = (e: object): unknown => ({ kind: 'cell', nodes: 2, edges: [{ from: 0, to: 1, ...e }] });
    const cases: [unknown, string][] = [
      [edge({ candidates: [] }), "f: 'arch.edges[0].candidates' must list at least one operation of none, skip, conv1x1, conv3x3, avgpool3x3, got an empty array"],
      [edge({ candidates: ['skip', 'conv5x5'] }), `f: 'arch.edges[0].candidates[1]' must be one of "none", "skip", "conv1x1", "conv3x3", "avgpool3x3", got "conv5x5"`],
      [edge({ candidates: ['skip', 'skip'] }), `f: 'arch.edges[0].candidates' must list each operation once, got ["skip", "skip"]`],
      [edge({ op: 'skip', candidates: ['skip'] }), "f: 'arch.edges[0]' must have either 'op' or 'candidates', got both"],
      [edge({}), `f: 'arch.edges[0].op' must be one of "none", "skip", "conv1x1", "conv3x3", "avgpool3x3", got undefined`],
    ];
    for (const [arch, message] of cases) expect(() => checkSupernetCell(arch, 'f')).toThrow(message);
    expect(() => withCandidates(EXAMPLE, [])).toThrow("withCandidates: 'candidates' must list at least one operation");
    expect(() => describeNetwork(edge({ candidates: [] }) as CellArch, DIGITS)).toThrow("describeNetwork: 'arch.edges[0].candidates' must list at least one");
    expect(() => networkCost({ kind: 'mlp' } as unknown as NetworkDescription)).toThrow("networkCost: 'net' must be a network description (from describeNetwork)");
  });
});
