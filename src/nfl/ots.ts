/**
 * Off-training-set (OTS) accuracy. A learner is given the labels of a training input set S ⊂ X
 * (|S| = m) under a task f and must predict f(x*) at an input x* ∉ S. Its OTS accuracy on a task
 * family is the share of correct predictions over all tasks f of the family, all training sets S
 * and all x* ∉ S (each combination equally weighted).
 *
 * Over the uniform family this is exactly 1/|Y| for every learner. The reason fits in a line:
 * the learner's answer at x* depends only on f restricted to S, while f(x*) runs over every
 * label equally often among the tasks that agree with f on S, so exactly one task in |Y| makes
 * the answer right. `exactOts` counts this out; `monteCarloOts` estimates it where counting is
 * out of reach.
 */
import { checkArray, checkInt, checkNumber, checkString, describe } from '../core/checks';
import { Fraction, fraction } from '../core/fraction';
import { studentTQuantile } from '../core/distributions';
import { ProportionInterval, wilsonInterval } from '../core/proportion';
import { checkRng, createRng, Rng } from '../core/rng';
import { TaskFamily, uniformTasks } from './families';
import { Learner, TrainingSet } from './learners';
import { checkTask, checkTaskShape, countTrainingSets, enumerateTrainingSets, MAX_ENUMERATION, TaskShape } from './tasks';

/** The sizes of an OTS experiment: |X|, |Y| and the training set size m. */
export interface OtsSetting extends TaskShape {
  /** m = |S|, an integer in [0, |X| - 1] (at least one input stays off the training set). */
  trainSize: number;
}

/** OTS counts for one task: over all training sets S and all x* ∉ S. */
export interface OtsTaskResult {
  task: number[];
  correct: number;
  /** C(n, m) · (n - m): the same for every task. */
  total: number;
  /** correct / total. */
  accuracy: number;
}

/** Exact OTS counts of a learner over a whole task family. */
export interface ExactOtsResult {
  learner: string;
  family: string;
  setting: OtsSetting;
  /** Number of tasks averaged over. */
  taskCount: number;
  /** Correct predictions, summed over tasks, training sets and off-training inputs. */
  correct: bigint;
  /** Predictions made: taskCount · C(n, m) · (n - m). */
  total: bigint;
  /** correct / total, exactly. */
  accuracy: Fraction;
  /** One entry per task, in the family's order. */
  perTask: OtsTaskResult[];
}

/** Options of exactOts. */
export interface ExactOtsOptions {
  /** Which tasks to average over (default: uniformTasks(), all of them). */
  family?: TaskFamily;
  /**
   * Reuse the hypothesis for a training set seen before (default true). Exact because learners
   * are deterministic; set false to call the learner for every (task, S) pair.
   */
  memoize?: boolean;
}

/** Checks an OTS setting; the training size must leave at least one input off the training set. */
export function checkOtsSetting(setting: unknown, caller: string): OtsSetting {
  if (typeof setting !== 'object' || setting === null) {
    throw new TypeError(`${caller}: 'setting' must be an object { xSize, ySize, trainSize }, got ${describe(setting)}`);
  }
  const s = setting as Partial<OtsSetting>;
  checkTaskShape(s.xSize, s.ySize, caller);
  checkInt('xSize', s.xSize, { min: 1 }, caller);
  checkInt('trainSize', s.trainSize, { min: 0, max: (s.xSize as number) - 1 }, caller);
  return { xSize: s.xSize as number, ySize: s.ySize as number, trainSize: s.trainSize as number };
}

function checkLearner(learner: unknown, caller: string): Learner {
  if (typeof learner !== 'object' || learner === null || typeof (learner as Learner).learn !== 'function') {
    throw new TypeError(`${caller}: 'learner' must be a Learner (an object with learn(train, shape)), got ${describe(learner)}`);
  }
  checkString('learner.name', (learner as Learner).name, caller);
  return learner as Learner;
}

/** Calls the learner and checks that what comes back is a hypothesis on this shape. */
function hypothesis(learner: Learner, train: TrainingSet, shape: TaskShape, caller: string): number[] {
  const h = learner.learn(train, shape);
  checkArray(`hypothesis of ${learner.name}`, h, { length: shape.xSize }, caller);
  return checkTask(`hypothesis of ${learner.name}`, h, shape.ySize, caller);
}

