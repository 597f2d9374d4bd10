import { describe, expect, it } from 'vitest';
import { depthMaxLatency, opDepths, sequentialLatency, type TimedOp } from '../../../src/estimation/latency/aggregate';
import { nb201CellArch, parseNb201Cell } from '../../../src/spaces/nb201';
import { describeNetwork } from '../../../src/tensor/network';

const op = (inputs: number[], time: number): TimedOp => ({ inputs, time });

describe('latency aggregation over an operation graph', () => {
  it('a chain: both aggregations are the plain sum', () => {
    const chain = [op([-1], 1), op([0], 2), op([1], 3), op([2], 4)];
    expect(opDepths(chain)).toEqual([1, 2, 3, 4]);
    expect(sequentialLatency(chain)).toBe(10);
    expect(depthMaxLatency(chain)).toBe(10);
  });
  it('parallel branches: the sum pays for both, depth-max only for the slower', () => {
    // input -> a (3) and b (5) side by side -> add (1)
    const diamond = [op([-1], 3), op([-1], 5), op([0, 1], 1)];
    expect(sequentialLatency(diamond)).toBe(9);
    expect(depthMaxLatency(diamond)).toBe(6);
    // Branches of unequal length: the short branch's op shares a level with the long branch's first op.
    const uneven = [op([-1], 2), op([0], 2), op([-1], 7), op([1, 2], 1)];
    expect(opDepths(uneven)).toEqual([1, 2, 1, 3]);
    expect(depthMaxLatency(uneven)).toBe(7 + 2 + 1);
  });
  it('order in the list does not matter', () => {
    const shuffled = [op([1, 2], 1), op([-1], 3), op([-1], 5)];
    expect(opDepths(shuffled)).toEqual([2, 1, 1]);
    expect(depthMaxLatency(shuffled)).toBe(6);
  });
  it('on a described network the depths are the description\'s, and a skip-only path costs only its zero-time ops', () => {
    const cell = nb201CellArch(parseNb201Cell('|skip~0|+|none~0|skip~1|+|none~0|none~1|skip~2|'));
    const net = describeNetwork(cell, { inputShape: [8, 8, 1], numClasses: 10, channels: 4, stages: 2 });
    const ops = net.ops.map((o) => ({ inputs: o.inputs, time: o.op === 'skip' ? 0 : 1 }));
    expect(opDepths(ops)).toEqual(net.ops.map((o) => o.depth));
    const nonSkip = net.ops.filter((o) => o.op !== 'skip').length;
    expect(sequentialLatency(ops)).toBe(nonSkip);
    expect(depthMaxLatency(ops)).toBe(nonSkip); // a chain again: stem, reduction, head, classifier
  });
  it('a none edge that cuts a branch removes its operations from both aggregations', () => {
    const opts = { inputShape: [8, 8, 1], numClasses: 10, channels: 4, stages: 1 };
    const both = describeNetwork(nb201CellArch(parseNb201Cell('|conv3x3~0|+|none~0|none~1|+|conv1x1~0|conv3x3~1|none~2|')), opts);
    // With 3 <- 1 set to none, the conv3x3 on 1 <- 0 feeds nothing: only the 1x1 convolution is left.
    const cut = describeNetwork(nb201CellArch(parseNb201Cell('|conv3x3~0|+|none~0|none~1|+|conv1x1~0|none~1|none~2|')), opts);
    expect(both.ops.map((o) => o.op)).toEqual(['stem', 'conv3x3', 'conv1x1', 'conv3x3', 'add', 'head', 'dense']);
    expect(cut.ops.map((o) => o.op)).toEqual(['stem', 'conv1x1', 'head', 'dense']);
    const times: Record<string, number> = { stem: 1, conv1x1: 2, conv3x3: 4, add: 0.5, head: 1, dense: 1 };
    const timed = (n: typeof cut) => n.ops.map((o) => ({ inputs: o.inputs, time: times[o.op] }));
    expect(sequentialLatency(timed(both))).toBe(13.5);
    expect(depthMaxLatency(timed(both))).toBe(1 + 4 + 4 + 0.5 + 1 + 1); // conv1x1 runs beside the first conv3x3
    expect(sequentialLatency(timed(cut))).toBe(5);
    expect(depthMaxLatency(timed(cut))).toBe(5);
  });
  it('a cell whose two branches run side by side: depth-max charges the slower branch only', () => {
    // 3 <- 0 by conv1x1 (one op) and 3 <- 1 <- 0 by conv3x3 then avgpool (two ops); node 3 adds them.
    const net = describeNetwork(nb201CellArch(parseNb201Cell('|conv3x3~0|+|none~0|none~1|+|conv1x1~0|avgpool3x3~1|none~2|')), { inputShape: [8, 8, 1], numClasses: 10, channels: 4, stages: 1 });
    const times: Record<string, number> = { stem: 1, conv1x1: 2, conv3x3: 4, avgpool3x3: 3, add: 0.5, head: 1, dense: 1 };
    const ops = net.ops.map((o) => ({ inputs: o.inputs, time: times[o.op] }));
    expect(sequentialLatency(ops)).toBe(1 + 4 + 3 + 2 + 0.5 + 1 + 1);
    // Levels: stem | conv3x3, conv1x1 | avgpool | add | head | dense.
    expect(depthMaxLatency(ops)).toBe(1 + 4 + 3 + 0.5 + 1 + 1);
  });
  it('rejects a cycle, a negative or NaN time, and a dangling input', () => {
    expect(() => sequentialLatency([op([-1], 1), op([2], 1), op([1], 1)])).toThrow("sequentialLatency: 'ops' must be acyclic, got the cycle 1 -> 2 -> 1 (each reads the next)");
    expect(() => depthMaxLatency([op([-1], -1)])).toThrow("depthMaxLatency: 'ops[0].time' must be a number >= 0, got -1");
    expect(() => depthMaxLatency([op([-1], Number.NaN)])).toThrow("depthMaxLatency: 'ops[0].time' must be a finite number >= 0, got NaN");
    expect(() => opDepths([op([-1], 1), op([5], 1)])).toThrow("opDepths: 'ops[1].inputs[0]' must be an integer >= -1 and <= 1, got 5");
    expect(() => opDepths([op([0], 1)])).toThrow("opDepths: 'ops[0].inputs' must not read the operation itself, got 0");
    expect(() => opDepths([])).toThrow("opDepths: 'ops' must have at least 1 item, got an empty array");
  });
});
