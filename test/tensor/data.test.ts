import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../src/core/rng';
import {
  classCounts,
  dataTensors,
  loadDigits,
  prepareData,
  prepareDigits,
  splitChecksum,
  stratifiedSplit,
  type DataSplit,
  type ImageDataset,
} from '../../src/tensor/data';

// Counted independently with: zcat data/digits.csv.gz | awk -F, '{c[$65]++} END {for (k=0;k<10;k++) print c[k]}'
const DIGIT_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180];

let digits: ImageDataset;
let tmp: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  digits = loadDigits();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-data-'));
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function writeGz(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, zlib.gzipSync(Buffer.from(text)));
  return file;
}

describe('loadDigits', () => {
  it('reads 1797 images of 64 pixels in 0..16 with the pinned class counts', () => {
    expect(digits.size).toBe(1797);
    expect(digits.features.length).toBe(1797 * 64);
    expect(digits.imageShape).toEqual([8, 8, 1]);
    expect(digits.numClasses).toBe(10);
    expect(classCounts(digits.labels, 10)).toEqual(DIGIT_COUNTS);
    expect(Math.max(...digits.features)).toBe(16);
    expect(Math.min(...digits.features)).toBe(0);
    // The first row of the file: 0,0,5,13,9,1,0,0, ... label 0.
    expect(Array.from(digits.features.slice(0, 8))).toEqual([0, 0, 5, 13, 9, 1, 0, 0]);
    expect(digits.labels.slice(0, 3)).toEqual([0, 1, 2]);
  });

  it('names a missing file', () => {
    expect(() => loadDigits({ path: path.join(tmp, 'nope.csv.gz') })).toThrow(/loadDigits: 'path' must name an existing file, got ".*nope\.csv\.gz" \(no such file\)/);
  });

  it('rejects a file that is not gzip', () => {
    const file = path.join(tmp, 'plain.csv.gz');
    fs.writeFileSync(file, '0,1,2\n');
    expect(() => loadDigits({ path: file })).toThrow(/loadDigits: cannot decompress/);
  });

  it('names the line and column of a bad row', () => {
    const good = `${new Array(64).fill(0).join(',')},3`;
    const short = writeGz('short.csv.gz', `${good}\n0,1,2\n`);
    expect(() => loadDigits({ path: short })).toThrow(/line 2 must have 65 comma-separated values, got 3/);
    const pixel = writeGz('pixel.csv.gz', `${good}\n17,${new Array(63).fill(0).join(',')},3\n`);
    expect(() => loadDigits({ path: pixel })).toThrow(/line 2 column 1 must be an integer in 0\.\.16, got "17"/);
    const label = writeGz('label.csv.gz', `${new Array(64).fill(0).join(',')},x\n`);
    expect(() => loadDigits({ path: label })).toThrow(/line 1 column 65 must be an integer in 0\.\.9, got "x"/);
  });

  it('reads a small valid file', () => {
    const row = (v: number, y: number) => `${new Array(64).fill(v).join(',')},${y}`;
    const d = loadDigits({ path: writeGz('two.csv.gz', `${row(16, 7)}\n${row(1, 2)}\n`) });
    expect(d.size).toBe(2);
    expect(d.labels).toEqual([7, 2]);
    expect(d.features[0]).toBe(16);
    expect(d.features[64]).toBe(1);
  });
});

