/**
 * A resumable results file for long computations (proxy scores over every cell, latency over
 * hundreds of networks): JSON lines, the first a header that says what is being computed, each
 * later one a record with a key. A run that is killed leaves every complete line; the next run
 * with the same header reads them back, skips their keys and appends the rest. A last line cut
 * short by the kill is dropped before appending.
 *
 * The header must match (exactly, unless the caller says which differences matter): results
 * computed under other settings never mix in one file. A header may also record facts that are
 * not settings (the machine a survey ran on); a `mismatch` rule that ignores them lets a run on
 * another machine resume the file, which keeps the first run's record of them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkString, describe } from './checks';
import { inShard, type ShardSpec } from './shard';

/** A results file opened for appending. */
export interface JsonlStore<H, R> {
  readonly file: string;
  readonly header: H;
  /** The records already in the file, in order. */
  readonly records: R[];
  /** Whether a record with this key is already stored. */
  has(key: string): boolean;
  /** Appends one record (one line, written whole) and remembers its key. */
  append(record: R): void;
}

/**
 * Reads a results file's header and complete records; a missing last newline means the last line
 * was cut short, and it is ignored.
 * @param file the JSON-lines file
 * @throws Error if the file is missing or a complete line is not JSON, naming the line
 * @example readJsonl<{ protocol: string }, { cell: string }>('data/zerocost-digits.jsonl').records.length
 */
export function readJsonl<H, R>(file: string): { header: H; records: R[]; completeBytes: number } {
  const caller = 'readJsonl';
  checkString('file', file, caller);
  if (!fs.existsSync(file)) throw new Error(`${caller}: ${describe(file)} does not exist`);
  const text = fs.readFileSync(file, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  const lines = text.slice(0, end).split('\n').slice(0, -1);
  if (lines.length === 0) throw new Error(`${caller}: ${describe(file)} has no complete header line`);
  const parsed = lines.map((line, i) => {
    try {
      return JSON.parse(line) as unknown;
    } catch {
      throw new Error(`${caller}: ${describe(file)} line ${i + 1} is not JSON (a corrupt results file)`);
    }
  });
  const first = parsed[0] as { header?: H };
  if (typeof first !== 'object' || first === null || first.header === undefined) {
    throw new Error(`${caller}: ${describe(file)} line 1 must be a header { header: ... }, got ${describe(first)}`);
  }
  return { header: first.header, records: parsed.slice(1) as R[], completeBytes: Buffer.byteLength(text.slice(0, end), 'utf8') };
}

/** How {@link openJsonlStore} decides that an existing file's header fits this run. */
export interface JsonlStoreOptions<H> {
  /**
   * Why the header found in the file does not fit the one wanted, or null when it does. Default:
   * any difference in their JSON.
   */
  mismatch?: (found: H, wanted: H) => string | null;
}

function exactMismatch<H>(found: H, wanted: H): string | null {
  const [a, b] = [JSON.stringify(found), JSON.stringify(wanted)];
  return a === b ? null : `holds results computed under another header: ${a}, not ${b}; use another file`;
}

/**
 * Opens (or creates) a results file for a computation described by `header`, ready to resume.
 * @param file where the results go (its folder is created)
 * @param header what is computed and how (JSON-safe); an existing file must carry one that fits
 * @param keyOf a record's key (e.g. its cell), unique within the file
 * @param options `mismatch`: which header differences forbid resuming (default: any)
 * @returns the store; its `header` is the file's own when it existed
 * @throws Error if an existing file was written under a header that does not fit (saying why), or is corrupt
 * @example const store = openJsonlStore('out.jsonl', { proxy: 'synflow' }, (r: { cell: string }) => r.cell);
 * if (!store.has(cell)) store.append({ cell, score });
 */
export function openJsonlStore<H, R>(file: string, header: H, keyOf: (record: R) => string, options: JsonlStoreOptions<H> = {}): JsonlStore<H, R> {
  const caller = 'openJsonlStore';
  checkString('file', file, caller);
  const mismatch = options.mismatch ?? exactMismatch;
  let records: R[] = [];
  if (fs.existsSync(file) && fs.statSync(file).size > 0) {
    const found = readJsonl<H, R>(file);
    const why = mismatch(found.header, header);
    if (why !== null) throw new Error(`${caller}: ${describe(file)} ${why}`);
    header = found.header;
    records = found.records;
    // Drop a last line cut short, so the next append starts on a line of its own.
    if (found.completeBytes < fs.statSync(file).size) fs.truncateSync(file, found.completeBytes);
  } else {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ header }) + '\n');
  }
  const keys = new Set(records.map(keyOf));
  return {
    file,
    header,
    records,
    has: (key) => keys.has(key),
    append(record: R): void {
      const key = keyOf(record);
      if (keys.has(key)) throw new Error(`${caller}: ${describe(file)} already holds a record with key ${describe(key)}`);
      fs.appendFileSync(file, JSON.stringify(record) + '\n');
      keys.add(key);
      records.push(record);
    },
  };
}

/** Options of {@link runPending}. */
export interface RunPendingOptions {
  /** Only the tasks of this shard (task k belongs to shard (k mod n) + 1); default: all. */
  shard?: ShardSpec;
  /** Run at most this many tasks now (default: all that are pending). */
  limit?: number;
  /** Called after each task with (tasks of the shard done, tasks of the shard). */
  progress?: (done: number, total: number) => void;
}

/**
 * The loop every resumable precompute shares: runs, in order, the tasks of one shard that the
 * store does not hold yet, appending each result as it finishes (so a kill loses one task at most).
 * @param store the opened results file
 * @param tasks every task of the computation, in a fixed order (the shard is taken from it)
 * @param keyOf a task's key, the key its record is stored under
 * @param run computes one task's record
 * @returns how many tasks the shard has, how many were done before, how many ran now
 * @example runPending(store, cells, (c) => c, (cell) => ({ cell, score: score(cell) }), { shard: { index: 1, count: 4 } })
 */
export function runPending<T, R>(store: JsonlStore<unknown, R>, tasks: readonly T[], keyOf: (task: T) => string, run: (task: T) => R, opts: RunPendingOptions = {}): { total: number; before: number; ran: number } {
  const mine = opts.shard === undefined ? [...tasks] : tasks.filter((_, k) => inShard(k, opts.shard as ShardSpec));
  const before = mine.filter((t) => store.has(keyOf(t))).length;
  let ran = 0;
  for (const task of mine) {
    if (store.has(keyOf(task))) continue;
    if (ran >= (opts.limit ?? Infinity)) break;
    store.append(run(task));
    ran++;
    opts.progress?.(before + ran, mine.length);
  }
  return { total: mine.length, before, ran };
}
