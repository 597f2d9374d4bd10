/**
 * Objectives in comparable units. Accuracy in percent, latency in milliseconds and energy in
 * microjoules cannot be added as they are: a weighted sum of raw values is decided by whichever
 * unit happens to be largest. Min-max normalisation maps each objective onto [0, 1] over the set
 * (or over given bounds), after which weights mean what they say.
 */
import { checkNumbers, describe } from '../core/checks';
import { flattenPoints } from './points';

/** Per-objective bounds for {@link normalizeObjectives}. */
export interface ObjectiveBounds {
  lower: number[];
  upper: number[];
}

/**
 * The bounds of each objective over a set: its smallest and largest value.
 * @throws RangeError for an empty set or rows of different lengths; TypeError for NaN objectives
 * @example objectiveBounds([[90, 2], [80, 6]]) // { lower: [80, 2], upper: [90, 6] }
 */
export function objectiveBounds(points: readonly (readonly number[])[]): ObjectiveBounds {
  const { n, m, flat } = flattenPoints(points, undefined, 'objectiveBounds');
  const lower = Array.from({ length: m }, () => Infinity);
  const upper = Array.from({ length: m }, () => -Infinity);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      lower[j] = Math.min(lower[j], flat[i * m + j]);
      upper[j] = Math.max(upper[j], flat[i * m + j]);
    }
  }
  return { lower, upper };
}

/**
 * Each objective mapped to (x − lower) / (upper − lower): 0 at the lower bound, 1 at the upper
 * one, whatever the direction (a maximised objective stays maximised). An objective with
 * upper = lower maps to 0. Bounds default to the set's own ({@link objectiveBounds}); pass the
 * bounds of a whole table to normalise a subset on the table's scale.
 * @param points one row per candidate, one column per objective
 * @param bounds optional `{ lower, upper }`, one value per objective, lower <= upper
 * @throws RangeError for an empty set, rows of different lengths, or bounds of the wrong length or order; TypeError for NaN objectives
 * @example normalizeObjectives([[90, 2], [80, 6], [85, 4]]) // [[1, 0], [0, 1], [0.5, 0.5]]
 */
export function normalizeObjectives(points: readonly (readonly number[])[], bounds?: ObjectiveBounds): number[][] {
  const caller = 'normalizeObjectives';
  const { n, m, flat } = flattenPoints(points, undefined, caller);
  const b = bounds === undefined ? objectiveBounds(points) : checkBounds(bounds, m, caller);
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < m; j++) {
      const span = b.upper[j] - b.lower[j];
      row.push(span === 0 ? 0 : (flat[i * m + j] - b.lower[j]) / span);
    }
    out.push(row);
  }
  return out;
}

function checkBounds(bounds: unknown, m: number, caller: string): ObjectiveBounds {
  if (typeof bounds !== 'object' || bounds === null) throw new TypeError(`${caller}: 'bounds' must be { lower, upper }, got ${describe(bounds)}`);
  const { lower, upper } = bounds as Partial<ObjectiveBounds>;
  checkNumbers('bounds.lower', lower, {}, caller);
  checkNumbers('bounds.upper', upper, {}, caller);
  if (lower!.length !== m || upper!.length !== m) {
    throw new RangeError(`${caller}: 'bounds.lower' and 'bounds.upper' must have ${m} values (one per objective), got ${lower!.length} and ${upper!.length}`);
  }
  lower!.forEach((lo, j) => {
    if (lo > upper![j]) throw new RangeError(`${caller}: 'bounds.lower[${j}]' must be <= 'bounds.upper[${j}]', got ${lo} > ${upper![j]}`);
  });
  return { lower: lower!, upper: upper! };
}
