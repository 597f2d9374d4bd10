/**
 * Tasks on a finite input set. Inputs are X = {0, ..., n-1}, labels are Y = {0, ..., k-1}, and a
 * task f: X -> Y is written as its label vector [f(0), ..., f(n-1)]. There are k^n tasks; the
 * No Free Lunch argument averages over every one of them, so this file counts and lists them.
 */
import { checkArray, checkInt, describe } from '../core/checks';

/** The sizes of the input set X and the label set Y. */
export interface TaskShape {
  /** |X| = n: inputs are 0..n-1. */
  xSize: number;
  /** |Y| = k: labels are 0..k-1. */
  ySize: number;
}

/** Enumerations larger than this are refused: at a few million items per second they would take minutes. */
export const MAX_ENUMERATION = 50_000_000;

/** Checks |X| (>= 0) and |Y| (>= 1: with no labels there is no task to learn). */
export function checkTaskShape(xSize: unknown, ySize: unknown, caller: string): TaskShape {
  checkInt('xSize', xSize, { min: 0 }, caller);
  checkInt('ySize', ySize, { min: 1 }, caller);
  return { xSize: xSize as number, ySize: ySize as number };
}

/**
 * The number of tasks f: X -> Y, |Y|^|X|, exactly, as a bigint (no size limit).
 * @param xSize |X|, an integer >= 0
 * @param ySize |Y|, an integer >= 1
 * @throws RangeError/TypeError naming the argument if a size is not an integer in range
 * @example countTasksBig(30, 3) // 205891132094649n
 * @example countTasksBig(40, 3) // 12157665459056928801n (beyond 2^53)
 */
export function countTasksBig(xSize: number, ySize: number): bigint {
  checkTaskShape(xSize, ySize, 'countTasksBig');
  return BigInt(ySize) ** BigInt(xSize);
}

/**
 * The number of tasks f: X -> Y, |Y|^|X|, as an exact number. Beyond 2^53 a double can no longer
 * hold every integer, so rather than return a rounded count this throws and points to the
 * bigint version.
 * @param xSize |X|, an integer >= 0
 * @param ySize |Y|, an integer >= 1
 * @throws RangeError if the count exceeds Number.MAX_SAFE_INTEGER (use countTasksBig), or a size is out of range
 * @example countTasks(4, 2) // 16
 * @example countTasks(3, 3) // 27
 */
export function countTasks(xSize: number, ySize: number): number {
  checkTaskShape(xSize, ySize, 'countTasks');
  const count = BigInt(ySize) ** BigInt(xSize);
  if (count > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(
      `countTasks: ${ySize}^${xSize} = ${count} exceeds Number.MAX_SAFE_INTEGER (2^53 - 1) and cannot be returned exactly as a number; use countTasksBig(${xSize}, ${ySize})`,
    );
  }
  return Number(count);
}

/**
 * Every task f: X -> Y as a label vector, in lexicographic order ([0,0,...,0] first, the last
 * input varying fastest). Each yielded array is fresh, so callers may keep it.
 * @param xSize |X|, an integer >= 0
 * @param ySize |Y|, an integer >= 1
 * @throws RangeError if there are more than MAX_ENUMERATION tasks, or a size is out of range
 * @example [...enumerateTasks(2, 2)] // [[0,0], [0,1], [1,0], [1,1]]
 */
export function enumerateTasks(xSize: number, ySize: number): Generator<number[]> {
  // A plain function returning the generator, so bad sizes throw at the call, not at the first next().
  checkTaskShape(xSize, ySize, 'enumerateTasks');
  const count = BigInt(ySize) ** BigInt(xSize);
  if (count > BigInt(MAX_ENUMERATION)) {
    throw new RangeError(
      `enumerateTasks: ${ySize}^${xSize} = ${count} tasks is more than ${MAX_ENUMERATION} to enumerate; estimate by sampling tasks instead (monteCarloOts)`,
    );
  }
  return odometer(xSize, ySize);
}

