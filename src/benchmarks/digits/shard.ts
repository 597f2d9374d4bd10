/**
 * Which cells a build trains: the selection (`all`, `sample:N`, `first:N`), the shard of it one
 * process or machine takes (`i/n`), and which cells are repeated with the second seed.
 *
 * Everything here is a pure function of the protocol and the selection string, so separate
 * machines running `--shard 1/4` ... `--shard 4/4` agree on who trains what without talking.
 */
import { inShard, parseShard, type ShardSpec } from '../../core/shard';
import { checkInt, checkString, describe } from '../../core/checks';
import { createRng } from '../../core/rng';
import { canonicalNb201Cell, formatNb201Cell, nb201UniqueCells, parseNb201Cell, type Nb201Cell } from '../../spaces/nb201';
import type { DigitsBenchProtocol } from './protocol';

/** A parsed cell selection. */
export type CellSelection = { kind: 'all' } | { kind: 'sample'; n: number } | { kind: 'first'; n: number };

/** A parsed shard: this is shard `index` (1-based) of `count`. */

/** One training job: a cell (canonical string) and the seed to train it with. */
export interface DigitsTask {
  cell: string;
  seed: string;
}

let cachedUniverse: string[] | null = null;

/**
 * The cells a full build covers, as canonical strings in increasing nb201Index: one representative
 * per duplicate class (`nb201UniqueCells`; the all-'none' disconnected class first).
 * @example digitsBenchUniverse().length // 4930
 */
export function digitsBenchUniverse(): string[] {
  if (!cachedUniverse) {
    cachedUniverse = nb201UniqueCells().map((c) => formatNb201Cell(c));
  }
  return cachedUniverse.slice();
}

/**
 * The table's key of a cell given as a string or a value: its canonical representative
 * (`canonicalNb201Cell`) in our spelling, so duplicate cells find the same row.
 * @throws RangeError/TypeError for a string or value that is not a NAS-Bench-201 cell
 * @example digitsCellKey('|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|none~0|skip_connect~1|avg_pool_3x3~2|')
 */
export function digitsCellKey(cell: string | Nb201Cell): string {
  const value = typeof cell === 'string' ? parseNb201Cell(cell) : cell;
  return formatNb201Cell(canonicalNb201Cell(value));
}

/**
 * Reads a selection string: 'all', 'sample:N' (a seeded uniform sample of N cells of the
 * universe) or 'first:N' (the first N, for smoke runs).
 * @throws RangeError for anything else, or N not a positive integer
 * @example parseCellSelection('sample:3000') // { kind: 'sample', n: 3000 }
 */
export function parseCellSelection(text: string): CellSelection {
  const caller = 'parseCellSelection';
  checkString('cells', text, caller);
  if (text === 'all') return { kind: 'all' };
  const m = /^(sample|first):(\d+)$/.exec(text);
  if (!m) throw new RangeError(`${caller}: 'cells' must be 'all', 'sample:N' or 'first:N', got ${describe(text)}`);
  const n = checkInt('cells N', Number(m[2]), { min: 1 }, caller);
  return { kind: m[1] as 'sample' | 'first', n };
}

/** The selection as a string (the inverse of parseCellSelection). */
export function formatCellSelection(s: CellSelection): string {
  return s.kind === 'all' ? 'all' : `${s.kind}:${s.n}`;
}


/**
 * The cells of a selection, in universe order.
 * @param selection which cells
 * @param protocol supplies the sample seed
 * @throws RangeError if N exceeds the universe
 * @example selectDigitsCells({ kind: 'first', n: 2 }, DEFAULT_DIGITS_PROTOCOL).length // 2
 */
export function selectDigitsCells(selection: CellSelection, protocol: DigitsBenchProtocol): string[] {
  const universe = digitsBenchUniverse();
  if (selection.kind === 'all') return universe;
  if (selection.n > universe.length) {
    throw new RangeError(`selectDigitsCells: 'cells' asks for ${selection.n} cells, but the space holds ${universe.length}`);
  }
  if (selection.kind === 'first') return universe.slice(0, selection.n);
  const rank = new Map(universe.map((c, i) => [c, i]));
  return createRng(protocol.seeds.sampleSeed)
    .sample(universe, selection.n)
    .sort((a, b) => (rank.get(a) as number) - (rank.get(b) as number));
}

/**
 * Whether a cell is one of the ~repeatFraction of cells also trained with the second seed: a
 * draw from a stream keyed by the cell, so the answer does not depend on the selection or shard.
 * @example repeatsDigitsCell('|skip~0|+|none~0|none~1|+|none~0|none~1|skip~2|', DEFAULT_DIGITS_PROTOCOL) // true or false, always the same
 */
export function repeatsDigitsCell(cell: string, protocol: DigitsBenchProtocol): boolean {
  return createRng(protocol.seeds.repeatKey).child(cell).uniform() < protocol.seeds.repeatFraction;
}

/**
 * The training tasks of one shard: cell k of the selection belongs to shard (k mod n) + 1; each
 * cell gets the primary seed, and the repeated ones the second seed too.
 * @example digitsShardTasks(['a', 'b', 'c'], { index: 1, count: 2 }, p) // tasks of 'a' and 'c'
 */
export function digitsShardTasks(cells: readonly string[], shard: ShardSpec, protocol: DigitsBenchProtocol): DigitsTask[] {
  const tasks: DigitsTask[] = [];
  cells.forEach((cell, k) => {
    if (!inShard(k, shard)) return;
    tasks.push({ cell, seed: protocol.seeds.primary });
    if (repeatsDigitsCell(cell, protocol)) tasks.push({ cell, seed: protocol.seeds.second });
  });
  return tasks;
}

/** The key of a task in a shard file: cell and seed. */
export function digitsTaskKey(t: DigitsTask): string {
  return `${t.cell} ${t.seed}`;
}

export { parseShard, type ShardSpec };
