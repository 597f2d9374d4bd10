/**
 * Builds (a shard of) NAS-Bench-Digits into a JSON-lines shard file: a header line
 * `{ header: { protocol, engine, cells, shard } }`, then one record per trained (cell, seed).
 *
 * Resumable: on start the file's complete lines are read and their tasks skipped; a last line cut
 * short by a kill (no newline, or not JSON) is dropped from the file before appending. Parallel:
 * with `jobs > 1` the tasks go to worker processes (this module's compiled CLI forked in worker
 * mode), and only the parent writes, so lines never interleave.
 */
import { fork, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { checkArray, checkInt, checkString, describe } from '../../core/checks';
import { openJsonlStore } from '../../core/jsonlStore';
import { packageRoot } from '../../core/paths';
import { init } from '../../tensor/backend';
import { digitsBenchData, trainDigitsCell, type DigitsBenchRecord } from './cell';
import { loadBench } from './table';
import { readDigitsShard, shardHeaderProblem, type DigitsShardHeader } from './shardFile';
import { checkDigitsProtocol, compatibleEngines, digitsBenchEngine, sameDigitsProtocol, type DigitsBenchEngine, type DigitsBenchProtocol } from './protocol';
import {
  digitsShardTasks,
  digitsTaskKey,
  formatCellSelection,
  parseCellSelection,
  parseShard,
  selectDigitsCells,
  type DigitsTask,
} from './shard';

/** Options of buildDigitsBench. */
export interface DigitsBuildOptions {
  /** The shard file to write or resume. */
  out: string;
  /** Default DEFAULT_DIGITS_PROTOCOL (from the CLI); required here so tests pass their own. */
  protocol: DigitsBenchProtocol;
  /** 'all' (default), 'sample:N' or 'first:N'. */
  cells?: string;
  /** 'i/n' (default '1/1'). */
  shard?: string;
  /** Worker processes (default 1: train in this process). */
  jobs?: number;
  /** Train at most this many tasks in this run (default: all that are left). */
  limit?: number;
  /** Called once before training with the number of tasks this run will train. */
  onStart?: (total: number) => void;
  /** Called after every finished task with (done in this run, to do in this run, record). */
  onRecord?: (done: number, total: number, record: DigitsBenchRecord) => void;
  /** The compiled CLI to fork for workers (default: dist/benchmarks/digits/cli.js). */
  workerScript?: string;
  /**
   * Shard files or merged tables (`.jsonl.gz`) of the same protocol and engine (any selection or shard) whose rows this build
   * copies instead of retraining: growing a sample into a larger selection, or a sample out of
   * a partial full build. A row is a deterministic function of (protocol, engine, cell, seed),
   * which the rebuild check confirms; only its timings come from the run that measured them.
   */
  reuse?: string[];
}

/** What a build run did. */
export interface DigitsBuildSummary {
  /** Tasks of this shard in all. */
  tasks: number;
  /** Tasks already in the file when the run started. */
  skipped: number;
  /** Tasks trained in this run. */
  trained: number;
  /** Tasks copied from the `reuse` files in this run. */
  reused: number;
  /** Tasks still missing after this run (because of `limit`, or because they failed). */
  remaining: number;
  /** Tasks that failed in this run; they stay missing, so the next run tries them again. */
  failed: DigitsTaskFailure[];
  engine: DigitsBenchEngine;
}

/** The default worker script: this module's compiled CLI in dist/ (tests run the .ts sources). */
function defaultWorkerScript(): string {
  const here = path.join(__dirname, 'cli.js');
  if (fs.existsSync(here)) return here;
  return path.join(packageRoot(), 'dist', 'benchmarks', 'digits', 'cli.js');
}

/** Messages between the builder and its workers. */
type ToWorker = { type: 'protocol'; protocol: DigitsBenchProtocol } | { type: 'task'; task: DigitsTask } | { type: 'stop' };
type FromWorker = { type: 'ready'; backend: string } | { type: 'done'; record: DigitsBenchRecord } | { type: 'error'; message: string };

/**
 * Worker mode: waits for the protocol, initialises tfjs, then trains each task it is sent and
 * replies with the record. Started by the builder through `cli.js worker`.
 */
export function runDigitsWorker(): void {
  if (!process.send) throw new Error('runDigitsWorker: must run as a forked child process (no IPC channel)');
  const send = (m: FromWorker) => process.send?.(m);
  let ready: Promise<{ protocol: DigitsBenchProtocol; data: ReturnType<typeof digitsBenchData> }> | null = null;
  process.on('message', (raw: ToWorker) => {
    if (raw.type === 'stop') process.exit(0);
    if (raw.type === 'protocol') {
      const protocol = raw.protocol;
      ready = init({ prefer: 'wasm', quiet: true }).then((info) => {
        send({ type: 'ready', backend: info.backend });
        return { protocol, data: digitsBenchData(protocol) };
      });
      ready.catch((err: Error) => send({ type: 'error', message: err.message }));
      return;
    }
    if (raw.type !== 'task') return;
    const task = raw.task;
    void (ready as NonNullable<typeof ready>)
      .then(({ protocol, data }) => trainDigitsCell(task, protocol, data))
      .then(
        (record) => send({ type: 'done', record }),
        (err: Error) => send({ type: 'error', message: `${task.cell} (seed ${task.seed}): ${err.message}` }),
      );
  });
}

/** A task that did not produce a record, and why. */
export interface DigitsTaskFailure {
  cell: string;
  seed: string;
  message: string;
}

/**
 * Runs the tasks on `jobs` forked workers, calling `onRecord` in the parent as each one finishes.
 * A task that fails (the worker reports an error, or dies while training it) goes to `onFailure`
 * and the build carries on with the other tasks (a dead worker is replaced); only a worker that
 * cannot start (tfjs failed to initialise), or workers dying again and again, stop the whole run.
 */
async function runOnWorkers(
  tasks: DigitsTask[],
  protocol: DigitsBenchProtocol,
  jobs: number,
  script: string,
  onRecord: (r: DigitsBenchRecord) => void,
  onFailure: (f: DigitsTaskFailure) => void,
): Promise<string> {
  if (!fs.existsSync(script)) {
    throw new Error(`buildDigitsBench: the worker script ${describe(script)} does not exist; run 'npm run build' first (or use jobs 1)`);
  }
  const queue = tasks.slice();
  const children: ChildProcess[] = [];
  let backend = '';
  // A message to a worker that has just died must not throw EPIPE in the parent: the callback
  // form of send reports it instead, and the 'exit' handler deals with the worker.
  const post = (child: ChildProcess, m: ToWorker) => {
    if (child.connected) child.send(m, () => undefined);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      let alive = 0;
      // A worker that dies is replaced while tasks are left, up to a budget, so a cell that kills
      // its worker costs that cell only, while a systematic crash still ends the run.
      let replacements = 2 * jobs;
      let settled = false;
      const finish = (err?: Error) => {
        if (settled) return;
        settled = true;
        if (err) reject(err);
        else resolve();
      };
      const spawn = () => {
        const child = fork(script, ['worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        children.push(child);
        alive++;
        let current: DigitsTask | null = null;
        let started = false;
        const next = () => {
          current = settled ? null : (queue.shift() ?? null);
          post(child, current ? { type: 'task', task: current } : { type: 'stop' });
        };
        child.on('message', (m: FromWorker) => {
          if (m.type === 'ready') {
            started = true;
            backend = m.backend;
            next();
          } else if (m.type === 'done') {
            onRecord(m.record);
            next();
          } else if (!started || current === null) {
            finish(new Error(`buildDigitsBench: a worker could not start: ${m.message}`));
          } else {
            onFailure({ cell: current.cell, seed: current.seed, message: m.message });
            next();
          }
        });
        child.on('exit', (code, signal) => {
          alive--;
          if (current !== null) {
            onFailure({ cell: current.cell, seed: current.seed, message: `the worker died while training it (${signal ?? `exit code ${code}`})` });
            current = null;
          }
          if (queue.length > 0 && !settled) {
            if (replacements-- > 0) spawn();
            else if (alive === 0) finish(new Error(`buildDigitsBench: workers kept dying (${2 * jobs} replaced); ${queue.length} tasks were not started`));
          } else if (alive === 0) finish();
        });
        child.on('error', () => undefined); // a failed send; 'exit' follows
        post(child, { type: 'protocol', protocol });
      };
      for (let w = 0; w < Math.min(jobs, queue.length); w++) spawn();
    });
  } finally {
    for (const c of children) if (c.exitCode === null) post(c, { type: 'stop' });
  }
  return backend;
}

/**
 * Why an existing shard file cannot be resumed by this run, or null: the protocol, the selection
 * and the shard must be the same, the engine only compatible (the machine it ran on is recorded,
 * not matched).
 */
function shardMismatch(found: DigitsShardHeader, wanted: DigitsShardHeader): string | null {
  const bad = shardHeaderProblem(found);
  if (bad !== null) return bad;
  if (!sameDigitsProtocol(found.protocol, wanted.protocol)) return "was built under a different protocol; choose another 'out' file";
  if (!compatibleEngines(found.engine, wanted.engine)) {
    return `was built with tfjs ${found.engine.tfjs} on ${found.engine.backend}, this process runs tfjs ${wanted.engine.tfjs} on ${wanted.engine.backend}`;
  }
  if (found.cells !== wanted.cells || found.shard !== wanted.shard) {
    return `holds cells ${found.cells} shard ${found.shard}, this run asks for cells ${wanted.cells} shard ${wanted.shard}`;
  }
  return null;
}

/** The header and rows of a shard file, or of a merged table (a `.gz` file). */
function readReusable(file: string): { header: { protocol: DigitsBenchProtocol; engine: DigitsBenchEngine }; records: DigitsBenchRecord[] } {
  if (!file.endsWith('.gz')) return readDigitsShard(file);
  const table = loadBench(file);
  return { header: table.header, records: table.cells().flatMap((c) => table.records(c)) };
}

/**
 * Builds or resumes one shard of NAS-Bench-Digits: trains every task of the shard not yet in
 * `out`, appending one JSON line per finished task.
 * @param opts out, protocol, cells ('all'), shard ('1/1'), jobs (1), limit, onStart, onRecord, workerScript
 * @throws RangeError/TypeError for bad options; Error if `out` was made under another protocol,
 *   engine, selection or shard, or a worker fails
 * @example await buildDigitsBench({ out: 'shard.jsonl', protocol: TINY_DIGITS_PROTOCOL, cells: 'sample:3' })
 */
export async function buildDigitsBench(opts: DigitsBuildOptions): Promise<DigitsBuildSummary> {
  const caller = 'buildDigitsBench';
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be an object { out, protocol, ... }, got ${describe(opts)}`);
  const out = checkString('out', opts.out, caller);
  const protocol = checkDigitsProtocol(opts.protocol, caller);
  const cellsText = opts.cells ?? 'all';
  const selection = parseCellSelection(cellsText);
  const shardText = opts.shard ?? '1/1';
  const shard = parseShard(shardText);
  const jobs = checkInt('jobs', opts.jobs ?? 1, { min: 1, max: 256 }, caller);
  const limit = opts.limit === undefined ? Infinity : checkInt('limit', opts.limit, { min: 0 }, caller);

  const tasks = digitsShardTasks(selectDigitsCells(selection, protocol), shard, protocol);
  const info = await init({ prefer: 'wasm', quiet: true });
  const engine = digitsBenchEngine(info.backend);
  const header: DigitsShardHeader = { protocol, engine, cells: formatCellSelection(selection), shard: `${shard.index}/${shard.count}` };

  const store = openJsonlStore<DigitsShardHeader, DigitsBenchRecord>(out, header, digitsTaskKey, { mismatch: shardMismatch });
  const done = new Set<string>(store.records.map(digitsTaskKey));
  let reused = 0;
  if (opts.reuse !== undefined) {
    const wanted = new Set(tasks.map(digitsTaskKey).filter((k) => !done.has(k)));
    for (const file of checkArray<string>('reuse', opts.reuse, {}, caller)) {
      const other = readReusable(checkString('reuse[]', file, caller));
      if (!sameDigitsProtocol(other.header.protocol, protocol)) throw new Error(`${caller}: reuse file ${describe(file)} was built under a different protocol`);
      if (!compatibleEngines(other.header.engine, engine)) throw new Error(`${caller}: reuse file ${describe(file)} was built with tfjs ${other.header.engine.tfjs} on ${other.header.engine.backend}`);
      for (const r of other.records) {
        const k = digitsTaskKey(r);
        if (!wanted.has(k)) continue;
        store.append(r);
        wanted.delete(k);
        done.add(k);
        reused++;
      }
    }
  }

  const left = tasks.filter((t) => !done.has(digitsTaskKey(t)));
  const todo = left.slice(0, Math.min(left.length, limit));
  let finished = 0;
  const failed: DigitsTaskFailure[] = [];
  const write = (record: DigitsBenchRecord) => {
    store.append(record);
    finished++;
    opts.onRecord?.(finished, todo.length, record);
  };
  opts.onStart?.(todo.length);
  if (todo.length > 0) {
    if (jobs === 1) {
      const data = digitsBenchData(protocol);
      for (const task of todo) {
        try {
          write(await trainDigitsCell(task, protocol, data));
        } catch (err) {
          failed.push({ cell: task.cell, seed: task.seed, message: (err as Error).message });
        }
      }
    } else {
      const backend = await runOnWorkers(todo, protocol, jobs, opts.workerScript ?? defaultWorkerScript(), write, (f) => failed.push(f));
      if (backend !== engine.backend) throw new Error(`${caller}: the workers ran on ${backend}, the parent on ${engine.backend}`);
    }
  }
  return { tasks: tasks.length, skipped: tasks.length - left.length - reused, reused, trained: finished, remaining: left.length - finished, failed, engine };
}
