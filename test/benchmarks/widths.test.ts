import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../../src/tensor/backend';
import { createWidthBench } from '../../src/benchmarks/widths';

beforeAll(async () => {
  await init({ prefer: 'wasm', quiet: true });
});

describe('width benchmark (real MLP training on the digits)', () => {
  it('trains a genome, remembers it, and a fresh bench trains it to the same numbers', async () => {
    const bench = createWidthBench({ epochs: 4 });
    const a = await bench.evaluate([32, 16, 8]);
    expect(a.params).toBe(bench.space.params([32, 16, 8]));
    expect(a.accuracy).toBeGreaterThan(0.5); // 10 classes: chance is 0.1
    // A fresh training reports its wall time (a number, not checked: speed is the bench's business); a recalled one reports 0.
    expect(typeof a.seconds).toBe('number');
    const again = await bench.evaluate([32, 16, 8]);
    expect(again).toEqual({ ...a, seconds: 0 });
    expect(bench.trained().length).toBe(1);
    const fresh = await createWidthBench({ epochs: 4 }).evaluate([32, 16, 8]);
    expect({ ...fresh, seconds: 0 }).toEqual({ ...a, seconds: 0 });
  });
  it('a 4-unit bottleneck learns less than a wide network', async () => {
    const bench = createWidthBench({ epochs: 4 });
    const narrow = await bench.evaluate([4, 4, 4]);
    const wide = await bench.evaluate([64, 64, 64]);
    expect(wide.accuracy).toBeGreaterThan(narrow.accuracy + 0.1);
    expect(wide.params).toBeGreaterThan(narrow.params);
  });
  it('rejects a genome outside the space and bad protocol fields, naming them', async () => {
    const bench = createWidthBench();
    await expect(bench.evaluate([32, 16])).rejects.toThrow("widthSpace.key: 'genome' must be 3 widths from [4, 8, 16, 32, 64], got [32, 16]");
    expect(() => createWidthBench({ epochs: 0 })).toThrow(/'epochs' must be an integer >= 1/);
    expect(() => createWidthBench({ choices: [3, 3] })).toThrow(/'choices' must be distinct widths/);
  });
});