/** A hypothesis per training set, cached by (S, labels on S) when memoising. */
function hypothesisSource(learner: Learner, shape: TaskShape, memoize: boolean, caller: string) {
  const cache = new Map<string, number[]>();
  return (inputs: number[], labels: number[]): number[] => {
    if (!memoize) return hypothesis(learner, { inputs, labels }, shape, caller);
    const key = `${inputs.join(',')}|${labels.join(',')}`;
    let h = cache.get(key);
    if (h === undefined) {
      h = hypothesis(learner, { inputs, labels }, shape, caller);
      cache.set(key, h);
    }
    return h;
  };
}

/** Training sets with, for each, a mask of the inputs it leaves out. */
function trainingSetsWithMasks(xSize: number, trainSize: number) {
  return [...enumerateTrainingSets(xSize, trainSize)].map((inputs) => {
    const off = new Array<boolean>(xSize).fill(true);
    for (const x of inputs) off[x] = false;
    return { inputs, off };
  });
}

/** Counts correct OTS predictions on one task over every training set. */
function countOnTask(task: number[], sets: ReturnType<typeof trainingSetsWithMasks>, predict: ReturnType<typeof hypothesisSource>): number {
  let correct = 0;
  for (const { inputs, off } of sets) {
    const h = predict(inputs, inputs.map((x) => task[x]));
    for (let x = 0; x < task.length; x++) if (off[x] && h[x] === task[x]) correct++;
  }
  return correct;
}

/**
 * OTS counts of a learner on one task: over every training set S of size m (labelled by the
 * task) and every x* ∉ S. Learners win on some tasks and lose on others.
 * @param learner any Learner (makeLearner('nearest'), ...)
 * @param task the label vector of f; its length is |X|
 * @param ySize |Y|, an integer >= 1, greater than every label in the task
 * @param trainSize m, an integer in [0, |X| - 1]
 * @throws RangeError/TypeError naming the argument if the task, sizes or learner are invalid
 * @example otsOnTask(makeLearner('majority'), [0, 0, 1], 2, 1) // { task: [0,0,1], correct: 2, total: 6, accuracy: 0.333... }
 */
export function otsOnTask(learner: Learner, task: number[], ySize: number, trainSize: number): OtsTaskResult {
  const caller = 'otsOnTask';
  checkLearner(learner, caller);
  checkInt('ySize', ySize, { min: 1 }, caller);
  checkArray('task', task, { minLength: 1 }, caller);
  checkTask('task', task, ySize, caller);
  const setting = checkOtsSetting({ xSize: task.length, ySize, trainSize }, caller);
  const sets = trainingSetsWithMasks(setting.xSize, setting.trainSize);
  const correct = countOnTask(task, sets, hypothesisSource(learner, setting, true, caller));
  const total = sets.length * (setting.xSize - setting.trainSize);
  return { task: task.slice(), correct, total, accuracy: correct / total };
}

/**
 * Exact OTS accuracy of a learner, by enumeration: every task of the family, every training set S
 * of size m and every x* ∉ S. Counts are integers (bigint), the accuracy an exact fraction; over
 * the uniform family it equals 1/|Y| for every deterministic learner.
 * @param learner any Learner
 * @param setting { xSize, ySize, trainSize } with trainSize <= xSize - 1
 * @param options family (default uniformTasks()) and memoize (default true)
 * @throws RangeError/TypeError naming the argument if the setting is invalid, the learner returns a
 *   malformed hypothesis, or the enumeration exceeds MAX_ENUMERATION (task, S) pairs
 * @example exactOts(makeLearner('lookup'), { xSize: 4, ySize: 2, trainSize: 2 }).accuracy.toString() // "1/2"
 */
export function exactOts(learner: Learner, setting: OtsSetting, options: ExactOtsOptions = {}): ExactOtsResult {
  const caller = 'exactOts';
  checkLearner(learner, caller);
  const s = checkOtsSetting(setting, caller);
  const family = options.family ?? uniformTasks();
  const taskCount = family.count(s);
  const setCount = countTrainingSets(s.xSize, s.trainSize);
  if (taskCount * BigInt(setCount) > BigInt(MAX_ENUMERATION)) {
    throw new RangeError(
      `${caller}: ${taskCount} tasks x ${setCount} training sets is more than ${MAX_ENUMERATION} pairs to enumerate; use monteCarloOts`,
    );
  }
  const sets = trainingSetsWithMasks(s.xSize, s.trainSize);
  const predict = hypothesisSource(learner, s, options.memoize ?? true, caller);
  const perTaskTotal = setCount * (s.xSize - s.trainSize);
  const perTask: OtsTaskResult[] = [];
  let correct = 0n;
  for (const task of family.enumerate(s)) {
    const c = countOnTask(task, sets, predict);
    perTask.push({ task, correct: c, total: perTaskTotal, accuracy: c / perTaskTotal });
    correct += BigInt(c);
  }
  const total = BigInt(perTask.length) * BigInt(perTaskTotal);
  return {
    learner: learner.name,
    family: family.name,
    setting: s,
    taskCount: perTask.length,
    correct,
    total,
    accuracy: fraction(correct, total),
    perTask,
  };
}

