/**
 * The rebuild check: retrain a few rows of a table under its own protocol and compare every
 * reproducible field (timings excluded).
 */
import { checkInt, describe } from '../../core/checks';
import type { Rng } from '../../core/rng';
import { init } from '../../tensor/backend';
import { digitsBenchData, DIGITS_TIMING_FIELDS, trainDigitsCell, type DigitsBenchRecord } from './cell';
import { compatibleEngines, digitsBenchEngine } from './protocol';
import { loadBench } from './table';

/** One row compared. */
export interface DigitsRebuildCheck {
  cell: string;
  seed: string;
  /** Fields whose rebuilt value differs from the stored one (empty: identical). */
  differences: string[];
}

/** The record without its timing fields, for comparison. */
export function reproducibleDigitsFields(r: DigitsBenchRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { ...r };
  for (const f of DIGITS_TIMING_FIELDS) delete out[f];
  return out;
}

/**
 * Retrains `count` rows of a table (chosen by `rng`) and lists, for each, the fields that differ.
 * @param file the table
 * @param opts count (default 3) and rng (which rows)
 * @throws Error if the table cannot be loaded or was made on another engine (tfjs version or backend)
 * @example (await verifyDigitsTable('t.jsonl.gz', { count: 2, rng: createRng(0) })).every((c) => c.differences.length === 0)
 */
export async function verifyDigitsTable(file: string, opts: { count?: number; rng: Rng }): Promise<DigitsRebuildCheck[]> {
  const caller = 'verifyDigitsTable';
  const bench = loadBench(file);
  const count = checkInt('count', opts.count ?? 3, { min: 1 }, caller);
  if (typeof opts.rng?.sample !== 'function') throw new TypeError(`${caller}: 'opts.rng' must be an Rng, got ${describe(opts.rng)}`);
  const info = await init({ prefer: 'wasm', quiet: true });
  const engine = digitsBenchEngine(info.backend);
  if (!compatibleEngines(bench.header.engine, engine)) {
    throw new Error(`${caller}: the table was built with tfjs ${bench.header.engine.tfjs} on ${bench.header.engine.backend}; this process runs tfjs ${engine.tfjs} on ${engine.backend}`);
  }
  const rows = bench.cells().flatMap((c) => bench.records(c));
  const chosen = opts.rng.sample(rows, Math.min(count, rows.length));
  const data = digitsBenchData(bench.header.protocol);
  const checks: DigitsRebuildCheck[] = [];
  for (const stored of chosen) {
    const rebuilt = reproducibleDigitsFields(await trainDigitsCell({ cell: stored.cell, seed: stored.seed }, bench.header.protocol, data));
    const old = reproducibleDigitsFields(stored);
    const keys = new Set([...Object.keys(old), ...Object.keys(rebuilt)]);
    checks.push({ cell: stored.cell, seed: stored.seed, differences: [...keys].filter((k) => JSON.stringify(old[k]) !== JSON.stringify(rebuilt[k])) });
  }
  return checks;
}
