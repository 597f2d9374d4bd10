/**
 * The runner keeps going whatever a student's module does: an exception, an infinite loop, a
 * promise that never settles, an exit, a non-JSON result. Each costs only the call it happened in.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileExercise } from '../../src/grading/compile';
import { gradeFile } from '../../src/grading/grade';
import { ChildPool, runCalls, sourcePosition } from '../../src/grading/runner';
import { hardMemoryLimitBytes, memoryIsolation, memoryWatchMiB } from '../../src/grading/sandbox';
import type { Case } from '../../src/grading/types';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-runner-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function moduleFile(name: string, source: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, source);
  return file;
}

const student = moduleFile(
  'student.ts',
  `
export function add(a: number, b: number): number { return a + b; }
export function spin(): number { for (;;) {} }
export function never(): Promise<number> { return new Promise(() => undefined); }
export function quit(): number { process.exit(0); }
export function throwsString(): number { throw 'nope'; }
export function todo(): number { throw new Error('TODO: write this'); }
export function notANumber(): number { return NaN; }
export function circular(): object { const o: { self?: object } = {}; o.self = o; return o; }
export function chatty(): number { console.log('PASS 100/100'); return 1; }
export function bump(): number { const g = globalThis as { bumps?: number }; g.bumps = (g.bumps ?? 0) + 1; return g.bumps; }
export function pid(): number { return process.pid; }
export function spinAbove(n: number): number { if (n > 0) for (;;) {} return n; }
`,
);

describe('runCalls', () => {
  it('returns results in order and survives a loop, a hang and an exit', async () => {
    const compiled = compileExercise(student);
    const run = await runCalls(
      compiled,
      [
        { fn: 'add', args: [1, 2] },
        { fn: 'spin', args: [] },
        { fn: 'add', args: [3, 4] },
        { fn: 'never', args: [] },
        { fn: 'quit', args: [] },
        { fn: 'add', args: [5, 6] },
        { fn: 'missing', args: [] },
      ],
      { callTimeoutMs: 1500 },
    );
    expect(run.outcomes.map((o) => o.status)).toEqual(['ok', 'timeout', 'ok', 'timeout', 'crash', 'ok', 'error']);
    expect(run.outcomes[0]).toEqual({ status: 'ok', value: 3 });
    expect(run.outcomes[2]).toEqual({ status: 'ok', value: 7 });
    expect(run.outcomes[5]).toEqual({ status: 'ok', value: 11 });
    expect(run.outcomes[6]).toMatchObject({ message: expect.stringContaining("does not export a function 'missing'") });
  }, 30_000);

  it('stops running a function once it has timed out twice, or once if it never finished a case: the rest time out unrun, other functions still run', async () => {
    const compiled = compileExercise(student);
    const calls = [
      { fn: 'spinAbove', args: [0] },
      { fn: 'spin', args: [] },
      { fn: 'spinAbove', args: [1] },
      { fn: 'add', args: [1, 1] },
      { fn: 'spin', args: [] },
      { fn: 'spinAbove', args: [-1] },
      { fn: 'spinAbove', args: [2] },
      { fn: 'add', args: [2, 2] },
      { fn: 'spinAbove', args: [3] },
    ];
    const run = await runCalls(compiled, calls, { callTimeoutMs: 400 });
    const status = run.outcomes.map((o) => o.status);
    expect(status).toEqual(['ok', 'timeout', 'timeout', 'ok', 'timeout', 'ok', 'timeout', 'ok', 'timeout']);
    expect(run.outcomes[7]).toEqual({ status: 'ok', value: 4 });
    const message = (i: number) => (run.outcomes[i] as { message: string }).message;
    // spin never finished a case: given up after its first timeout.
    expect(message(1)).toMatch(/^did not finish/);
    expect(message(4)).toBe('not run: spin did not finish within 0.4 s on an earlier case, and has finished none');
    // spinAbove finished cases: it keeps running until its second timeout.
    expect(message(2)).toMatch(/^did not finish/);
    expect(message(6)).toMatch(/^did not finish/);
    expect(message(8)).toBe('not run: spinAbove did not finish within 0.4 s on 2 earlier cases');
    const all = await runCalls(compiled, calls.slice(0, 5), { callTimeoutMs: 400, timeoutsPerFunction: Infinity });
    expect(all.outcomes.filter((o) => o.status === 'timeout').every((o) => (o as { message: string }).message.startsWith('did not finish'))).toBe(true);
  }, 60_000);

  it('keeps values JSON cannot carry, refuses circular results, and separates prints from results', async () => {
    const run = await runCalls(compileExercise(student), [
      { fn: 'notANumber', args: [] },
      { fn: 'circular', args: [] },
      { fn: 'throwsString', args: [] },
      { fn: 'chatty', args: [] },
    ]);
    expect(run.outcomes[0].status).toBe('ok');
    expect(Number.isNaN((run.outcomes[0] as { value: number }).value)).toBe(true);
    expect(run.outcomes[1]).toMatchObject({ status: 'error', message: expect.stringContaining('circular') });
    expect(run.outcomes[2]).toMatchObject({ status: 'error', message: 'non-Error thrown: nope' });
    expect(run.outcomes[3]).toEqual({ status: 'ok', value: 1 });
    expect(run.output).toContain('PASS 100/100');
  }, 30_000);
});

describe('sourcePosition', () => {
  const file = moduleFile('thrower.ts', 'export function f(a: number): number {\n  const label: string = "a";\n  throw new Error(label + a);\n}\n');
  const compiled = compileExercise(file);
  const modules = [{ file, js: compiled.js! }];
  it("maps a position in the transpiled module to the student's TypeScript line", () => {
    const jsLine = compiled.js!.split('\n').findIndex((l) => l.includes('throw new Error')) + 1;
    const jsColumn = compiled.js!.split('\n')[jsLine - 1].indexOf('throw') + 1;
    expect(sourcePosition(`${file}:${jsLine}:${jsColumn}`, modules)).toBe(`${file}:3:3`);
  });
  it('leaves alone what it cannot map: another file, no position, a module without a map', () => {
    expect(sourcePosition('/etc/passwd:1:1', modules)).toBe('/etc/passwd:1:1');
    expect(sourcePosition('not a position', modules)).toBe('not a position');
    expect(sourcePosition(`${file}:9:9`, [{ file, js: 'exports.f = 1;' }])).toBe(`${file}:9:9`);
  });
});

describe('the memory limit', () => {
  // Memory a process commits but never touches is not resident, so the watch on resident memory
  // does not see it; the operating system's limit does (RLIMIT_DATA counts committed pages).
  const hoarder = moduleFile(
    'hoarder.ts',
    `
const kept: Buffer[] = [];
export function commitAll(stepMiB: number): number {
  try {
    for (;;) kept.push(Buffer.allocUnsafeSlow(stepMiB * 2 ** 20));
  } catch {
    return kept.length * stepMiB;
  }
}
`,
  );
  it.skipIf(memoryIsolation() !== 'rlimit')('stops a process committing memory past the hard limit, whether or not it touches it', async () => {
    const heapMb = 128;
    const run = await runCalls(compileExercise(hoarder), [{ fn: 'commitAll', args: [64] }], { heapMb, callTimeoutMs: 10_000 });
    const outcome = run.outcomes[0];
    // Either the process learns it may have no more (and says how much it got), or it is ended as out of memory.
    if (outcome.status === 'ok') {
      expect(outcome.value as number).toBeGreaterThan(memoryWatchMiB(heapMb) - 512);
      expect(outcome.value as number).toBeLessThanOrEqual(hardMemoryLimitBytes(heapMb) / 2 ** 20);
    } else {
      expect(outcome).toMatchObject({ status: 'crash', message: expect.stringMatching(/out of memory/) });
    }
  });
});

describe('ChildPool', () => {
  it('gives each run a process of its own, and leaves no process or folder once closed', async () => {
    const compiled = compileExercise(student);
    const tmp = fs.mkdtempSync(path.join(dir, 'tmp-'));
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    const pool = new ChildPool(2);
    try {
      const calls = [{ fn: 'bump', args: [] }, { fn: 'bump', args: [] }, { fn: 'pid', args: [] }];
      const runs = [await runCalls(compiled, calls, { pool }), await runCalls(compiled, calls, { pool })];
      const [a, b] = await Promise.all([runCalls(compiled, calls, { pool }), runCalls(compiled, calls, { pool })]);
      runs.push(a, b);
      // A run's calls share its process (the count goes on); no run sees another's state or process.
      for (const run of runs) expect(run.outcomes.slice(0, 2)).toEqual([{ status: 'ok', value: 1 }, { status: 'ok', value: 2 }]);
      const pids = runs.map((run) => (run.outcomes[2] as { value: number }).value);
      expect(new Set(pids).size).toBe(runs.length);
      // After a timeout ends a process, the calls left run in another, fresh one.
      const afterLoop = await runCalls(compiled, [{ fn: 'bump', args: [] }, { fn: 'spin', args: [] }, { fn: 'bump', args: [] }], { pool, callTimeoutMs: 500 });
      expect(afterLoop.outcomes.map((o) => o.status)).toEqual(['ok', 'timeout', 'ok']);
      expect(afterLoop.outcomes[2]).toEqual({ status: 'ok', value: 1 });
      // The waiting processes were started ahead: each has its folder now.
      expect(fs.readdirSync(tmp).length).toBe(2);
    } finally {
      await pool.close();
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
    }
    expect(fs.readdirSync(tmp)).toEqual([]);
  }, 60_000);

  it('refuses a size that is not a small positive integer', () => {
    expect(() => new ChildPool(0)).toThrow(/ChildPool: 'size' must be/);
    expect(() => new ChildPool(1.5)).toThrow(TypeError);
  });
});

describe('gradeFile', () => {
  const cases: Case[] = [
    { name: 'add small', fn: 'add', args: [1, 2], expected: 3, points: 2, hint: 'add the two numbers' },
    { name: 'add wrong expectation', fn: 'add', args: [1, 2], expected: 4, points: 1, hint: 'a case the module fails' },
    { name: 'todo', fn: 'todo', args: [], expected: 1, points: 1, hint: 'the stub is not written yet' },
    { name: 'NaN is not 0', fn: 'notANumber', args: [], expected: 0, points: 1, hint: 'no silent NaN' },
  ];

  it('scores passes, names wrong answers, and recognises TODO stubs', async () => {
    const report = await gradeFile(student, cases);
    expect(report.results.map((r) => r.status)).toEqual(['pass', 'fail', 'todo', 'fail']);
    expect(report.score).toBe(2);
    expect(report.maxScore).toBe(5);
    expect(report.results[1].message).toBe('expected 4, got 3');
    expect(report.results[2].message).toBe('TODO: write this');
    expect(report.results[3].message).toBe('expected 0, got NaN');
  }, 30_000);

  it('a type error costs the file its cases and is reported with its line', async () => {
    const broken = moduleFile('broken.ts', 'export function add(a: number, b: number): number {\n  return "no";\n}\n');
    const report = await gradeFile(broken, cases.slice(0, 1));
    expect(report.score).toBe(0);
    expect(report.results[0].status).toBe('compile-error');
    expect(report.compileErrors[0]).toMatch(/^broken\.ts\(2,3\): Type 'string' is not assignable to type 'number'/);
  }, 30_000);
});
