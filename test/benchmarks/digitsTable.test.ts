/**
 * The SHIPPED NAS-Bench-Digits table (data/nasbench-digits.jsonl.gz): its whole selection, every field
 * present, the second seed on about 10% of the cells, and reproducible: a few cells rebuilt by the
 * build command (`nasbench build`, the code behind `npm run nasbench -- build`) give the very numbers
 * the table holds.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nasbenchMain } from '../../src/benchmarks/digits/cli';
import { readDigitsShard } from '../../src/benchmarks/digits/shardFile';
import { DEFAULT_DIGITS_PROTOCOL, sameDigitsProtocol } from '../../src/benchmarks/digits/protocol';
import { digitsBenchUniverse, parseCellSelection, repeatsDigitsCell, selectDigitsCells } from '../../src/benchmarks/digits/shard';
import { loadBench } from '../../src/benchmarks/digits/table';
import { reproducibleDigitsFields } from '../../src/benchmarks/digits/verify';

const bench = loadBench();
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nbdigits-shipped-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the shipped NAS-Bench-Digits table', () => {
  it('holds at least 3000 distinct cells, exactly the selection its header names, under the default protocol; nothing is missing', () => {
    expect(sameDigitsProtocol(bench.header.protocol, DEFAULT_DIGITS_PROTOCOL)).toBe(true);
    expect(bench.size).toBeGreaterThanOrEqual(3000);
    expect(bench.header.missing).toBe(0);
    const selected = selectDigitsCells(parseCellSelection(bench.header.cells), DEFAULT_DIGITS_PROTOCOL);
    expect(bench.cells().sort()).toEqual(selected.slice().sort());
    // Every cell is the canonical representative of its class, so no two rows are the same network.
    const universe = new Set(digitsBenchUniverse());
    expect(bench.cells().every((c) => universe.has(c))).toBe(true);
  });

  it('every record has every field, in range', () => {
    const epochs = DEFAULT_DIGITS_PROTOCOL.training.epochs;
    for (const cell of bench.cells()) {
      for (const r of bench.records(cell)) {
        expect(r.validationAccuracy.length).toBe(epochs);
        expect(r.validationLoss.length).toBe(epochs);
        for (const a of [...r.validationAccuracy, r.trainAccuracy, r.testAccuracy]) expect(a >= 0 && a <= 1).toBe(true);
        expect(Number.isFinite(r.testLoss)).toBe(true);
        expect(r.params).toBeGreaterThan(0);
        expect(r.macs).toBeGreaterThan(0);
        expect(Object.keys(r.latencyMs).sort()).toEqual(['1', '64']);
        // The timing fields are present and are numbers; their size is the machine's, not the table's.
        for (const t of [r.latencyMs['1'], r.latencyMs['64'], r.trainSeconds]) expect(Number.isFinite(t)).toBe(true);
      }
    }
  });

  it('queries at the checkpoints 1, 2, 4, 8 and the end', () => {
    const cell = bench.cells()[bench.size - 1];
    const r = bench.record(cell)!;
    for (const e of [1, 2, 4, 8]) expect(bench.query(cell, { epochs: e })).toBe(r.validationAccuracy[e - 1]);
    expect(bench.query(cell)).toBe(r.validationAccuracy[r.validationAccuracy.length - 1]);
  });

  it('the second seed covers the cells the protocol repeats: about 10%', () => {
    const second = DEFAULT_DIGITS_PROTOCOL.seeds.second;
    const repeated = bench.cells().filter((c) => bench.record(c, second) !== null);
    expect(repeated).toEqual(bench.cells().filter((c) => repeatsDigitsCell(c, DEFAULT_DIGITS_PROTOCOL)));
    expect(repeated.length / bench.size).toBeGreaterThan(0.08);
    expect(repeated.length / bench.size).toBeLessThan(0.12);
  });

  it('a handful of cells rebuilt with `nasbench build` give the same numbers as the table', async () => {
    const out = path.join(dir, 'rebuild.jsonl');
    const logs: string[] = [];
    const code = await nasbenchMain(['build', '--out', out, '--cells', 'sample:3', '--no-progress'], (s) => logs.push(s));
    expect(code).toBe(0);
    const rebuilt = readDigitsShard(out).records;
    expect(rebuilt.length).toBeGreaterThanOrEqual(3);
    for (const r of rebuilt) {
      const stored = bench.record(r.cell, r.seed);
      expect(stored, `${r.cell} seed ${r.seed} is in the table`).not.toBeNull();
      expect(reproducibleDigitsFields(r)).toEqual(reproducibleDigitsFields(stored!));
    }
  }, 120_000);
});