describe('stratifiedSplit', () => {
  const parts = ['train', 'validation', 'test'] as const;

  it('pins the sizes, per-class counts and checksum for seed 0', () => {
    const s = stratifiedSplit(digits.labels, createRng(0));
    expect([s.train.length, s.validation.length, s.test.length]).toEqual([1078, 362, 357]);
    expect(classCounts(s.train.map((i) => digits.labels[i]), 10)).toEqual([107, 109, 106, 110, 109, 109, 109, 107, 104, 108]);
    expect(classCounts(s.validation.map((i) => digits.labels[i]), 10)).toEqual([36, 37, 36, 37, 36, 37, 36, 36, 35, 36]);
    expect(classCounts(s.test.map((i) => digits.labels[i]), 10)).toEqual([35, 36, 35, 36, 36, 36, 36, 36, 35, 36]);
    expect(splitChecksum(s)).toBe('2435f910');
    expect(s.seed).toBe('0');
    expect(s.fractions).toEqual({ train: 0.6000000000000001, validation: 0.2, test: 0.2 });
  });

  it('holds every class within one row of its exact share, for several seeds and fractions', () => {
    for (const [seed, fr] of [
      [1, { validation: 0.2, test: 0.2 }],
      [2, { validation: 0.1, test: 0.3 }],
      [3, { validation: 0.15, test: 0.15 }],
      [4, { train: 0.1, validation: 0.05, test: 0.05 }],
    ] as const) {
      const s = stratifiedSplit(digits.labels, createRng(seed), fr);
      for (const part of parts) {
        const counts = classCounts(s[part].map((i) => digits.labels[i]), 10);
        counts.forEach((k, c) => expect(Math.abs(k - DIGIT_COUNTS[c] * s.fractions[part])).toBeLessThan(1));
      }
    }
  });

  it('uses every row at most once, and every row when train takes the rest', () => {
    const s = stratifiedSplit(digits.labels, createRng(5));
    const all = [...s.train, ...s.validation, ...s.test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 1797 }, (_, i) => i));
    for (const part of parts) expect(s[part]).toEqual([...s[part]].sort((a, b) => a - b));
    const sub = stratifiedSplit(digits.labels, createRng(5), { train: 0.1, validation: 0.05, test: 0.05 });
    expect([sub.train.length, sub.validation.length, sub.test.length]).toEqual([179, 90, 90]);
    expect(new Set([...sub.train, ...sub.validation, ...sub.test]).size).toBe(359);
  });

  it('repeats with the same seed and changes with another', () => {
    const a = stratifiedSplit(digits.labels, createRng(11));
    const b = stratifiedSplit(digits.labels, createRng(11));
    const c = stratifiedSplit(digits.labels, createRng(12));
    expect(b).toEqual(a);
    expect(splitChecksum(c)).not.toBe(splitChecksum(a));
    expect(c.test).not.toEqual(a.test);
  });

  it('is plain JSON', () => {
    const s = stratifiedSplit(digits.labels, createRng(0));
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('splits a tiny hand-made label list', () => {
    // Two classes of 5: 3/1/1 per class with fractions 0.6/0.2/0.2.
    const labels = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
    const s = stratifiedSplit(labels, createRng(0));
    expect(classCounts(s.train.map((i) => labels[i]), 2)).toEqual([3, 3]);
    expect(classCounts(s.validation.map((i) => labels[i]), 2)).toEqual([1, 1]);
    expect(classCounts(s.test.map((i) => labels[i]), 2)).toEqual([1, 1]);
  });

  it('validates its arguments', () => {
    const rng = createRng(0);
    expect(() => stratifiedSplit([], rng)).toThrow("stratifiedSplit: 'labels' must be a non-empty array of class integers, got []");
    expect(() => stratifiedSplit([0, 1.5], rng)).toThrow("stratifiedSplit: 'labels[1]' must be an integer >= 0, got 1.5");
    expect(() => stratifiedSplit([0, 1], rng, { validation: 1 })).toThrow("stratifiedSplit: 'validation' must be a number >= 0 and < 1, got 1");
    expect(() => stratifiedSplit([0, 1], rng, { test: -0.1 })).toThrow("stratifiedSplit: 'test' must be a number >= 0 and < 1, got -0.1");
    expect(() => stratifiedSplit([0, 1], rng, { validation: 0.5, test: 0.5 })).toThrow("stratifiedSplit: 'validation' + 'test' must be < 1");
    expect(() => stratifiedSplit([0, 1], rng, { train: 0.7 })).toThrow("stratifiedSplit: 'train' + 'validation' + 'test' must be <= 1, got 0.7 + 0.2 + 0.2");
    expect(() => stratifiedSplit([0, 1], rng, { train: 0 })).toThrow("stratifiedSplit: 'train' must be a number > 0 and <= 1, got 0");
  });
});

describe('splitChecksum', () => {
  it('is FNV-1a over the little-endian index words, parts separated by 0xffffffff', () => {
    // Computed independently in Python: FNV-1a 32 over the bytes of 0, 2, -1, 1, -1, -1.
    expect(splitChecksum({ train: [0, 2], validation: [1], test: [] })).toBe('23e19bea');
    // Moving a row between parts changes it.
    expect(splitChecksum({ train: [0], validation: [2, 1], test: [] })).not.toBe('23e19bea');
  });
});

