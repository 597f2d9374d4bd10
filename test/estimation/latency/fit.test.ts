import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/rng';
import { fitLatencyModel, fitLinearLatency, predictOpLatency, type LatencySample } from '../../../src/estimation/latency/fit';
import { predictLatency, timedOps } from '../../../src/estimation/latency/predict';
import { nb201CellArch, parseNb201Cell } from '../../../src/spaces/nb201';
import { describeNetwork } from '../../../src/tensor/network';

const sample = (op: string, macs: number, outputSize: number, ms: number): LatencySample => ({ op, macs, outputSize, ms });

describe('fitLinearLatency', () => {
  it('recovers exact coefficients from noise-free data', () => {
    const rng = createRng('exact');
    const samples = Array.from({ length: 20 }, () => {
      const macs = rng.int(0, 1e6);
      const size = rng.int(1, 5000);
      return sample('conv', macs, size, 2e-6 * macs + 3e-4 * size + 0.05);
    });
    const fit = fitLinearLatency(samples);
    expect(fit.a).toBeCloseTo(2e-6, 12);
    expect(fit.b).toBeCloseTo(3e-4, 10);
    expect(fit.c).toBeCloseTo(0.05, 8);
    expect(fit.rmse).toBeLessThan(1e-9);
    expect(fit.r2).toBeCloseTo(1, 12);
    expect(fit.dropped).toEqual([]);
  });
  it('the worked example: three points, three unknowns', () => {
    const fit = fitLinearLatency([sample('x', 0, 1, 1), sample('x', 10, 1, 2), sample('x', 0, 3, 2)]);
    expect(fit.a).toBeCloseTo(0.1, 12);
    expect(fit.b).toBeCloseTo(0.5, 12);
    expect(fit.c).toBeCloseTo(0.5, 12);
  });
  it('agrees with the normal equations solved independently on noisy data, residuals sum to 0', () => {
    const rng = createRng('noisy');
    const samples = Array.from({ length: 50 }, () => {
      const macs = rng.uniform(0, 1e5);
      const size = rng.uniform(10, 1000);
      return sample('conv', macs, size, 1e-5 * macs + 1e-3 * size + 0.1 + rng.normal(0, 0.05));
    });
    const fit = fitLinearLatency(samples);
    // Normal equations XᵀX β = Xᵀy by Cramer's rule on the 3x3 system.
    const X = samples.map((s) => [s.macs, s.outputSize, 1]);
    const y = samples.map((s) => s.ms);
    const A = [0, 1, 2].map((i) => [0, 1, 2].map((j) => X.reduce((t, r) => t + r[i] * r[j], 0)));
    const v = [0, 1, 2].map((i) => X.reduce((t, r, k) => t + r[i] * y[k], 0));
    const det = (m: number[][]) => m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    const solve = (col: number) => det(A.map((row, i) => row.map((x, j) => (j === col ? v[i] : x)))) / det(A);
    expect(fit.a).toBeCloseTo(solve(0), 9);
    expect(fit.b / solve(1)).toBeCloseTo(1, 6);
    expect(fit.c / solve(2)).toBeCloseTo(1, 6);
    expect(Math.abs(fit.residuals.reduce((t, e) => t + e, 0))).toBeLessThan(1e-9);
  });
  it('drops the column the data cannot identify: a skip has no MACs, an average pool has M = 9·S', () => {
    const skip = fitLinearLatency([sample('skip', 0, 10, 0.2), sample('skip', 0, 20, 0.3), sample('skip', 0, 40, 0.5)]);
    expect(skip.dropped).toEqual(['macs']);
    expect(skip.a).toBe(0);
    expect(skip.b).toBeCloseTo(0.01, 12);
    const pool = fitLinearLatency([10, 20, 40, 80].map((s) => sample('avgpool3x3', 9 * s, s, 0.1 + 0.002 * s)));
    expect(pool.dropped).toEqual(['macs']);
    expect(pool.b).toBeCloseTo(0.002, 12);
  });
  it('rejects fewer measurements than unknowns, and bad values', () => {
    expect(() => fitLinearLatency([sample('x', 1, 1, 1), sample('x', 2, 2, 2)])).toThrow(
      "fitLinearLatency: 'samples' must hold at least 3 measurements to fit the 3 unknowns a, b, c, got 2",
    );
    const two = [sample('a', 1, 1, 1), sample('a', 2, 1, 1), sample('a', 3, 2, 1), sample('b', 1, 1, 1), sample('b', 2, 2, 1)];
    expect(() => fitLatencyModel(two)).toThrow("fitLatencyModel: 'samples' of op 'b' must hold at least 3 measurements to fit the 3 unknowns a, b, c, got 2");
    expect(() => fitLinearLatency([sample('x', 1, 1, -1), sample('x', 1, 1, 1), sample('x', 1, 1, 1)])).toThrow("fitLinearLatency: 'samples[0].ms' must be a number >= 0, got -1");
    expect(() => fitLinearLatency([sample('x', Number.NaN, 1, 1), sample('x', 1, 1, 1), sample('x', 1, 1, 1)])).toThrow("fitLinearLatency: 'samples[0].macs' must be a finite number >= 0, got NaN");
  });
});

