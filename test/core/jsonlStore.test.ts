import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import { openJsonlStore, readJsonl, runPending } from '../../src/core/jsonlStore';

const dirs: string[] = [];
function tmpFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-jsonl-'));
  dirs.push(dir);
  return path.join(dir, 'sub', 'results.jsonl');
}
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

type Rec = { cell: string; score: number };
const key = (r: Rec) => r.cell;

describe('openJsonlStore', () => {
  it('resumes: a second open sees the first run records and appends after them', () => {
    const file = tmpFile();
    const a = openJsonlStore<{ v: number }, Rec>(file, { v: 1 }, key);
    a.append({ cell: 'x', score: 1 });
    a.append({ cell: 'y', score: 2 });
    const b = openJsonlStore<{ v: number }, Rec>(file, { v: 1 }, key);
    expect(b.records).toEqual([{ cell: 'x', score: 1 }, { cell: 'y', score: 2 }]);
    expect(b.has('x') && !b.has('z')).toBe(true);
    b.append({ cell: 'z', score: 3 });
    expect(readJsonl<{ v: number }, Rec>(file).records.map((r) => r.cell)).toEqual(['x', 'y', 'z']);
  });

  it('drops a last line cut short by a kill, then appends on a line of its own', () => {
    const file = tmpFile();
    openJsonlStore<{ v: number }, Rec>(file, { v: 1 }, key).append({ cell: 'x', score: 1 });
    fs.appendFileSync(file, '{"cell":"y","sco');
    const s = openJsonlStore<{ v: number }, Rec>(file, { v: 1 }, key);
    expect(s.records).toHaveLength(1);
    s.append({ cell: 'y', score: 2 });
    expect(readJsonl<{ v: number }, Rec>(file).records).toEqual([{ cell: 'x', score: 1 }, { cell: 'y', score: 2 }]);
  });

  it('refuses to mix results of another header, a duplicate key, or a corrupt line', () => {
    const file = tmpFile();
    const s = openJsonlStore<{ v: number }, Rec>(file, { v: 1 }, key);
    s.append({ cell: 'x', score: 1 });
    expect(() => s.append({ cell: 'x', score: 9 })).toThrow(/already holds a record with key "x"/);
    expect(() => openJsonlStore(file, { v: 2 }, key)).toThrow(/another header: \{"v":1\}, not \{"v":2\}/);
    fs.appendFileSync(file, 'not json\n');
    expect(() => readJsonl(file)).toThrow(/line 3 is not JSON/);
    expect(() => readJsonl(path.join(path.dirname(file), 'missing.jsonl'))).toThrow(/does not exist/);
  });

  it('runs only the pending tasks of a shard, up to a limit, and resumes where it stopped', () => {
    const file = tmpFile();
    const tasks = ['a', 'b', 'c', 'd', 'e'];
    const calls: string[] = [];
    const score = (cell: string): Rec => (calls.push(cell), { cell, score: cell.charCodeAt(0) });
    const progress: number[][] = [];
    const first = runPending(openJsonlStore<{ v: number }, Rec>(file, { v: 1 }, key), tasks, (t) => t, score, { shard: { index: 1, count: 2 }, limit: 2, progress: (d, t) => progress.push([d, t]) });
    expect(first).toEqual({ total: 3, before: 0, ran: 2 });
    expect(calls).toEqual(['a', 'c']);
    expect(progress).toEqual([[1, 3], [2, 3]]);
    const second = runPending(openJsonlStore<{ v: number }, Rec>(file, { v: 1 }, key), tasks, (t) => t, score, { shard: { index: 1, count: 2 } });
    expect(second).toEqual({ total: 3, before: 2, ran: 1 });
    expect(calls).toEqual(['a', 'c', 'e']);
    expect(readJsonl<{ v: number }, Rec>(file).records.map((r) => r.cell)).toEqual(['a', 'c', 'e']);
  });
});