describe('prepareData', () => {
  const split: DataSplit = { seed: 'hand', fractions: { train: 0.5, validation: 0.25, test: 0.25 }, train: [0, 1], validation: [2], test: [3] };

  it("scales by 16 with 'scale'", () => {
    const data = prepareData(digits, split);
    expect(data.normalization.kind).toBe('scale');
    expect(data.train.size).toBe(2);
    expect(data.train.y).toEqual([0, 1]);
    expect(data.train.x[2]).toBeCloseTo(5 / 16, 7); // row 0, pixel 2 is 5
    expect(data.test.x[64 * 0 + 2]).toBeCloseTo(digits.features[3 * 64 + 2] / 16, 7);
    const all = Array.from(prepareDigits(createRng(0)).train.x);
    expect(Math.max(...all)).toBe(1);
    expect(Math.min(...all)).toBe(0);
  });

  it("standardizes with train statistics only under 'standardize'", () => {
    const data = prepareData(digits, split, { normalization: 'standardize' });
    // Pixel 2: rows 0 and 1 hold 5 and 0, so mean 2.5 and (population) std 2.5.
    expect(digits.features[2]).toBe(5);
    expect(digits.features[64 + 2]).toBe(0);
    expect(data.normalization.shift[2]).toBeCloseTo(2.5, 10);
    expect(data.normalization.divisor[2]).toBeCloseTo(2.5, 10);
    expect(data.train.x[2]).toBeCloseTo(1, 6);
    expect(data.train.x[64 + 2]).toBeCloseTo(-1, 6);
    expect(data.validation.x[2]).toBeCloseTo((digits.features[2 * 64 + 2] - 2.5) / 2.5, 6);
    // Pixel 0 is 0 in every row: constant, so it keeps divisor 1.
    expect(data.normalization.divisor[0]).toBe(1);
    expect(data.train.x[0]).toBe(0);
  });

  it('gives zero mean and unit variance per non-constant pixel on the train part', () => {
    const data = prepareDigits(createRng(3), { normalization: 'standardize' });
    const n = data.train.size;
    for (const j of [10, 27, 36, 50]) {
      let sum = 0;
      let sq = 0;
      for (let i = 0; i < n; i++) sum += data.train.x[i * 64 + j];
      for (let i = 0; i < n; i++) sq += (data.train.x[i * 64 + j] - sum / n) ** 2;
      expect(sum / n).toBeCloseTo(0, 5);
      expect(sq / n).toBeCloseTo(1, 4);
    }
  });

  it('validates the split and the normalisation', () => {
    expect(() => prepareData(digits, { ...split, train: [0, 1797] })).toThrow("prepareData: 'split.train[1]' must be an integer >= 0 and <= 1796, got 1797");
    expect(() => prepareData(digits, { ...split, test: [0] })).toThrow("prepareData: 'split' must use each row once, got row 0 twice");
    expect(() => prepareData(digits, { ...split, train: [] })).toThrow("prepareData: 'split.train' must hold at least 1 row");
    expect(() => prepareData(digits, split, { normalization: 'minmax' as never })).toThrow(
      `prepareData: 'normalization' must be one of "scale", "standardize", got "minmax"`,
    );
    expect(() => prepareData({} as ImageDataset, split)).toThrow(/prepareData: 'dataset' must be an ImageDataset/);
  });
});

describe('dataTensors', () => {
  it('gives NHWC or flat features and one-hot or integer labels', () => {
    const data = prepareDigits(createRng(0), { train: 0.1, validation: 0.05, test: 0.05 });
    const before = tf.memory().numTensors;
    const a = dataTensors(data, 'train');
    expect(a.x.shape).toEqual([179, 8, 8, 1]);
    expect(a.y.shape).toEqual([179, 10]);
    expect(a.y.dtype).toBe('float32');
    const [sums, classes] = tf.tidy(() => [Array.from(a.y.sum(1).dataSync()), Array.from(a.y.argMax(1).dataSync())]);
    expect(sums).toEqual(new Array(179).fill(1));
    expect(classes).toEqual(data.train.y);
    const b = dataTensors(data, 'test', { layout: 'flat', labels: 'int' });
    expect(b.x.shape).toEqual([90, 64]);
    expect(b.y.dtype).toBe('int32');
    expect(Array.from(b.y.dataSync())).toEqual(data.test.y);
    expect(Array.from(b.x.dataSync()).slice(0, 64)).toEqual(Array.from(data.test.x.slice(0, 64)));
    tf.dispose([a.x, a.y, b.x, b.y]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('validates part, layout and labels', () => {
    const data = prepareDigits(createRng(0));
    expect(() => dataTensors(data, 'dev' as never)).toThrow(`dataTensors: 'part' must be one of "train", "validation", "test", got "dev"`);
    expect(() => dataTensors(data, 'train', { layout: 'nchw' as never })).toThrow(`dataTensors: 'layout' must be one of "nhwc", "flat", got "nchw"`);
    expect(() => dataTensors(data, 'train', { labels: 'soft' as never })).toThrow(`dataTensors: 'labels' must be one of "onehot", "int", got "soft"`);
  });
});

describe('classCounts', () => {
  it('counts each class and rejects labels out of range', () => {
    expect(classCounts([0, 2, 2], 3)).toEqual([1, 0, 2]);
    expect(() => classCounts([0, 3], 3)).toThrow("classCounts: 'labels[1]' must be an integer >= 0 and <= 2, got 3");
  });
});
