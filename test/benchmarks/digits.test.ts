import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import { formatNb201Cell, nb201Cell } from '../../src/spaces/nb201';
import { init } from '../../src/tensor/backend';
import { archCost } from '../../src/tensor/cost';
import { nb201CellArch, parseNb201Cell } from '../../src/spaces/nb201';
import { buildDigitsBench } from '../../src/benchmarks/digits/build';
import { readDigitsShard } from '../../src/benchmarks/digits/shardFile';
import { digitsBenchData, trainDigitsCell } from '../../src/benchmarks/digits/cell';
import { nasbenchMain } from '../../src/benchmarks/digits/cli';
import {
  checkDigitsProtocol, compatibleEngines, DEFAULT_DIGITS_PROTOCOL, digitsBenchEngine, TINY_DIGITS_PROTOCOL, type DigitsBenchProtocol,
} from '../../src/benchmarks/digits/protocol';
import {
  digitsBenchUniverse,
  digitsCellKey,
  digitsShardTasks,
  parseCellSelection,
  parseShard,
  repeatsDigitsCell,
  selectDigitsCells,
} from '../../src/benchmarks/digits/shard';
import { loadBench, mergeDigitsShards } from '../../src/benchmarks/digits/table';
import { reproducibleDigitsFields, verifyDigitsTable } from '../../src/benchmarks/digits/verify';

const P: DigitsBenchProtocol = TINY_DIGITS_PROTOCOL;
let dir: string;
/** Tasks of the tiny sample:3 build (3 cells plus their repeats), set by the resume test. */
let tasks: number;
const tmp = (name: string) => path.join(dir, name);
const lines = (file: string) => fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);

