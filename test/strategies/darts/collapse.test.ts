import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseShard } from '../../../src/core/shard';
import { init } from '../../../src/tensor/backend';
import { loadBench } from '../../../src/benchmarks/digits/table';
import { loadNasBench201 } from '../../../src/benchmarks/nasbench201';
import { cellRanker, type CellRanker } from '../../../src/strategies/darts/lookup';
import {
  collapseStats, dartsCollapseHeader, dartsRunKey, dartsSettingKey, DARTS_COLLAPSE_PLAN, loadDartsCollapse, runDartsCollapse, runDartsSearch,
} from '../../../src/strategies/darts/collapse';
import { dartsMain } from '../../../src/strategies/darts/cli';

let rank: CellRanker;
beforeAll(async () => {
  await init({ prefer: 'wasm', quiet: true });
  rank = cellRanker(loadBench(), loadNasBench201());
}, 120_000);

describe('collapseStats', () => {
  it('counts skip and parameter-free argmaxes and averages the weights on skip and on the convolutions', () => {
    // Columns: none, skip, conv1x1, conv3x3, avgpool3x3.
    const s = collapseStats([
      [0.1, 0.6, 0.1, 0.1, 0.1],
      [0.1, 0.2, 0.5, 0.1, 0.1],
      [0.1, 0.1, 0.1, 0.1, 0.6],
      [0.5, 0.2, 0.1, 0.1, 0.1],
    ]);
    expect(s.skipArgmaxShare).toBeCloseTo(0.25, 12);
    expect(s.parameterFreeArgmaxShare).toBeCloseTo(0.75, 12);
    expect(s.meanSkipWeight).toBeCloseTo((0.6 + 0.2 + 0.1 + 0.2) / 4, 12);
    expect(s.meanParametricWeight).toBeCloseTo((0.2 + 0.6 + 0.2 + 0.2) / 4, 12);
  });

  it('rejects rows of the wrong length and NaN weights, naming them', () => {
    expect(() => collapseStats([])).toThrow(/weights/);
    expect(() => collapseStats([[0.5, 0.5]])).toThrow(/weights\[0\]/);
    expect(() => collapseStats([[0.2, 0.2, Number.NaN, 0.2, 0.2]])).toThrow(/weights\[0\]\[2\]/);
  });
});

describe('the collapse plan and its runs', () => {
  it('plans short and long first-order budgets over 5 seeds and second order over 3, keys unique', () => {
    const settings = new Map<string, number>();
    for (const r of DARTS_COLLAPSE_PLAN) settings.set(dartsSettingKey(r), (settings.get(dartsSettingKey(r)) ?? 0) + 1);
    expect(settings.get('o1/lr0.003/e10')).toBe(5);
    expect(settings.get('o1/lr0.003/e4')).toBe(5);
    expect(settings.get('o1/lr0.03/e10')).toBe(5);
    expect(settings.get('o2/lr0.003/e10')).toBe(3);
    expect(new Set(DARTS_COLLAPSE_PLAN.map(dartsRunKey)).size).toBe(DARTS_COLLAPSE_PLAN.length);
  });

  it('runs a shard into a resumable file, the same numbers as a run by itself, and reads it back', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-darts-'));
    const out = path.join(dir, 'c-1-of-2.jsonl');
    const runs = [0, 1, 2].map((seed) => ({ order: 1 as const, alphaLearningRate: 3e-2, epochs: 1, seed }));
    const header = dartsCollapseHeader('wasm', runs);
    // Shard 1/2 holds runs 0 and 2; the limit stops after one.
    expect(runDartsCollapse({ header, out, shard: parseShard('1/2'), rank, limit: 1 })).toEqual({ total: 2, before: 0, ran: 1 });
    expect(runDartsCollapse({ header, out, shard: parseShard('1/2'), rank, limit: 0 })).toEqual({ total: 2, before: 1, ran: 0 });
    const read = loadDartsCollapse(dir);
    expect(read.header).toEqual(header);
    // Another plan in the same folder is read with it; another setup is refused.
    const other = { order: 1 as const, alphaLearningRate: 3e-3, epochs: 2, seed: 0 };
    fs.writeFileSync(path.join(dir, 'long.jsonl'), JSON.stringify({ header: dartsCollapseHeader('wasm', [other]) }) + '\n');
    expect(loadDartsCollapse(dir).header.runs).toEqual([...runs, other]);
    fs.writeFileSync(path.join(dir, 'long.jsonl'), JSON.stringify({ header: { ...dartsCollapseHeader('wasm', [other]), batchSize: 32 } }) + '\n');
    expect(() => loadDartsCollapse(dir)).toThrow(/another setup/);
    fs.rmSync(path.join(dir, 'long.jsonl'));
    expect(read.runs.map((r) => r.key)).toEqual(['o1/lr0.03/e1/s0']);
    const alone = runDartsSearch(runs[0], { rank, batchSize: header.batchSize, lMin: header.lMin });
    expect(read.runs[0].history).toEqual(alone.history);
    const e = alone.history[0];
    expect(e.step).toBe(9);
    expect(e.weights).toHaveLength(6);
    expect(e.cells.withoutNone.cell).not.toMatch(/none/);
    expect(e.cells.repaired.digits.of).toBe(4930);
    expect(e).toMatchObject(collapseStats(e.weights));
    // Another header cannot append to this file.
    expect(() => runDartsCollapse({ header: dartsCollapseHeader('cpu', runs), out, shard: parseShard('1/2'), rank })).toThrow(/another header/);
    expect(() => runDartsSearch({ ...runs[0], order: 3 as never }, { rank })).toThrow(/spec\.order/);
    expect(() => runDartsSearch(runs[0], {} as never)).toThrow(/opts\.rank/);
    expect(() => loadDartsCollapse(path.join(dir, 'nothing'))).toThrow(/source.*does not exist/);
    // The shipped runs are read by default.
    expect(loadDartsCollapse().runs.length).toBeGreaterThanOrEqual(10);
    fs.rmSync(dir, { recursive: true });
  }, 180_000);
});

describe('npm run darts', () => {
  it('rejects a missing --out, an unknown flag and a bad shard, with the usage', async () => {
    await expect(dartsMain([], () => {})).rejects.toThrow(/--out is required[\s\S]*usage/);
    await expect(dartsMain(['--seeds', '3'], () => {})).rejects.toThrow(/"--seeds"/);
    await expect(dartsMain(['--out', 'x.jsonl', '--shard', '3/2'], () => {})).rejects.toThrow(/--shard/);
    await expect(dartsMain(['--out', 'x.jsonl', '--plan', 'huge'], () => {})).rejects.toThrow(/--plan.*"collapse", "long", "long-large-step"/);
  });
});