/** Options of monteCarloOts. */
export interface MonteCarloOtsOptions {
  /** Independent draws of (task, S, x*), an integer >= 1. */
  trials: number;
  /** The random stream; the same seed gives the same estimate. */
  rng: Rng;
  /** Which tasks to draw from (default uniformTasks()). */
  family?: TaskFamily;
  /** Confidence level of the Wilson interval (default 0.95). */
  level?: number;
}

/** A Monte Carlo estimate of OTS accuracy with its Wilson interval. */
export interface MonteCarloOtsResult extends ProportionInterval {
  learner: string;
  family: string;
  setting: OtsSetting;
}

/**
 * Monte Carlo OTS accuracy for spaces too large to enumerate. Each trial draws a task uniformly
 * from the family, a training set S uniformly among the m-subsets, and x* uniformly off S, then
 * records whether the learner's hypothesis is right at x*. Trials are independent Bernoulli draws
 * whose mean is the exact OTS accuracy, so the Wilson interval applies.
 * @param learner any Learner
 * @param setting { xSize, ySize, trainSize } with trainSize <= xSize - 1
 * @param options trials, rng, family (default uniform), level (default 0.95)
 * @throws RangeError/TypeError naming the argument if the setting or options are invalid
 * @example monteCarloOts(makeLearner('nearest'), { xSize: 30, ySize: 3, trainSize: 10 }, { trials: 2000, rng: createRng(0) }) // estimate near 1/3
 */