beforeAll(async () => {
  await init({ prefer: 'wasm', quiet: true });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nbdigits-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('cell selection and shards', () => {
  it('the universe is the 4930 duplicate-free cells, all-none first', () => {
    const u = digitsBenchUniverse();
    expect(u.length).toBe(4930);
    expect(new Set(u).size).toBe(4930);
    expect(u[0]).toBe('|none~0|+|none~0|none~1|+|none~0|none~1|none~2|');
  });

  it('parses selections and shards, and rejects bad ones', () => {
    expect(parseCellSelection('all')).toEqual({ kind: 'all' });
    expect(parseCellSelection('sample:3000')).toEqual({ kind: 'sample', n: 3000 });
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(() => parseCellSelection('some')).toThrow(/'cells' must be 'all', 'sample:N' or 'first:N'/);
    expect(() => parseCellSelection('sample:0')).toThrow(/'cells N' must be an integer >= 1/);
    expect(() => parseShard('3/2')).toThrow(/'shard' must be i\/n with 1 <= i <= n \(e\.g\. '1\/4'\), got "3\/2"/);
    expect(() => parseShard('1-2')).toThrow(/'shard' must be i\/n/);
    expect(() => selectDigitsCells({ kind: 'sample', n: 5000 }, P)).toThrow(/asks for 5000 cells, but the space holds 4930/);
  });

  it('a sample is seeded, distinct, in universe order', () => {
    const a = selectDigitsCells({ kind: 'sample', n: 50 }, P);
    expect(selectDigitsCells({ kind: 'sample', n: 50 }, P)).toEqual(a);
    expect(new Set(a).size).toBe(50);
    const u = digitsBenchUniverse();
    const idx = a.map((c) => u.indexOf(c));
    expect(idx.every((v, i) => v >= 0 && (i === 0 || v > idx[i - 1]))).toBe(true);
  });

  it('shards cover every task exactly once', () => {
    const cells = selectDigitsCells({ kind: 'first', n: 23 }, P);
    const all = digitsShardTasks(cells, { index: 1, count: 1 }, P).map((t) => `${t.cell} ${t.seed}`);
    const parts = [1, 2, 3].flatMap((i) => digitsShardTasks(cells, { index: i, count: 3 }, P).map((t) => `${t.cell} ${t.seed}`));
    expect(parts.length).toBe(all.length);
    expect(new Set(parts)).toEqual(new Set(all));
    // 23 cells at 8, 8, 7 per shard by position mod 3.
    expect(digitsShardTasks(cells, { index: 3, count: 3 }, P).filter((t) => t.seed === P.seeds.primary).length).toBe(7);
  });

  it('repeats close to repeatFraction of the cells with the second seed, the same cells every time', () => {
    const u = digitsBenchUniverse();
    const repeated = u.filter((c) => repeatsDigitsCell(c, DEFAULT_DIGITS_PROTOCOL)).length;
    // Binomial(4930, 0.1): mean 493, sd 21; 4 sd either side.
    expect(repeated).toBeGreaterThan(493 - 84);
    expect(repeated).toBeLessThan(493 + 84);
    expect(u.filter((c) => repeatsDigitsCell(c, DEFAULT_DIGITS_PROTOCOL)).length).toBe(repeated);
  });

  it('duplicate cells share one key', () => {
    expect(digitsCellKey('|conv3x3~0|+|conv3x3~0|none~1|+|none~0|none~1|skip~2|')).toBe('|none~0|+|none~0|none~1|+|conv3x3~0|none~1|none~2|');
    expect(() => digitsCellKey('|conv5x5~0|+|none~0|none~1|+|none~0|none~1|none~2|')).toThrow(/unknown operation/);
  });
});

describe('engine', () => {
  it('records the kernels the cells trained on; a header without the field means the composed kernels', () => {
    const engine = digitsBenchEngine('wasm');
    expect(engine.kernels).toBe('composed');
    const { kernels, ...beforeThePack } = engine;
    expect(kernels).toBe('composed');
    expect(compatibleEngines(beforeThePack, engine)).toBe(true);
    expect(compatibleEngines({ ...engine, kernels: 'pack' }, engine)).toBe(false);
    expect(compatibleEngines({ ...engine, backend: 'cpu' }, engine)).toBe(false);
  });
});

describe('protocol', () => {
  it('the default protocol trains on 30% of the digits and validates and tests on 20% each', () => {
    const d = digitsBenchData(DEFAULT_DIGITS_PROTOCOL);
    // 1797 rows, stratified per class by largest remainder: 541 + 360 + 358 = 1259, 538 unused.
    expect([d.train.size, d.validation.size, d.test.size]).toEqual([541, 360, 358]);
    expect(DEFAULT_DIGITS_PROTOCOL.training.epochs).toBeGreaterThanOrEqual(Math.max(...DEFAULT_DIGITS_PROTOCOL.checkpoints));
    expect(DEFAULT_DIGITS_PROTOCOL.checkpoints).toEqual([1, 2, 4, 8]);
  });

  it('checks every field', () => {
    expect(checkDigitsProtocol(DEFAULT_DIGITS_PROTOCOL, 'f')).toEqual(DEFAULT_DIGITS_PROTOCOL);
    const bad = JSON.parse(JSON.stringify(P));
    bad.training.epochs = 0;
    expect(() => checkDigitsProtocol(bad, 'f')).toThrow(/'protocol.training.epochs' must be an integer >= 1/);
    const bad2 = JSON.parse(JSON.stringify(P));
    bad2.checkpoints = [1, 4];
    expect(() => checkDigitsProtocol(bad2, 'f')).toThrow(/'protocol.checkpoints\[1\]' must be an integer/);
    expect(() => checkDigitsProtocol({ ...P, format: 'x' }, 'f')).toThrow(/'protocol.format'/);
  });
});

describe('build, resume, shards, merge, load (tiny protocol)', () => {
  const cells = 'sample:3';

  it('one cell: the record has every field, params and MACs from archCost', async () => {
    const cell = '|conv3x3~0|+|skip~0|conv1x1~1|+|none~0|skip~1|avgpool3x3~2|';
    const r = await trainDigitsCell({ cell, seed: 's' }, P, digitsBenchData(P));
    const cost = archCost(nb201CellArch(parseNb201Cell(cell)), { inputShape: [8, 8, 1], numClasses: 10, ...P.network });
    expect(r.params).toBe(cost.params);
    expect(r.macs).toBe(cost.macs);
    expect(r.validationAccuracy.length).toBe(P.training.epochs);
    expect(r.validationLoss.length).toBe(P.training.epochs);
    // The tiny split holds 5% of the 1797 rows for validation (90, largest remainder per class) and
    // test (89), so accuracies are multiples of 1/90 and 1/89.
    const data = digitsBenchData(P);
    expect([data.validation.size, data.test.size]).toEqual([90, 89]);
    for (const a of r.validationAccuracy) expect(Math.abs(a * 90 - Math.round(a * 90))).toBeLessThan(1e-6);
    expect(Math.abs(r.testAccuracy * 89 - Math.round(r.testAccuracy * 89))).toBeLessThan(1e-6);
    expect(Object.keys(r.latencyMs).sort()).toEqual(['1', '8']);
    expect(r.latencyMs['1']).toBeGreaterThan(0);
    expect(r.trainSeconds).toBeGreaterThan(0);
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(r.testAccuracy).toBeLessThanOrEqual(1);
    // Same seed, same numbers.
    const again = await trainDigitsCell({ cell, seed: 's' }, P, digitsBenchData(P));
    expect(reproducibleDigitsFields(again)).toEqual(reproducibleDigitsFields(r));
  });

  it('resumes: a second run trains only what the first left, and keeps the first lines', async () => {
    const out = tmp('resume.jsonl');
    const first = await buildDigitsBench({ out, protocol: P, cells, limit: 1 });
    tasks = first.tasks;
    expect(first).toMatchObject({ skipped: 0, trained: 1, remaining: tasks - 1 });
    const before = lines(out);
    expect(before.length).toBe(2);
    // Simulate a kill mid-write: half a line without its newline.
    fs.appendFileSync(out, before[1].slice(0, 40));
    let trainedNow = 0;
    let planned = -1;
    const second = await buildDigitsBench({ out, protocol: P, cells, onStart: (n) => (planned = n), onRecord: () => trainedNow++ });
    expect(planned).toBe(tasks - 1);
    expect(second).toMatchObject({ tasks, skipped: 1, trained: tasks - 1, remaining: 0 });
    expect(trainedNow).toBe(tasks - 1);
    const after = lines(out);
    expect(after.slice(0, 2)).toEqual(before);
    expect(after.length).toBe(1 + tasks);
    expect(after.every((l) => JSON.parse(l))).toBe(true);
    // A third run has nothing to do.
    expect(await buildDigitsBench({ out, protocol: P, cells })).toMatchObject({ skipped: tasks, trained: 0 });
  });

  it('reuse: rows of another shard of the same protocol are copied, not retrained; another protocol is refused', async () => {
    const out = tmp('reuse.jsonl');
    const source = readDigitsShard(tmp('resume.jsonl')).records;
    const want = digitsShardTasks(selectDigitsCells(parseCellSelection('sample:5'), P), parseShard('1/1'), P);
    const overlap = want.filter((t) => source.some((r) => r.cell === t.cell && r.seed === t.seed));
    expect(overlap.length).toBeGreaterThan(0);
    const summary = await buildDigitsBench({ out, protocol: P, cells: 'sample:5', reuse: [tmp('resume.jsonl')] });
    expect(summary).toMatchObject({ tasks: want.length, skipped: 0, reused: overlap.length, trained: want.length - overlap.length, remaining: 0 });
    const rows = readDigitsShard(out).records;
    for (const t of overlap) {
      // Copied byte for byte, timings included.
      expect(rows.find((r) => r.cell === t.cell && r.seed === t.seed)).toEqual(source.find((r) => r.cell === t.cell && r.seed === t.seed));
    }
    // A merged table serves as well as a shard file.
    mergeDigitsShards([out], tmp('reuse.jsonl.gz'));
    const again = await buildDigitsBench({ out: tmp('reuse3.jsonl'), protocol: P, cells: 'sample:5', reuse: [tmp('reuse.jsonl.gz')] });
    expect(again).toMatchObject({ reused: want.length, trained: 0, remaining: 0 });
    const other = { ...P, training: { ...P.training, epochs: 3 } };
    await expect(buildDigitsBench({ out: tmp('reuse2.jsonl'), protocol: other, cells: 'sample:5', reuse: [tmp('resume.jsonl')] })).rejects.toThrow(/reuse file .* was built under a different protocol/);
  });

  it('shards of 2 merge to the same table as one build', async () => {
    const s1 = tmp('s1.jsonl');
    const s2 = tmp('s2.jsonl');
    await buildDigitsBench({ out: s1, protocol: P, cells, shard: '1/2' });
    await buildDigitsBench({ out: s2, protocol: P, cells, shard: '2/2' });
    const n1 = readDigitsShard(s1).records.length;
    const n2 = readDigitsShard(s2).records.length;
    expect(n1 + n2).toBe(tasks);
    const whole = mergeDigitsShards([tmp('resume.jsonl')], tmp('whole.jsonl.gz'));
    const split = mergeDigitsShards([s2, s1], tmp('split.jsonl.gz'));
    expect(split.header.missing).toBe(0);
    expect(split.header.cellCount).toBe(3);
    expect(split.header.recordCount).toBe(tasks);
    const strip = (f: string) => lines(f).map((l) => JSON.stringify(reproducibleDigitsFields(JSON.parse(l))));
    const unzip = (f: string) => {
      const t = tmp(path.basename(f) + '.txt');
      fs.writeFileSync(t, zlib.gunzipSync(fs.readFileSync(f)));
      return strip(t).slice(1);
    };
    expect(unzip(tmp('split.jsonl.gz'))).toEqual(unzip(tmp('whole.jsonl.gz')));
  });

  it('merge refuses duplicates, mixed protocols and a repeated shard', async () => {
    expect(() => mergeDigitsShards([tmp('s1.jsonl'), tmp('s1.jsonl')], tmp('x.jsonl.gz'))).toThrow(/shard 1\/2 is given twice/);
    const other = tmp('other.jsonl');
    await buildDigitsBench({ out: other, protocol: { ...P, seeds: { ...P.seeds, primary: 'other' } }, cells, shard: '2/2', limit: 0 });
    expect(() => mergeDigitsShards([tmp('s1.jsonl'), other], tmp('x.jsonl.gz'))).toThrow(/has a different protocol/);
    const dup = tmp('dup.jsonl');
    const [h, r] = lines(tmp('s1.jsonl'));
    fs.writeFileSync(dup, `${h.replace('"shard":"1/2"', '"shard":"2/2"')}\n${r}\n`);
    expect(() => mergeDigitsShards([tmp('s1.jsonl'), dup], tmp('x.jsonl.gz'))).toThrow(/appears twice/);
    expect(() => mergeDigitsShards([tmp('s1.jsonl')], tmp('x.csv'))).toThrow(/'out' must end in '.jsonl.gz'/);
  });

  it('build refuses a shard file made under another protocol or selection', async () => {
    const out = tmp('resume.jsonl');
    await expect(buildDigitsBench({ out, protocol: { ...P, training: { ...P.training, epochs: 3 } }, cells })).rejects.toThrow(/different protocol/);
    await expect(buildDigitsBench({ out, protocol: P, cells: 'sample:4' })).rejects.toThrow(/holds cells sample:3 shard 1\/1/);
    await expect(buildDigitsBench({ out, protocol: P, cells, jobs: 0 })).rejects.toThrow(/'jobs' must be an integer/);
    const corrupt = tmp('corrupt.jsonl');
    fs.writeFileSync(corrupt, `${lines(out)[0]}\nnot json\n`);
    await expect(buildDigitsBench({ out: corrupt, protocol: P, cells })).rejects.toThrow(/line 2 is not JSON/);
  });

  it('loadBench answers queries from the stored rows, and errors for what is not there', () => {
    const bench = loadBench(tmp('whole.jsonl.gz'));
    const stored = lines(tmp('resume.jsonl')).slice(1).map((l) => JSON.parse(l));
    expect(bench.size).toBe(3);
    const primary = stored.find((x) => x.seed === P.seeds.primary);
    expect(bench.query(primary.cell)).toBe(primary.validationAccuracy[P.training.epochs - 1]);
    expect(bench.query(primary.cell, { epochs: 1 })).toBe(primary.validationAccuracy[0]);
    expect(bench.query(parseNb201Cell(primary.cell), { epochs: 'final' })).toBe(primary.validationAccuracy[1]);
    expect(bench.record(primary.cell)).toEqual(primary);
    const missing = digitsBenchUniverse().find((c) => !bench.has(c)) as string;
    expect(bench.record(missing)).toBeNull();
    expect(() => bench.query(missing)).toThrow(/is not in the table \(3 cells trained, selection sample:3\)/);
    expect(() => bench.query(primary.cell, { epochs: 3 })).toThrow("query: 'epochs' must be an integer >= 1 and <= 2, got 3");
    expect(() => bench.query('|bogus~0|')).toThrow(/'cell' must be a NAS-Bench-201 cell/);
    const repeated = stored.filter((x) => x.seed === P.seeds.second);
    expect(repeated.length).toBe(tasks - 3);
    for (const x of repeated) expect(bench.query(x.cell, { seed: x.seed })).toBe(x.validationAccuracy[1]);
  });

  it('loadBench errors on a missing or corrupt table', () => {
    expect(() => loadBench(tmp('nope.jsonl.gz'))).toThrow(/does not exist/);
    fs.writeFileSync(tmp('plain.jsonl.gz'), 'not gzip');
    expect(() => loadBench(tmp('plain.jsonl.gz'))).toThrow(/cannot decompress/);
    fs.writeFileSync(tmp('nohead.jsonl.gz'), zlib.gzipSync('{"cell":"x"}\n'));
    expect(() => loadBench(tmp('nohead.jsonl.gz'))).toThrow(/line 1 must be a NAS-Bench-Digits table header/);
  });

  it('the rebuild check finds the stored numbers again', async () => {
    const checks = await verifyDigitsTable(tmp('whole.jsonl.gz'), { count: 2, rng: createRng(0) });
    expect(checks.length).toBe(2);
    for (const c of checks) expect(c.differences).toEqual([]);
  });

  it('the rebuild check notices a changed number', async () => {
    const text = zlib.gunzipSync(fs.readFileSync(tmp('whole.jsonl.gz'))).toString('utf8').split('\n');
    const rec = JSON.parse(text[1]);
    rec.params += 1;
    text[1] = JSON.stringify(rec);
    fs.writeFileSync(tmp('tampered.jsonl.gz'), zlib.gzipSync(text.join('\n')));
    const checks = await verifyDigitsTable(tmp('tampered.jsonl.gz'), { count: 10, rng: createRng(0) });
    expect(checks.find((c) => c.cell === rec.cell && c.seed === rec.seed)?.differences).toEqual(['params']);
  });
});

describe('command line', () => {
  it('builds, merges and reports bad input', async () => {
    const proto = tmp('tiny.json');
    fs.writeFileSync(proto, JSON.stringify(P));
    const out = tmp('cli.jsonl');
    const log: string[] = [];
    expect(await nasbenchMain(['build', '--out', out, '--cells', 'first:2', '--protocol', proto, '--no-progress'], (s) => log.push(s))).toBe(0);
    // first:2 = the first two cells of the universe (the all-none cell first), each with its repeat if drawn.
    const n = lines(out).length - 1;
    expect(n).toBe(digitsShardTasks(selectDigitsCells({ kind: 'first', n: 2 }, P), { index: 1, count: 1 }, P).length);
    expect(log[0]).toMatch(new RegExp(`${n} tasks in this shard, 0 already done, ${n} trained now, 0 left`));
    expect(await nasbenchMain(['merge', out, '--out', tmp('cli.jsonl.gz')], (s) => log.push(s))).toBe(0);
    expect(log[1]).toMatch(/2 cells, \d+ records, 0 tasks missing/);
    // The disconnected cell (all none) outputs a constant: chance-level on the balanced split, 9/90 here.
    const bench = loadBench(tmp('cli.jsonl.gz'));
    expect(bench.query(formatNb201Cell(nb201Cell(['none', 'none', 'none', 'none', 'none', 'none'])))).toBeCloseTo(9 / 90, 10);
    expect(await nasbenchMain(['verify', tmp('cli.jsonl.gz'), '--count', '1'], (s) => log.push(s))).toBe(0);
    expect(log[2]).toMatch(/^same {2}\|/);
    expect(await nasbenchMain(['protocol'], (s) => log.push(s))).toBe(0);
    expect(JSON.parse(log[3])).toEqual(DEFAULT_DIGITS_PROTOCOL);
    await expect(nasbenchMain(['frobnicate'])).rejects.toThrow(/unknown command "frobnicate"|unknown command 'frobnicate'/);
    await expect(nasbenchMain(['build'])).rejects.toThrow(/'--out <shard file>' is required/);
    await expect(nasbenchMain(['build', '--out', out, '--jobs'])).rejects.toThrow(/option "--jobs" needs a value|option '--jobs' needs a value/);
    await expect(nasbenchMain(['build', '--out', out, '--jobs', 'two'])).rejects.toThrow(/'--jobs' must be an integer/);
    await expect(nasbenchMain(['build', '--out', out, '--color', 'red'])).rejects.toThrow(/unknown option/);
    await expect(nasbenchMain(['merge', '--out', tmp('m.jsonl.gz')])).rejects.toThrow(/at least one shard file/);
    await expect(nasbenchMain(['build', '--out', out, '--protocol', tmp('nope.json')])).rejects.toThrow(/does not exist/);
  });

  // Worker processes run the compiled CLI: only when dist/ is built (npm test builds it first).
  const distCli = path.join(__dirname, '../../dist/benchmarks/digits/cli.js');
  it.skipIf(!fs.existsSync(distCli))('with 2 worker processes gives the same records as one process', async () => {
    const out = tmp('jobs2.jsonl');
    const summary = await buildDigitsBench({ out, protocol: P, cells: 'sample:3', jobs: 2, workerScript: distCli });
    expect(summary).toMatchObject({ skipped: 0, trained: tasks, remaining: 0 });
    const key = (l: string) => JSON.stringify(reproducibleDigitsFields(JSON.parse(l)));
    expect(lines(out).slice(1).map(key).sort()).toEqual(lines(tmp('resume.jsonl')).slice(1).map(key).sort());
  });

  it.skipIf(!fs.existsSync(distCli))('a task that fails or kills its worker is reported and left missing; the rest is built, and a rerun fills the gap', async () => {
    const out = tmp('faults.jsonl');
    const chosen = selectDigitsCells(parseCellSelection('sample:3'), P);
    const [dies, fails] = chosen;
    process.env.NASBOOK_DIE_ON = dies;
    process.env.NASBOOK_FAIL_ON = fails;
    const fixture = path.join(__dirname, 'fixtures/failing-worker.cjs');
    let summary;
    try {
      summary = await buildDigitsBench({ out, protocol: P, cells: 'sample:3', jobs: 2, workerScript: fixture });
    } finally {
      delete process.env.NASBOOK_DIE_ON;
      delete process.env.NASBOOK_FAIL_ON;
    }
    const lost = digitsShardTasks(chosen, parseShard('1/1'), P).filter((t) => t.cell === dies || t.cell === fails);
    expect(summary.failed.map((f) => f.cell).sort()).toEqual(lost.map((t) => t.cell).sort());
    expect(summary.failed.find((f) => f.cell === dies)?.message).toMatch(/worker died .*exit code 3/);
    expect(summary.failed.find((f) => f.cell === fails)?.message).toMatch(/injected failure/);
    expect(summary).toMatchObject({ trained: tasks - lost.length, remaining: lost.length });
    expect(new Set(readDigitsShard(out).records.map((r) => r.cell)).has(dies)).toBe(false);
    // Without the faults the same command trains exactly the lost tasks.
    const rerun = await buildDigitsBench({ out, protocol: P, cells: 'sample:3', jobs: 2, workerScript: distCli });
    expect(rerun).toMatchObject({ skipped: tasks - lost.length, trained: lost.length, remaining: 0, failed: [] });
  });
});