describe('fitLatencyModel and predictLatency', () => {
  const opts = { inputShape: [8, 8, 1], numClasses: 10, channels: 4, stages: 2 };
  const truth: Record<string, [number, number, number]> = {};
  const rng = createRng('per-op');
  const samples: LatencySample[] = [];
  for (const op of ['stem', 'conv1x1', 'conv3x3', 'avgpool3x3', 'add', 'reduction', 'head', 'dense', 'skip']) {
    truth[op] = [rng.uniform(1e-6, 1e-5), rng.uniform(1e-5, 1e-4), rng.uniform(0.01, 0.05)];
    for (let k = 0; k < 6; k++) {
      const size = rng.int(16, 4096);
      const macs = op === 'skip' || op === 'add' ? 0 : op === 'avgpool3x3' ? 9 * size : size * rng.int(1, 300);
      const [a, b, c] = truth[op];
      samples.push(sample(op, macs, size, a * macs + b * size + c));
    }
  }
  const model = fitLatencyModel(samples);
  it('fits one model per operation type and one over all', () => {
    expect(Object.keys(model.perOp)).toEqual(['add', 'avgpool3x3', 'conv1x1', 'conv3x3', 'dense', 'head', 'reduction', 'skip', 'stem']);
    expect(model.perOp.conv3x3.a).toBeCloseTo(truth.conv3x3[0], 12);
    expect(model.perOp.conv3x3.rmse).toBeLessThan(1e-9);
    expect(model.global.n).toBe(samples.length);
    expect(model.global.residuals).toHaveLength(samples.length);
  });
  it('predicts a network as the sum of its predicted ops, and depth-max never exceeds it', () => {
    const net = describeNetwork(nb201CellArch(parseNb201Cell('|conv3x3~0|+|skip~0|conv1x1~1|+|none~0|skip~1|avgpool3x3~2|')), opts);
    const expected = net.ops.reduce((t, o) => {
      const [a, b, c] = truth[o.op];
      return t + a * o.macs + b * o.outputSize + c;
    }, 0);
    expect(predictLatency(net, model)).toBeCloseTo(expected, 9);
    expect(predictLatency(net, model, { overheadMs: 0.3 })).toBeCloseTo(expected + 0.3, 9);
    expect(predictLatency(net, model, { aggregate: 'depthMax' })).toBeLessThan(predictLatency(net, model));
    expect(timedOps(net, model).map((o) => o.name)).toEqual(net.ops.map((o) => o.name));
    expect(predictOpLatency({ a: 0.1, b: 0.5, c: 0.5 }, { macs: 10, outputSize: 2 })).toBe(2.5);
  });
  it('rejects a missing model and an unknown aggregation', () => {
    const net = describeNetwork(nb201CellArch(parseNb201Cell('|conv3x3~0|+|skip~0|conv1x1~1|+|none~0|skip~1|avgpool3x3~2|')), opts);
    expect(() => predictLatency(net, {} as never)).toThrow("timedOps: 'model' must be a fitted latency model { global, perOp } (from fitLatencyModel), got {}");
    expect(() => predictLatency(net, model, { aggregate: 'max' as never })).toThrow("predictLatency: 'opts.aggregate' must be one of \"sum\", \"depthMax\", got \"max\"");
    expect(() => predictLatency({} as never, model)).toThrow("timedOps: 'net' must be a network description (from describeNetwork), got {}");
  });
});
