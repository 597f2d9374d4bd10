import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { loadNasBench201, nasBench201NetworkCost } from '../../src/benchmarks/nasbench201';
import {
  canonicalNb201Cell,
  formatNb201Cell,
  isNb201Disconnected,
  nb201FromIndex,
  nb201Index,
  parseNb201Cell,
} from '../../src/spaces/nb201';

const ALL_CONV3 = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|';
// Rows 0 and 1 of data/nasbench201-hp12.csv.gz, read with zcat.
const ROW0 = '|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|';
const ROW1 = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';

describe('loadNasBench201', () => {
  const bench = loadNasBench201();

  it('holds all 15625 cells and is memoised', () => {
    expect(bench.size).toBe(15625);
    expect(loadNasBench201()).toBe(bench);
    expect([...bench.cells()].length).toBe(15625);
    expect(nb201Index([...bench.cells()][123])).toBe(123);
  });

  it('returns the values of the file, for a cell value or either string', () => {
    // 1,|nor_conv_3x3~0|+...,88.22,82.834,58.26,57.8,33.8,35.4333
    expect(bench.query(ROW1, { dataset: 'cifar10', split: 'test' })).toBe(88.22);
    expect(bench.query(parseNb201Cell(ROW1), { dataset: 'cifar10', split: 'val' })).toBe(82.834);
    const ours = formatNb201Cell(parseNb201Cell(ROW1));
    expect(bench.query(ours, { dataset: 'cifar100', split: 'test' })).toBe(58.26);
    expect(bench.query(ours, { dataset: 'cifar100', split: 'val' })).toBe(57.8);
    expect(bench.query(ours, { dataset: 'imagenet16', split: 'test' })).toBe(33.8);
    expect(bench.query(ours, { dataset: 'imagenet16', split: 'val' })).toBe(35.4333);
    // 0,|avg_pool_3x3~0|+...,69.55,63.364,31.26,31.84,17,18.4667
    const r = bench.record(ROW0);
    expect(r.nb201Index).toBe(0);
    expect(r.cell).toBe('|avgpool3x3~0|+|conv1x1~0|skip~1|+|conv1x1~0|skip~1|skip~2|');
    expect(r.accuracy).toEqual({
      'cifar10-val': 63.364, 'cifar10-test': 69.55, 'cifar100-val': 31.84, 'cifar100-test': 31.26, 'imagenet16-val': 18.4667, 'imagenet16-test': 17,
    });
    expect(bench.record(ROW1).nb201Index).toBe(1);
  });

  it('puts every disconnected cell at chance: 341 cells, 10.0 on CIFAR-10 test, 9.712 on validation', () => {
    let n = 0;
    let best = 0;
    for (const cell of bench.cells()) {
      const test = bench.query(cell, { dataset: 'cifar10', split: 'test' });
      if (isNb201Disconnected(cell)) {
        n++;
        expect(test).toBe(10);
        expect(bench.query(cell, { dataset: 'cifar10', split: 'val' })).toBe(9.712);
      } else {
        best = Math.max(best, test);
      }
    }
    expect(n).toBe(341);
    expect(best).toBe(89.16);
  });

  it('gives duplicate cells close accuracies (spread within canonical classes)', () => {
    const groups = new Map<number, number[]>();
    for (const cell of bench.cells()) {
      const key = nb201Index(canonicalNb201Cell(cell));
      const list = groups.get(key) ?? [];
      list.push(bench.query(cell, { dataset: 'cifar10', split: 'val' }));
      groups.set(key, list);
    }
    expect(groups.size).toBe(4930);
    const spreads = [...groups.values()].filter((v) => v.length > 1).map((v) => Math.max(...v) - Math.min(...v)).sort((a, b) => a - b);
    expect(spreads.length).toBe(1206);
    const median = spreads[Math.floor(spreads.length / 2)];
    const p90 = spreads[Math.floor(0.9 * spreads.length)];
    expect(median).toBeLessThan(1);
    expect(p90).toBeLessThan(3);
    // Two unrelated connected cells differ far more: median gap of cells i and i + 7919 (mod 15625).
    const gaps: number[] = [];
    for (let i = 0; i < 15625; i += 5) {
      const a = nb201FromIndex(i);
      const b = nb201FromIndex((i + 7919) % 15625);
      if (isNb201Disconnected(a) || isNb201Disconnected(b)) continue;
      gaps.push(Math.abs(bench.query(a, { dataset: 'cifar10', split: 'val' }) - bench.query(b, { dataset: 'cifar10', split: 'val' })));
    }
    gaps.sort((x, y) => x - y);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeGreaterThan(3 * median);
  });

  it('names the bad argument', () => {
    expect(() => bench.query('|conv5x5~0|+|none~0|none~1|+|none~0|none~1|none~2|', { dataset: 'cifar10', split: 'val' })).toThrow(
      /^NasBench201\.query: 'cell' must be a NAS-Bench-201 cell or its string, got "\|conv5x5~0\|.*unknown operation "conv5x5"/,
    );
    expect(() => bench.query(ROW1, { dataset: 'mnist' as never, split: 'val' })).toThrow(
      `NasBench201.query: 'dataset' must be one of "cifar10", "cifar100", "imagenet16", got "mnist"`,
    );
    expect(() => bench.query(ROW1, { dataset: 'cifar10', split: 'train' as never })).toThrow(`NasBench201.query: 'split' must be one of "val", "test", got "train"`);
    expect(() => bench.query(ROW1, undefined as never)).toThrow(/NasBench201\.query: 'opts' must be an object/);
    expect(() => bench.query({ kind: 'nb201', ops: [] } as never, { dataset: 'cifar10', split: 'val' })).toThrow(/NasBench201\.query: 'cell\.ops' must have length 6/);
    expect(() => bench.cost(ROW1, { dataset: 'svhn' as never })).toThrow(/NasBench201\.cost: 'dataset' must be one of/);
  });

  it('reports a missing or corrupt file with its name and the line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb201-'));
    const write = (name: string, text: string, gzip = true) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, gzip ? zlib.gzipSync(text) : text);
      return file;
    };
    const header = 'index,cell,cifar10-test,cifar10-val,cifar100-test,cifar100-val,imagenet-test,imagenet-val\n';
    expect(() => loadNasBench201({ file: path.join(dir, 'missing.csv.gz') })).toThrow(/loadNasBench201: cannot read the NAS-Bench-201 table .*missing\.csv\.gz: ENOENT/);
    expect(() => loadNasBench201({ file: write('plain.csv.gz', header, false) })).toThrow(/plain\.csv\.gz: .*incorrect header check/);
    expect(() => loadNasBench201({ file: write('head.csv.gz', 'a,b\n') })).toThrow(/head\.csv\.gz: the first line must be the header/);
    expect(() => loadNasBench201({ file: write('fields.csv.gz', `${header}0,${ROW0},1,2\n`) })).toThrow(/line 2 has 4 fields, expected 8/);
    expect(() => loadNasBench201({ file: write('cell.csv.gz', `${header}0,|bad|,1,2,3,4,5,6\n`) })).toThrow(/line 2: parseNb201Cell: 'text' must look like/);
    expect(() => loadNasBench201({ file: write('acc.csv.gz', `${header}0,${ROW0},1,2,3,x,5,6\n`) })).toThrow(/line 2: cifar100-val "x" is not a percentage/);
    expect(() => loadNasBench201({ file: write('dup.csv.gz', `${header}0,${ROW0},1,2,3,4,5,6\n1,${ROW0},1,2,3,4,5,6\n`) })).toThrow(/line 3: cell .* appears twice/);
    expect(() => loadNasBench201({ file: write('short.csv.gz', `${header}0,${ROW0},1,2,3,4,5,6\n`) })).toThrow(/expected 15625 cells, found 1/);
    expect(() => loadNasBench201({ file: 3 as never })).toThrow(`loadNasBench201: 'file' must be a non-empty string, got 3`);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('nasBench201NetworkCost', () => {
  it("meets NAS-Bench-201's published params and FLOPs", () => {
    // NAS-Bench-201 API, architecture 1 (ROW1): CIFAR-10 FLOP=113.95 M, Params=0.802 MB; CIFAR-100
    // 113.96 M / 0.808 MB; ImageNet16-120 28.50 M / 0.810 MB (NATS-Bench issue 18); exact CIFAR-10
    // values 113.95137 / 0.802426 for another 3-conv3x3 cell (NATS-Bench issue 36).
    expect(nasBench201NetworkCost(ROW1)).toEqual({ params: 802426, flops: 113951370 });
    const c100 = nasBench201NetworkCost(ROW1, { dataset: 'cifar100' });
    expect(c100.params / 1e6).toBeCloseTo(0.808, 3);
    expect(c100.flops / 1e6).toBeCloseTo(113.96, 2);
    const inet = nasBench201NetworkCost(ROW1, { dataset: 'imagenet16' });
    expect(inet.params / 1e6).toBeCloseTo(0.81, 2);
    expect(inet.flops / 1e6).toBeCloseTo(28.5, 2);
    // Architecture 0 (ROW0): 15.64737 / 15.65322 / 3.91948 MFLOPs (NATS-Bench issue 24).
    expect(nasBench201NetworkCost(ROW0).flops).toBe(15647370);
    expect(nasBench201NetworkCost(ROW0, { dataset: 'cifar100' }).flops).toBe(15653220);
    expect(nasBench201NetworkCost(ROW0, { dataset: 'imagenet16' }).flops).toBe(3919480);
  });

  it('computes the all-conv3x3 and the conv-free cells by hand', () => {
    // Skeleton without cell convs: stem 27·16+32, reductions 14464 + 57600, last BN 128, classifier 650;
    // FLOPs: stem 32²·16·27, each reduction (conv_a, conv_b, shortcut 1x1) 1179648 + 2359296 + 131072, classifier 650.
    const base = { params: 464 + 14464 + 57600 + 128 + 650, flops: 442368 + (1179648 + 2359296 + 131072) * 2 + 650 };
    expect(base).toEqual({ params: 73306, flops: 7783050 });
    for (const s of ['|none~0|+|none~0|none~1|+|none~0|none~1|none~2|', '|skip~0|+|skip~0|avgpool3x3~1|+|skip~0|skip~1|avgpool3x3~2|']) {
      expect(nasBench201NetworkCost(s)).toEqual(base);
    }
    // Each conv3x3 edge: 5 cells × (2336 + 9280 + 36992) params and 15 × 2359296 MACs.
    expect(nasBench201NetworkCost(ALL_CONV3)).toEqual({ params: 73306 + 6 * 5 * 48608, flops: 7783050 + 6 * 15 * 2359296 });
    expect(nasBench201NetworkCost(ALL_CONV3).params).toBe(1531546); // 1.53 M, as published
    // Dead edges count: a conv3x3 into a node that never reaches the output still costs.
    const dead = '|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|';
    expect(nasBench201NetworkCost(dead).params).toBe(73306 + 5 * 48608);
    expect(loadNasBench201().cost(dead, { dataset: 'cifar10' })).toEqual(nasBench201NetworkCost(dead));
    expect(() => nasBench201NetworkCost('nope')).toThrow(/nasBench201NetworkCost: 'cell' must be a NAS-Bench-201 cell or its string, got "nope"/);
    expect(() => nasBench201NetworkCost(ALL_CONV3, { dataset: 'x' as never })).toThrow(/nasBench201NetworkCost: 'dataset' must be one of/);
  });
});
