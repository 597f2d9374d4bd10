import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseShard } from '../../../src/core/shard';
import { byTableCell, loadZeroCostSurvey, runZeroCostSurvey, zeroCostSurveyCells, zeroCostSurveyHeader } from '../../../src/estimation/zerocost/survey';
import { zeroCostMain } from '../../../src/estimation/zerocost/cli';
import { init } from '../../../src/tensor';
import { digitsCellKey } from '../../../src/benchmarks/digits/shard';
import { nb201FromIndex } from '../../../src/spaces/nb201';

let dir: string;
beforeAll(async () => {
  await init({ quiet: true });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-zc-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('zero-cost survey', () => {
  it('covers the 4930 distinct cells on both tables; byTableCell gives each of the 15625 the score of its class', () => {
    expect(zeroCostSurveyCells('digits')).toHaveLength(4930);
    expect(zeroCostSurveyCells('nb201')).toEqual(zeroCostSurveyCells('digits'));
    const header = zeroCostSurveyHeader('nb201', 'wasm');
    const out = path.join(dir, 'nb201-1-of-1.jsonl');
    expect(runZeroCostSurvey({ header, out, shard: parseShard('1/1'), limit: 3 })).toEqual({ total: 4930, before: 0, ran: 3 });
    const survey = loadZeroCostSurvey([out], 'nb201');
    expect(survey.records[0].scores.synflow).toBeNull(); // the all-'none' class
    const table = byTableCell(survey, 'synflow');
    expect(table).toHaveLength(15625);
    for (const r of survey.records.slice(1)) {
      const members = table.flatMap((v, i) => (digitsCellKey(nb201FromIndex(i)) === r.cell ? [v] : []));
      expect(members.length).toBeGreaterThan(0);
      expect(members.every((v) => v === r.scores.synflow)).toBe(true);
    }
    expect(table.filter((v) => v !== null).length).toBeLessThan(15625); // the other classes are missing: null
    expect(() => byTableCell(survey, 'grad_norm')).toThrow(/'proxy' must be one of/);
  }, 60_000);

  it('resumes where it stopped, and two shards together equal one run', () => {
    const header = zeroCostSurveyHeader('digits', 'wasm');
    const whole = path.join(dir, 'digits-1-of-1.jsonl');
    expect(runZeroCostSurvey({ header, out: whole, shard: parseShard('1/1'), limit: 2 })).toEqual({ total: 4930, before: 0, ran: 2 });
    expect(runZeroCostSurvey({ header, out: whole, shard: parseShard('1/1'), limit: 2 })).toEqual({ total: 4930, before: 2, ran: 2 });
    const one = loadZeroCostSurvey([whole], 'digits').records;
    const shards = [1, 2].map((i) => path.join(dir, `part-${i}.jsonl`));
    shards.forEach((f, i) => runZeroCostSurvey({ header, out: f, shard: parseShard(`${i + 1}/2`), limit: 2 }));
    const merged = loadZeroCostSurvey(shards, 'digits').records.sort((a, b) => zeroCostSurveyCells('digits').indexOf(a.cell) - zeroCostSurveyCells('digits').indexOf(b.cell));
    expect(merged.map((r) => [r.cell, r.scores])).toEqual(one.map((r) => [r.cell, r.scores]));
    // The all-'none' cell scores null (−∞) where no signal crosses; a live one scores finite numbers.
    expect(one[0].scores.synflow).toBeNull();
    expect(Number.isFinite(one[1].scores.synflow)).toBe(true);
  }, 120_000);

  it('refuses a file of another header, and the command names a bad flag', async () => {
    const out = path.join(dir, 'refuse.jsonl');
    runZeroCostSurvey({ header: zeroCostSurveyHeader('digits', 'wasm'), out, shard: parseShard('1/1'), limit: 0 });
    const other = { ...zeroCostSurveyHeader('digits', 'wasm'), seed: 'other' };
    expect(() => runZeroCostSurvey({ header: other, out, shard: parseShard('1/1'), limit: 1 })).toThrow(/another header/);
    await expect(zeroCostMain(['--survey', 'cifar', '--out', out])).rejects.toThrow(/'--survey' must be one of/);
    await expect(zeroCostMain(['--sruvey', 'digits'])).rejects.toThrow(/unknown option "--sruvey"/);
  });
});
