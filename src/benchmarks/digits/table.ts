/**
 * The NAS-Bench-Digits table: merging shard files into one gzipped JSON-lines file, and loading it
 * for look-ups.
 *
 * Table format (`.jsonl.gz`): line 1 `{ header: { format, protocol, engine, cells, cellCount,
 * recordCount, missing } }`, then one record per (cell, seed), sorted by cell then seed (primary
 * first), so merging the shards of a build in any order gives the same bytes.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { checkInt, checkOneOf, checkString, describe } from '../../core/checks';
import { dataDir } from '../../core/paths';
import type { Nb201Cell } from '../../spaces/nb201';
import type { DigitsBenchRecord } from './cell';
import { readDigitsShard } from './shardFile';
import { checkDigitsProtocol, compatibleEngines, sameDigitsProtocol, type DigitsBenchEngine, type DigitsBenchProtocol } from './protocol';
import { digitsCellKey, digitsShardTasks, digitsTaskKey, parseCellSelection, parseShard, selectDigitsCells } from './shard';

/** The header line of a merged table. */
export interface DigitsTableHeader {
  format: 'nas-bench-digits-table';
  protocol: DigitsBenchProtocol;
  engine: DigitsBenchEngine;
  /** The selection the shards were built from. */
  cells: string;
  /** Distinct cells in the table. */
  cellCount: number;
  recordCount: number;
  /** Tasks of the selection that no shard holds (0 for a finished build). */
  missing: number;
}

/** What merge did. */
export interface DigitsMergeSummary {
  header: DigitsTableHeader;
  out: string;
}

/** Default file of the shipped table. */
export const DIGITS_TABLE_FILE = 'nasbench-digits.jsonl.gz';

/**
 * Merges shard files into one gzipped table: all shards must share protocol, engine (tfjs version
 * and backend) and selection, come from distinct shards of one split, and hold no task twice.
 * @param files the shard files
 * @param out the table file (must end in .jsonl.gz)
 * @throws Error naming the file that disagrees or the duplicated task; RangeError for a bad out name
 * @example mergeDigitsShards(['s1.jsonl', 's2.jsonl'], 'table.jsonl.gz').header.recordCount
 */
export function mergeDigitsShards(files: readonly string[], out: string): DigitsMergeSummary {
  const caller = 'mergeDigitsShards';
  if (!Array.isArray(files) || files.length === 0) throw new TypeError(`${caller}: 'files' must be a non-empty array of shard files, got ${describe(files)}`);
  checkString('out', out, caller);
  if (!out.endsWith('.jsonl.gz')) throw new RangeError(`${caller}: 'out' must end in '.jsonl.gz', got ${describe(out)}`);
  const shards = files.map((f) => ({ file: f, ...readDigitsShard(checkString('files[]', f, caller)) }));
  const first = shards[0];
  const shardSpecs = new Set<string>();
  let count = 0;
  for (const s of shards) {
    if (!sameDigitsProtocol(s.header.protocol, first.header.protocol)) throw new Error(`${caller}: ${describe(s.file)} has a different protocol from ${describe(first.file)}`);
    if (!compatibleEngines(s.header.engine, first.header.engine)) throw new Error(`${caller}: ${describe(s.file)} was built with a different engine from ${describe(first.file)}`);
    if (s.header.cells !== first.header.cells) throw new Error(`${caller}: ${describe(s.file)} selects cells ${s.header.cells}, ${describe(first.file)} ${first.header.cells}`);
    const spec = parseShard(s.header.shard);
    if (count === 0) count = spec.count;
    if (spec.count !== count) throw new Error(`${caller}: ${describe(s.file)} is shard ${s.header.shard}, not one of ${count}`);
    if (shardSpecs.has(s.header.shard)) throw new Error(`${caller}: shard ${s.header.shard} is given twice (${describe(s.file)})`);
    shardSpecs.add(s.header.shard);
  }
  const protocol = first.header.protocol;
  const seen = new Map<string, string>();
  const records: DigitsBenchRecord[] = [];
  for (const s of shards) {
    for (const r of s.records) {
      const key = digitsTaskKey(r);
      const where = seen.get(key);
      if (where !== undefined) throw new Error(`${caller}: cell ${r.cell} with seed ${r.seed} appears twice (${describe(where)} and ${describe(s.file)})`);
      seen.set(key, s.file);
      records.push(r);
    }
  }
  const cells = selectDigitsCells(parseCellSelection(first.header.cells), protocol);
  const order = new Map(cells.map((c, i) => [c, i]));
  const seedRank = (seed: string) => (seed === protocol.seeds.primary ? 0 : seed === protocol.seeds.second ? 1 : 2);
  records.sort((a, b) => (order.get(a.cell) ?? Infinity) - (order.get(b.cell) ?? Infinity) || a.cell.localeCompare(b.cell) || seedRank(a.seed) - seedRank(b.seed));
  const expected = digitsShardTasks(cells, { index: 1, count: 1 }, protocol);
  const header: DigitsTableHeader = {
    format: 'nas-bench-digits-table',
    protocol,
    engine: first.header.engine,
    cells: first.header.cells,
    cellCount: new Set(records.map((r) => r.cell)).size,
    recordCount: records.length,
    missing: expected.filter((t) => !seen.has(digitsTaskKey(t))).length,
  };
  const text = [JSON.stringify({ header }), ...records.map((r) => JSON.stringify(r))].join('\n') + '\n';
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  // mtime 0 in the gzip header so equal tables give equal bytes.
  fs.writeFileSync(out, zlib.gzipSync(Buffer.from(text, 'utf8'), { level: 9 }));
  return { header, out };
}

