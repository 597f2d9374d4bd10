import { describe, expect, it } from 'vitest';
import { HOROWITZ_45NM, energyFromCost, networkEnergy } from '../../src/estimation';
import { archCost } from '../../src/tensor/cost';
import { nb201CellArch, parseNb201Cell } from '../../src/spaces/nb201';

const DIGITS = { inputShape: [8, 8, 1], numClasses: 10, channels: 8, cellsPerStage: 1, stages: 2 };
const cellEnergy = (cell: string) => networkEnergy(nb201CellArch(parseNb201Cell(cell)), DIGITS);

describe('energy model', () => {
  it("states Horowitz's 45 nm constants", () => {
    expect(HOROWITZ_45NM.macPJ).toBeCloseTo(4.6, 12);
    expect(HOROWITZ_45NM.activationBytePJ).toBe(2.5);
    expect(HOROWITZ_45NM.weightBytePJ).toBe(12.5);
    expect(HOROWITZ_45NM.source).toContain('Horowitz');
  });

  it('adds arithmetic, activation traffic and weight reads per op (a hand-computed MLP)', () => {
    const e = energyFromCost(archCost({ kind: 'mlp', widths: [3] }, { inputShape: [4], numClasses: 2 }));
    expect(e.computePJ).toBeCloseTo(18 * 4.6, 9);
    expect(e.activationPJ).toBeCloseTo(5 * 4 * 2 * 2.5, 9);
    expect(e.weightPJ).toBeCloseTo(23 * 4 * 12.5, 9);
    expect(e.totalPJ).toBeCloseTo(1332.8, 9);
    expect(e.microjoules).toBeCloseTo(1332.8e-6, 15);
    expect(e.ops.map((o) => o.name)).toEqual(['dense1', 'classifier']);
  });

  it('orders cells as their work does: convolutions cost, identities and zero edges are free', () => {
    const skips = cellEnergy('|skip~0|+|skip~0|skip~1|+|skip~0|skip~1|skip~2|');
    const convs = cellEnergy('|conv3x3~0|+|conv3x3~0|conv3x3~1|+|conv3x3~0|conv3x3~1|conv3x3~2|');
    const oneConv = cellEnergy('|conv3x3~0|+|skip~0|skip~1|+|skip~0|skip~1|skip~2|');
    expect(skips.totalPJ).toBeLessThan(oneConv.totalPJ);
    expect(oneConv.totalPJ).toBeLessThan(convs.totalPJ);
    for (const o of skips.ops.filter((op) => op.op === 'skip')) expect(o.totalPJ).toBe(0);
    // Energy of the all-conv3x3 cell: every term positive, compute the largest share here.
    expect(convs.computePJ).toBeGreaterThan(convs.weightPJ);
  });

  it('takes other constants, and rejects bad ones naming the field', () => {
    const cost = archCost({ kind: 'mlp', widths: [3] }, { inputShape: [4], numClasses: 2 });
    const dram = { ...HOROWITZ_45NM, weightBytePJ: 1300 / 8, source: 'weights in DRAM (1.3 nJ per 64 bits)' };
    expect(energyFromCost(cost, dram).weightPJ).toBeCloseTo(23 * 4 * 162.5, 9);
    expect(() => energyFromCost(cost, { ...HOROWITZ_45NM, macPJ: -1 })).toThrow("energyFromCost: 'constants.macPJ' must be a number >= 0, got -1");
    expect(() => energyFromCost({} as never)).toThrow("energyFromCost: 'cost' must be an archCost result { ops }, got {}");
    expect(() => energyFromCost({ ops: [{ ...cost.ops[0], macs: NaN }] })).toThrow("energyFromCost: 'cost.ops[0].macs' must be a finite number >= 0, got NaN");
  });
});
