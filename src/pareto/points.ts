/**
 * Objective vectors as plain data, and the one place they are checked.
 *
 * Every function of `pareto/` takes `points` as an array of rows, one row per candidate
 * (architecture) and one column per objective, plus optional per-objective `directions`
 * ('minimize' by default). Internally the rows are copied once into a flat Float64Array in
 * minimisation form (a maximised column is negated), so every algorithm below only ever
 * minimises and never allocates a row.
 */
import { checkArray, describe } from '../core/checks';
import type { Direction } from '../strategies/objectives';
import { sortedIndices } from './order';


/** Options shared by the Pareto functions. */
export interface ParetoOptions {
  /** One direction per objective (column); default: every objective minimised. */
  directions?: readonly Direction[];
}

/** Checked points in minimisation form: row i is `flat[i*m .. i*m+m)`. */
export interface FlatPoints {
  n: number;
  m: number;
  flat: Float64Array;
  /** +1 for a minimised column, -1 for a maximised one (the factor applied). */
  signs: Float64Array;
}

/**
 * Checks `points` (a non-empty array of equal-length rows of finite numbers) and `directions`,
 * and returns them flat in minimisation form.
 * @throws TypeError/RangeError naming the argument: an empty set, rows of different lengths, a
 *   NaN or infinite objective (with its row and column), directions of the wrong length or value
 */
export function flattenPoints(points: unknown, opts: ParetoOptions | undefined, caller: string, minLength = 1): FlatPoints {
  const rows = checkArray<unknown>('points', points, { minLength }, caller);
  const n = rows.length;
  const first = rows[0];
  if (n > 0 && (!Array.isArray(first) || first.length === 0)) {
    throw new TypeError(`${caller}: 'points' must be rows of objective values (non-empty arrays of numbers), got ${describe(first)} at row 0`);
  }
  const m = n > 0 ? (first as unknown[]).length : checkDirections(opts, undefined, caller).length;
  const signs = directionSigns(opts, m, caller);
  const flat = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    if (!Array.isArray(row)) throw new TypeError(`${caller}: 'points' must be rows of objective values, got ${describe(row)} at row ${i}`);
    if (row.length !== m) {
      throw new RangeError(`${caller}: every row of 'points' must have ${m} objectives (as row 0 has), got ${row.length} at row ${i}`);
    }
    for (let j = 0; j < m; j++) {
      const x = row[j];
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        throw new TypeError(`${caller}: 'points' must hold finite numbers, got ${describe(x)} at row ${i}, objective ${j}`);
      }
      flat[i * m + j] = signs[j] * x;
    }
  }
  return { n, m, flat, signs };
}

/** The directions option, checked against the number of objectives when it is known. */
function checkDirections(opts: ParetoOptions | undefined, m: number | undefined, caller: string): readonly Direction[] {
  if (opts === undefined) return Array.from({ length: m ?? 0 }, () => 'minimize' as const);
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be an object, got ${describe(opts)}`);
  if (opts.directions === undefined) return Array.from({ length: m ?? 0 }, () => 'minimize' as const);
  const dirs = checkArray<unknown>('opts.directions', opts.directions, m === undefined ? {} : { length: m }, caller);
  dirs.forEach((d, j) => {
    if (d !== 'minimize' && d !== 'maximize') {
      throw new RangeError(`${caller}: 'opts.directions[${j}]' must be 'minimize' or 'maximize', got ${describe(d)}`);
    }
  });
  return dirs as Direction[];
}

/** +1 per minimised objective, -1 per maximised one. */
export function directionSigns(opts: ParetoOptions | undefined, m: number, caller: string): Float64Array {
  const dirs = checkDirections(opts, m, caller);
  return Float64Array.from(dirs, (d) => (d === 'maximize' ? -1 : 1));
}

/**
 * Compares rows a and b of flat points lexicographically (objective 0 first).
 * @internal
 */
export function lexCompare(flat: Float64Array, m: number, a: number, b: number): number {
  const oa = a * m;
  const ob = b * m;
  for (let j = 0; j < m; j++) {
    const d = flat[oa + j] - flat[ob + j];
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Row indices sorted lexicographically, ties by index (a stable, total order).
 * @internal
 */
export function lexOrder(p: FlatPoints): Uint32Array {
  const { n, m, flat } = p;
  if (m === 1) return sortedIndices(n, (a, b) => flat[a] - flat[b]);
  if (m === 2) return sortedIndices(n, (a, b) => flat[2 * a] - flat[2 * b] || flat[2 * a + 1] - flat[2 * b + 1]);
  return sortedIndices(n, (a, b) => lexCompare(flat, m, a, b));
}

/**
 * Whether row a dominates row b of flat points in minimisation form.
 * @internal
 */
export function flatDominates(flat: Float64Array, m: number, a: number, b: number): boolean {
  let strictly = false;
  const oa = a * m;
  const ob = b * m;
  for (let j = 0; j < m; j++) {
    const x = flat[oa + j];
    const y = flat[ob + j];
    if (x > y) return false;
    if (x < y) strictly = true;
  }
  return strictly;
}