/** The epochs a query may ask for: a 1-based epoch number, or 'final'. */
export type DigitsEpochs = number | 'final';

/** A loaded NAS-Bench-Digits table. */
export interface DigitsBench {
  header: DigitsTableHeader;
  /** Distinct cells in the table. */
  size: number;
  /** The cells in the table (canonical strings). */
  cells(): string[];
  /** Whether the cell (or its isomorphic representative) has a row. */
  has(cell: string | Nb201Cell): boolean;
  /**
   * Validation accuracy of a cell after `epochs` epochs (default 'final') with the primary seed
   * (or `seed`). Throws a RangeError "not in the table" for a cell without a row.
   */
  query(cell: string | Nb201Cell, opts?: { epochs?: DigitsEpochs; seed?: string }): number;
  /** The full record of a cell (primary seed unless `seed` is given), or null when it was not trained. */
  record(cell: string | Nb201Cell, seed?: string): DigitsBenchRecord | null;
  /** All records of a cell (one per seed it was trained with). */
  records(cell: string | Nb201Cell): DigitsBenchRecord[];
}

/**
 * Loads a NAS-Bench-Digits table and returns look-ups. `query` throws for a cell that is not in
 * the table (a sample build leaves cells untrained); `record` returns null for it instead.
 * Duplicate cells (same `canonicalNb201Cell`) find the same row.
 * @param file the table (default: data/nasbench-digits.jsonl.gz)
 * @throws Error if the file is missing, not gzip, or its header or a line is corrupt
 * @example loadBench().query('|conv3x3~0|+|skip~0|conv1x1~1|+|none~0|skip~1|avgpool3x3~2|', { epochs: 4 })
 */
export function loadBench(file?: string): DigitsBench {
  const caller = 'loadBench';
  const f = file === undefined ? path.join(dataDir(), DIGITS_TABLE_FILE) : checkString('file', file, caller);
  if (!fs.existsSync(f)) throw new Error(`${caller}: ${describe(f)} does not exist`);
  let text: string;
  try {
    text = zlib.gunzipSync(fs.readFileSync(f)).toString('utf8');
  } catch (err) {
    throw new Error(`${caller}: cannot decompress ${describe(f)}: ${(err as Error).message}`);
  }
  const lines = text.split('\n').filter((l) => l.length > 0);
  let header: DigitsTableHeader;
  try {
    header = (JSON.parse(lines[0] ?? '') as { header: DigitsTableHeader }).header;
    checkOneOf('header.format', header?.format, ['nas-bench-digits-table'], caller);
    header.protocol = checkDigitsProtocol(header.protocol, caller);
  } catch (err) {
    throw new Error(`${caller}: ${describe(f)} line 1 must be a NAS-Bench-Digits table header: ${(err as Error).message}`);
  }
  const byCell = new Map<string, DigitsBenchRecord[]>();
  lines.slice(1).forEach((line, i) => {
    let r: DigitsBenchRecord;
    try {
      r = JSON.parse(line) as DigitsBenchRecord;
    } catch {
      throw new Error(`${caller}: ${describe(f)} line ${i + 2} is not JSON (a corrupt table)`);
    }
    if (typeof r?.cell !== 'string' || typeof r.seed !== 'string' || !Array.isArray(r.validationAccuracy)) {
      throw new Error(`${caller}: ${describe(f)} line ${i + 2} is not a record { cell, seed, validationAccuracy, ... }`);
    }
    const list = byCell.get(r.cell) ?? [];
    list.push(r);
    byCell.set(r.cell, list);
  });
  const primary = header.protocol.seeds.primary;
  const epochs = header.protocol.training.epochs;
  const key = (cell: string | Nb201Cell, who: string) => {
    try {
      return digitsCellKey(cell);
    } catch (err) {
      throw new RangeError(`${who}: 'cell' must be a NAS-Bench-201 cell (string or value): ${(err as Error).message}`);
    }
  };
  const record = (cell: string | Nb201Cell, seed: string = primary): DigitsBenchRecord | null =>
    (byCell.get(key(cell, 'record')) ?? []).find((r) => r.seed === seed) ?? null;
  return {
    header,
    size: byCell.size,
    cells: () => [...byCell.keys()],
    has: (cell) => byCell.has(key(cell, 'has')),
    record,
    records: (cell) => (byCell.get(key(cell, 'records')) ?? []).slice(),
    query(cell, opts = {}) {
      const who = 'query';
      const k = key(cell, who);
      const e = opts.epochs ?? 'final';
      const epoch = e === 'final' ? epochs : checkInt('epochs', e, { min: 1, max: epochs }, who);
      const seed = opts.seed ?? primary;
      const r = (byCell.get(k) ?? []).find((x) => x.seed === seed);
      if (!r) {
        throw new RangeError(`${who}: cell ${k}${seed === primary ? '' : ` with seed ${describe(seed)}`} is not in the table (${byCell.size} cells trained, selection ${header.cells})`);
      }
      return r.validationAccuracy[epoch - 1];
    },
  };
}
