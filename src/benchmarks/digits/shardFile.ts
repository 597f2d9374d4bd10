/**
 * Reading a NAS-Bench-Digits shard file: a header line `{ header: { protocol, engine, cells,
 * shard } }`, then one JSON record per trained (cell, seed). The builder (./build) appends to these
 * files and the table (./table) merges them; both read them through this module, which checks what
 * core/jsonlStore's reader returns.
 */
import { checkString, describe } from '../../core/checks';
import { readJsonl } from '../../core/jsonlStore';
import type { DigitsBenchRecord } from './cell';
import { checkDigitsProtocol, type DigitsBenchEngine, type DigitsBenchProtocol } from './protocol';

/** The first line of a shard file. */
export interface DigitsShardHeader {
  protocol: DigitsBenchProtocol;
  engine: DigitsBenchEngine;
  /** The selection string ('all', 'sample:N', 'first:N'). */
  cells: string;
  /** 'i/n'. */
  shard: string;
}

/** A shard file read back. */
export interface DigitsShard {
  header: DigitsShardHeader;
  records: DigitsBenchRecord[];
  /** Byte length of the complete lines (a cut-off tail beyond it is ignored). */
  completeBytes: number;
}

function checkRecordShape(value: unknown, where: string): DigitsBenchRecord {
  const r = value as DigitsBenchRecord;
  if (typeof r !== 'object' || r === null || typeof r.cell !== 'string' || typeof r.seed !== 'string' || !Array.isArray(r.validationAccuracy) || typeof r.testAccuracy !== 'number') {
    throw new Error(`${where} is not a NAS-Bench-Digits record { cell, seed, validationAccuracy, testAccuracy, ... }, got ${describe(value)}`);
  }
  return r;
}

/**
 * What is wrong with a shard file's header, or null when it has every field.
 * @internal
 */
export function shardHeaderProblem(header: DigitsShardHeader): string | null {
  try {
    header.protocol = checkDigitsProtocol(header.protocol, 'readDigitsShard');
    if (typeof header.engine?.backend !== 'string' || typeof header.cells !== 'string' || typeof header.shard !== 'string') throw new Error('fields missing');
    return null;
  } catch (err) {
    return `line 1 must be a shard header { header: { protocol, engine, cells, shard } }: ${(err as Error).message}`;
  }
}

/**
 * Reads a shard file: its header and every complete record line. A last line without its newline
 * (a write cut short) is ignored; any other unreadable line is an error.
 * @param file the shard file
 * @throws Error if the file is missing, has no valid header, or a complete line is not a record
 * @example readDigitsShard('shard-1.jsonl').records.length
 */
export function readDigitsShard(file: string): DigitsShard {
  const caller = 'readDigitsShard';
  checkString('file', file, caller);
  const { header, records, completeBytes } = readJsonl<DigitsShardHeader, unknown>(file);
  const bad = shardHeaderProblem(header);
  if (bad !== null) throw new Error(`${caller}: ${describe(file)} ${bad}`);
  const checked = records.map((value, i) => checkRecordShape(value, `${caller}: ${describe(file)} line ${i + 2}`));
  return { header, records: checked, completeBytes };
}
