import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/rng';
import { measureNetwork, measureOperation, measureOverhead } from '../../../src/estimation/latency/measure';
import { nb201CellArch, parseNb201Cell } from '../../../src/spaces/nb201';
import { init } from '../../../src/tensor/backend';
import { describeNetwork } from '../../../src/tensor/network';

const net = describeNetwork(nb201CellArch(parseNb201Cell('|conv3x3~0|+|skip~0|conv1x1~1|+|none~0|skip~1|avgpool3x3~2|')), {
  inputShape: [8, 8, 1],
  numClasses: 10,
  channels: 4,
  stages: 2,
});

beforeAll(async () => {
  await init({ quiet: true });
});

describe('the latency measurement harness (fields and errors; no test asserts a time)', () => {
  it('times whole forward passes: one sample per repeat, quartiles ordered, batch recorded', () => {
    const t = measureNetwork(net, { batch: 4, warmup: 1, repeats: 5, rng: createRng(0) });
    expect(t.samplesMs).toHaveLength(5);
    expect(t.batch).toBe(4);
    expect(t.minMs).toBeLessThanOrEqual(t.q25Ms);
    expect(t.q25Ms).toBeLessThanOrEqual(t.medianMs);
    expect(t.medianMs).toBeLessThanOrEqual(t.q75Ms);
    t.samplesMs.forEach((ms) => expect(Number.isFinite(ms) && ms >= 0).toBe(true));
  });
  it('times every kind of operation of a network alone, with the empty model beside it', () => {
    for (const op of net.ops) {
      const t = measureOperation(op, { batch: 2, warmup: 1, repeats: 3, rng: createRng(1) });
      expect(t.samplesMs).toHaveLength(3);
      expect(t.opMs).toBe(Math.max(0, t.medianMs - t.overheadMs));
    }
    expect(measureOverhead([8, 8, 1], { batch: 1, warmup: 0, repeats: 2, rng: createRng(2) }).samplesMs).toHaveLength(2);
  });
  it('rejects a bad batch, a missing rng and something that is not an operation', () => {
    expect(() => measureNetwork(net, { batch: 0, rng: createRng(0) })).toThrow("measureNetwork: 'opts.batch' must be an integer >= 1 and <= 4096, got 0");
    expect(() => measureNetwork(net, { batch: 1 } as never)).toThrow("measureNetwork: 'opts.rng' must be an Rng");
    expect(() => measureOperation({} as never, { batch: 1, rng: createRng(0) })).toThrow("measureOperation: 'op' must be an operation of a network description (with inputShapes), got {}");
    expect(() => measureNetwork({} as never, { batch: 1, rng: createRng(0) })).toThrow("measureNetwork: 'net' must be a network description (from describeNetwork), got {}");
  });
});
