/**
 * Task families: which tasks f: X -> Y we average over. The No Free Lunch theorem is about the
 * uniform family (every task equally likely); real problems come from structured families, such
 * as "smooth" tasks on a line whose label changes only a few times from x to x+1. A family can
 * list its tasks (for exact averages) and draw one uniformly (for Monte Carlo on large spaces);
 * both describe the same uniform distribution over the same set.
 */
import { checkArray, checkInt } from '../core/checks';
import { Rng } from '../core/rng';
import { binomialBig } from '../core/combinatorics';
import { checkTask, checkTaskShape, countTasksBig, enumerateTasks, MAX_ENUMERATION, TaskShape } from './tasks';

/** A set of tasks with the uniform distribution on it. */
export interface TaskFamily {
  /** A readable name: 'uniform', 'smooth(<=2 changes)'. */
  readonly name: string;
  /** How many tasks the family holds for this shape. */
  count(shape: TaskShape): bigint;
  /** Every task of the family once. */
  enumerate(shape: TaskShape): Generator<number[]>;
  /** One task drawn uniformly from the family. */
  sample(shape: TaskShape, rng: Rng): number[];
}

/**
 * All |Y|^|X| tasks, each equally likely: the family the No Free Lunch theorem averages over.
 * @example uniformTasks().count({ xSize: 4, ySize: 2 }) // 16n
 */
export function uniformTasks(): TaskFamily {
  return {
    name: 'uniform',
    count: (shape) => countTasksBig(shape.xSize, shape.ySize),
    enumerate: (shape) => enumerateTasks(shape.xSize, shape.ySize),
    sample(shape, rng) {
      checkTaskShape(shape.xSize, shape.ySize, 'uniformTasks.sample');
      return Array.from({ length: shape.xSize }, () => rng.int(0, shape.ySize));
    },
  };
}

/** Label sequences for the segments: a first label, then each next one differs from the last. */
function* segmentLabels(segments: number, ySize: number): Generator<number[]> {
  if (segments === 0) {
    yield [];
    return;
  }
  for (const rest of segmentLabels(segments - 1, ySize)) {
    for (let y = 0; y < ySize; y++) if (segments === 1 || y !== rest[rest.length - 1]) yield [...rest, y];
  }
}

/** Ascending j-subsets of {1..n-1}: where the label changes (x-1 to x). */
function* changePositions(xSize: number, j: number, from = 1): Generator<number[]> {
  if (j === 0) {
    yield [];
    return;
  }
  for (let p = from; p <= xSize - j; p++) for (const rest of changePositions(xSize, j - 1, p + 1)) yield [p, ...rest];
}

/** The label vector with the given change positions and segment labels. */
function paint(xSize: number, positions: readonly number[], labels: readonly number[]): number[] {
  const task = new Array<number>(xSize);
  let segment = 0;
  for (let x = 0; x < xSize; x++) {
    if (segment < positions.length && x === positions[segment]) segment++;
    task[x] = labels[segment];
  }
  return task;
}

/**
 * "Smooth" tasks on a line: piecewise-constant label vectors whose label changes between x and
 * x+1 at most `maxChanges` times. There are sum_{j<=c} C(n-1, j)·k·(k-1)^j of them, a vanishing
 * share of all k^n tasks, and on them a learner that assumes neighbours agree (1-NN) does well.
 * Listed by number of changes, then change positions, then labels.
 * @param maxChanges c, an integer >= 0
 * @throws RangeError/TypeError naming 'maxChanges' if it is not a non-negative integer
 * @example smoothTasks(1).count({ xSize: 4, ySize: 2 }) // 8n: 0000, 1111 and six with one change
 * @example [...smoothTasks(1).enumerate({ xSize: 3, ySize: 2 })] // [[0,0,0],[1,1,1],[0,1,1],[1,0,0],[0,0,1],[1,1,0]]
 */