/** Counts in base k with n digits, most significant digit first. */
function* odometer(n: number, k: number): Generator<number[]> {
  const digits = new Array<number>(n).fill(0);
  while (true) {
    yield digits.slice();
    let i = n - 1;
    while (i >= 0 && digits[i] === k - 1) digits[i--] = 0;
    if (i < 0) return;
    digits[i]++;
  }
}

/**
 * C(n, m), the number of training input sets S ⊂ X of size m, exactly.
 * @param xSize n = |X|, an integer >= 0
 * @param trainSize m, an integer in [0, n]
 * @throws RangeError/TypeError naming the argument if a size is not an integer in range
 * @example countTrainingSets(4, 2) // 6
 */
export function countTrainingSets(xSize: number, trainSize: number): number {
  checkInt('xSize', xSize, { min: 0 }, 'countTrainingSets');
  checkInt('trainSize', trainSize, { min: 0, max: xSize }, 'countTrainingSets');
  let c = 1n;
  // C(n, i) = C(n, i-1) * (n - i + 1) / i stays an integer at every step.
  for (let i = 1; i <= trainSize; i++) c = (c * BigInt(xSize - i + 1)) / BigInt(i);
  if (c > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`countTrainingSets: C(${xSize}, ${trainSize}) = ${c} exceeds Number.MAX_SAFE_INTEGER`);
  }
  return Number(c);
}

/**
 * Every training input set S ⊂ X with |S| = m, as an ascending array, in lexicographic order.
 * @param xSize n = |X|, an integer >= 0
 * @param trainSize m, an integer in [0, n]
 * @throws RangeError naming the argument if a size is out of range or there are more than MAX_ENUMERATION sets
 * @example [...enumerateTrainingSets(3, 2)] // [[0,1], [0,2], [1,2]]
 */
export function enumerateTrainingSets(xSize: number, trainSize: number): Generator<number[]> {
  checkInt('xSize', xSize, { min: 0 }, 'enumerateTrainingSets');
  checkInt('trainSize', trainSize, { min: 0, max: xSize }, 'enumerateTrainingSets');
  const count = countTrainingSets(xSize, trainSize);
  if (count > MAX_ENUMERATION) {
    throw new RangeError(`enumerateTrainingSets: C(${xSize}, ${trainSize}) = ${count} sets is more than ${MAX_ENUMERATION} to enumerate`);
  }
  return combinations(xSize, trainSize);
}

/** The m-subsets of {0..n-1} in lexicographic order. */
function* combinations(n: number, m: number): Generator<number[]> {
  const idx = Array.from({ length: m }, (_, i) => i);
  while (true) {
    yield idx.slice();
    // Advance the rightmost index that still has room, then reset the ones after it.
    let i = m - 1;
    while (i >= 0 && idx[i] === n - m + i) i--;
    if (i < 0) return;
    idx[i]++;
    for (let j = i + 1; j < m; j++) idx[j] = idx[j - 1] + 1;
  }
}

/**
 * Checks that `task` is a label vector: an array of integers in [0, ySize).
 * @throws TypeError/RangeError naming the argument and the first bad entry
 */
export function checkTask(name: string, task: unknown, ySize: number, caller: string): number[] {
  const arr = checkArray<unknown>(name, task, {}, caller);
  for (let i = 0; i < arr.length; i++) {
    const y = arr[i];
    if (typeof y !== 'number' || !Number.isInteger(y) || y < 0 || y >= ySize) {
      throw new RangeError(`${caller}: '${name}' must hold labels that are integers in [0, ${ySize - 1}], got ${describe(y)} at index ${i}`);
    }
  }
  return arr as number[];
}

/**
 * How many neighbouring inputs x, x+1 carry different labels: 0 for a constant task, and small
 * for a "smooth" task on a line.
 * @param task a label vector
 * @throws TypeError if task is not an array of numbers
 * @example countLabelChanges([0, 0, 1, 1, 0]) // 2
 */
export function countLabelChanges(task: readonly number[]): number {
  checkArray('task', task, {}, 'countLabelChanges');
  let changes = 0;
  for (let x = 1; x < task.length; x++) if (task[x] !== task[x - 1]) changes++;
  return changes;
}