export function monteCarloOts(learner: Learner, setting: OtsSetting, options: MonteCarloOtsOptions): MonteCarloOtsResult {
  const caller = 'monteCarloOts';
  checkLearner(learner, caller);
  const s = checkOtsSetting(setting, caller);
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${caller}: 'options' must be an object { trials, rng }, got ${describe(options)}`);
  }
  const trials = checkInt('trials', options.trials, { min: 1 }, caller);
  const rng = checkRng('rng', options.rng, caller);
  const level = checkNumber('level', options.level ?? 0.95, { min: 0, max: 1, exclusiveMin: true, exclusiveMax: true }, caller);
  const family = options.family ?? uniformTasks();
  const all = Array.from({ length: s.xSize }, (_, x) => x);
  let successes = 0;
  for (let t = 0; t < trials; t++) {
    const task = family.sample(s, rng);
    const inputs = rng.sample(all, s.trainSize).sort((a, b) => a - b);
    const inS = new Set(inputs);
    const xStar = rng.choice(all.filter((x) => !inS.has(x)));
    const h = hypothesis(learner, { inputs, labels: inputs.map((x) => task[x]) }, s, caller);
    if (h[xStar] === task[xStar]) successes++;
  }
  return { learner: learner.name, family: family.name, setting: s, ...wilsonInterval(successes, trials, level) };
}

/** One learner's Monte Carlo results over several seeds. */
export interface SeededOtsSummary extends ProportionInterval {
  learner: string;
  family: string;
  setting: OtsSetting;
  /** The seeds used, in order. */
  seeds: number[];
  /** The estimate of each seed's run (trials each), to show the spread between seeds. */
  perSeed: number[];
  /** Mean of perSeed and its Student-t interval at the same level: the interval over seeds. */
  seedMean: number;
  seedLower: number;
  seedUpper: number;
}

/** Mean and Student-t interval of a few numbers (at least two). */
function tInterval(xs: readonly number[], level: number): { mean: number; lower: number; upper: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  const half = studentTQuantile(0.5 + level / 2, n - 1) * Math.sqrt(variance / n);
  return { mean, lower: mean - half, upper: mean + half };
}

/**
 * Runs monteCarloOts for each learner once per seed. Two intervals come back: Wilson's over all
 * seeds' trials pooled (they are independent draws), and a Student-t interval over the per-seed
 * estimates (seedMean, seedLower, seedUpper), which is what error bars "over seeds" show. With
 * equal trials per seed the two centres coincide and the widths agree closely.
 * @param learners the learners to compare
 * @param setting { xSize, ySize, trainSize }
 * @param options trials per seed, seeds, family (default uniform), level (default 0.95). Seed s
 *   runs on createRng(s), so for a given seed every learner is scored on the same tasks, training
 *   sets and test inputs (a paired comparison).
 * @throws RangeError/TypeError naming the argument if an option is invalid
 * @example compareLearnersOts([makeLearner('nearest')], { xSize: 30, ySize: 3, trainSize: 10 }, { trials: 500, seeds: [0, 1, 2], family: smoothTasks(2) })
 */
export function compareLearnersOts(
  learners: Learner[],
  setting: OtsSetting,
  options: { trials: number; seeds: number[]; family?: TaskFamily; level?: number },
): SeededOtsSummary[] {
  const caller = 'compareLearnersOts';
  checkArray('learners', learners, { minLength: 1 }, caller);
  // Two seeds at least: an interval over seeds needs a spread.
  const seeds = checkArray<number>('seeds', options.seeds, { minLength: 2 }, caller);
  const level = options.level ?? 0.95;
  seeds.forEach((seed, i) => checkInt(`seeds[${i}]`, seed, {}, caller));
  const family = options.family ?? uniformTasks();
  return learners.map((learner) => {
    const runs = seeds.map((seed) => monteCarloOts(learner, setting, { trials: options.trials, rng: createRng(seed), family, level }));
    const successes = runs.reduce((a, r) => a + r.successes, 0);
    const trials = runs.reduce((a, r) => a + r.trials, 0);
    const perSeed = runs.map((r) => r.estimate);
    const overSeeds = tInterval(perSeed, level);
    return {
      learner: learner.name,
      family: family.name,
      setting: runs[0].setting,
      seeds: seeds.slice(),
      perSeed,
      seedMean: overSeeds.mean,
      seedLower: overSeeds.lower,
      seedUpper: overSeeds.upper,
      ...wilsonInterval(successes, trials, level),
    };
  });
}

/** One row of an exact OTS table: JSON-safe, ready for showTable (a type alias, so it fits Record<string, unknown>). */
export type ExactOtsRow = {
  learner: string;
  family: string;
  tasks: number;
  /** Counts as numbers while they are safe integers, as decimal strings beyond. */
  correct: number | string;
  total: number | string;
  /** The exact accuracy as a fraction string, "1/2". */
  accuracy: string;
  /** The same accuracy as a double. */
  decimal: number;
};

function safeCount(x: bigint): number | string {
  return x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x.toString();
}

/**
 * An exact result as a plain table row (the fraction as "p/q", counts as numbers when safe).
 * @param result what exactOts returned
 * @example exactOtsRow(exactOts(makeLearner('nearest'), { xSize: 4, ySize: 2, trainSize: 2 })) // { learner: 'nearest', ..., accuracy: '1/2', decimal: 0.5 }
 */
export function exactOtsRow(result: ExactOtsResult): ExactOtsRow {
  return {
    learner: result.learner,
    family: result.family,
    tasks: result.taskCount,
    correct: safeCount(result.correct),
    total: safeCount(result.total),
    accuracy: result.accuracy.toString(),
    decimal: result.accuracy.toNumber(),
  };
}

/** How two learners compare task by task. */
export interface HeadToHead {
  /** Learner names, a first. */
  learners: [string, string];
  /** Tasks where a is right more often than b, less often, and equally often. */
  wins: number;
  losses: number;
  ties: number;
  /** Sum over tasks of (a's correct - b's correct): 0 whenever both averages are equal. */
  netCorrect: number;
}

/**
 * Compares two exact results on the same tasks: on how many tasks the first learner beats the
 * second, loses, or ties, and the net difference in correct predictions.
 * @param a an exactOts result
 * @param b an exactOts result over the same family and setting
 * @throws RangeError if the two results do not cover the same tasks in the same order
 * @example headToHead(exactOts(makeLearner('nearest'), s), exactOts(makeLearner('majority'), s)) // with s = { xSize: 4, ySize: 2, trainSize: 2 }: { wins: 6, losses: 8, ties: 2, netCorrect: 0, ... }
 */
export function headToHead(a: ExactOtsResult, b: ExactOtsResult): HeadToHead {
  const caller = 'headToHead';
  const same =
    a.perTask.length === b.perTask.length &&
    a.perTask.every((t, i) => t.total === b.perTask[i].total && t.task.join(',') === b.perTask[i].task.join(','));
  if (!same) throw new RangeError(`${caller}: 'a' and 'b' must cover the same tasks with the same setting`);
  let wins = 0;
  let losses = 0;
  let netCorrect = 0;
  a.perTask.forEach((t, i) => {
    const d = t.correct - b.perTask[i].correct;
    if (d > 0) wins++;
    if (d < 0) losses++;
    netCorrect += d;
  });
  return { learners: [a.learner, b.learner], wins, losses, ties: a.perTask.length - wins - losses, netCorrect };
}