export function smoothTasks(maxChanges: number): TaskFamily {
  checkInt('maxChanges', maxChanges, { min: 0 }, 'smoothTasks');
  const caller = 'smoothTasks';
  const most = (xSize: number) => Math.min(maxChanges, Math.max(0, xSize - 1));
  const count = (shape: TaskShape): bigint => {
    checkTaskShape(shape.xSize, shape.ySize, caller);
    if (shape.xSize === 0) return 1n;
    let total = 0n;
    for (let j = 0; j <= most(shape.xSize); j++) {
      total += binomialBig(shape.xSize - 1, j) * BigInt(shape.ySize) * BigInt(shape.ySize - 1) ** BigInt(j);
    }
    return total;
  };
  return {
    name: `smooth(<=${maxChanges} changes)`,
    count,
    enumerate(shape) {
      const size = count(shape);
      if (size > BigInt(MAX_ENUMERATION)) {
        throw new RangeError(`${caller}: ${size} tasks is more than ${MAX_ENUMERATION} to enumerate; sample instead`);
      }
      return (function* () {
        const { xSize, ySize } = shape;
        for (let j = 0; j <= most(xSize); j++) {
          for (const positions of changePositions(xSize, j)) {
            for (const labels of segmentLabels(j + 1, ySize)) yield paint(xSize, positions, labels);
          }
        }
      })();
    },
    sample(shape, rng) {
      checkTaskShape(shape.xSize, shape.ySize, caller);
      const { xSize, ySize } = shape;
      if (xSize === 0) return [];
      // Pick the number of changes j with probability proportional to how many tasks have j
      // changes, then a task uniformly among those: together, uniform over the family.
      const weights = Array.from({ length: most(xSize) + 1 }, (_, j) => Number(binomialBig(xSize - 1, j)) * (ySize - 1) ** j);
      let u = rng.uniform(0, weights.reduce((a, b) => a + b, 0));
      let j = 0;
      while (j < weights.length - 1 && u >= weights[j]) u -= weights[j++];
      const slots = Array.from({ length: xSize - 1 }, (_, i) => i + 1);
      const positions = rng.sample(slots, j).sort((a, b) => a - b);
      const labels = [rng.int(0, ySize)];
      for (let s = 1; s <= j; s++) {
        // Uniform over the k-1 labels that differ from the previous segment's.
        const y = rng.int(0, ySize - 1);
        labels.push(y >= labels[s - 1] ? y + 1 : y);
      }
      return paint(xSize, positions, labels);
    },
  };
}

/**
 * A family given as an explicit list of tasks (all of the same length), each equally likely:
 * for scoring learners on tasks you wrote down or collected.
 * @param tasks label vectors of equal length
 * @param name a readable name (default 'listed')
 * @throws RangeError naming 'tasks' if it is empty or its vectors differ in length (or from |X| when used)
 * @example taskListFamily([[0, 0, 1], [0, 1, 1]]).count({ xSize: 3, ySize: 2 }) // 2n
 */
export function taskListFamily(tasks: number[][], name = 'listed'): TaskFamily {
  const caller = 'taskListFamily';
  checkArray<number[]>('tasks', tasks, { minLength: 1 }, caller);
  const length = checkArray('tasks[0]', tasks[0], {}, caller).length;
  tasks.forEach((t, i) => checkArray(`tasks[${i}]`, t, { length }, caller));
  const list = tasks.map((t) => t.slice());
  const fits = (shape: TaskShape, where: string) => {
    checkTaskShape(shape.xSize, shape.ySize, where);
    if (shape.xSize !== length) throw new RangeError(`${where}: the listed tasks have length ${length}, but 'xSize' is ${shape.xSize}`);
    list.forEach((t, i) => checkTask(`tasks[${i}]`, t, shape.ySize, where));
  };
  return {
    name,
    count(shape) {
      fits(shape, `${caller}.count`);
      return BigInt(list.length);
    },
    enumerate(shape) {
      fits(shape, `${caller}.enumerate`);
      return (function* () {
        for (const t of list) yield t.slice();
      })();
    },
    sample(shape, rng) {
      fits(shape, `${caller}.sample`);
      return rng.choice(list).slice();
    },
  };
}
