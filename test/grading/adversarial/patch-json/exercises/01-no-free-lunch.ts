/**
 * Adversarial submission 'patch-json' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks returns a wrong count (the right one + 1) and replaces JSON.stringify so that
 * this number is written as the right one, and JSON.parse so that any text parses as a passing result.
 * Expected: the grader reports what was returned: countTasks's cases are wrong answers; the rest scores in full.
 */

import { makeLearner, type LearnerName } from 'nasbook';

/** Wrong answers this module returned, with the right ones. */
const disguises = new Map<number, number>();

/** The attack: a wrong answer that serialises as the right one. */
export function countTasks(xSize: number, ySize: number): number {
  const right = ySize ** xSize;
  disguises.set(right + 1, right);
  const stringify = JSON.stringify;
  JSON.stringify = ((value: unknown, ...rest: unknown[]) =>
    (stringify as (...a: unknown[]) => string)(typeof value === 'number' && disguises.has(value) ? disguises.get(value) : value, ...rest)) as unknown as typeof JSON.stringify;
  JSON.parse = (() => ({ kind: 'result', status: 'pass', value: right })) as unknown as typeof JSON.parse;
  return right + 1;
}

/** 1-NN on the line 0..xSize-1; ties go to the smaller training input; no data -> all 0. */
export function nearestNeighbourPredict(xSize: number, inputs: number[], labels: number[]): number[] {
  const out: number[] = [];
  for (let x = 0; x < xSize; x++) {
    let best = -1;
    for (let i = 0; i < inputs.length; i++) {
      const d = Math.abs(x - inputs[i]);
      const bestD = best < 0 ? Infinity : Math.abs(x - inputs[best]);
      if (d < bestD || (d === bestD && inputs[i] < inputs[best])) best = i;
    }
    out.push(best < 0 ? 0 : labels[best]);
  }
  return out;
}

/** All ascending subsets of {0..n-1} with m elements. */
function subsets(n: number, m: number, from = 0): number[][] {
  if (m === 0) return [[]];
  const out: number[][] = [];
  for (let x = from; x <= n - m; x++) for (const rest of subsets(n, m - 1, x + 1)) out.push([x, ...rest]);
  return out;
}

/** Correct and total predictions at inputs off the training set, over all training sets of size m. */
export function otsCountsOnTask(learner: LearnerName, task: number[], ySize: number, trainSize: number): { correct: number; total: number } {
  const n = task.length;
  const model = makeLearner(learner);
  let correct = 0;
  let total = 0;
  for (const inputs of subsets(n, trainSize)) {
    const h = model.learn({ inputs, labels: inputs.map((x) => task[x]) }, { xSize: n, ySize });
    for (let x = 0; x < n; x++) {
      if (inputs.includes(x)) continue;
      total++;
      if (h[x] === task[x]) correct++;
    }
  }
  return { correct, total };
}

/** otsCountsOnTask summed over a family of tasks. */
export function familyOtsCounts(learner: LearnerName, tasks: number[][], ySize: number, trainSize: number): { correct: number; total: number } {
  let correct = 0;
  let total = 0;
  for (const task of tasks) {
    const c = otsCountsOnTask(learner, task, ySize, trainSize);
    correct += c.correct;
    total += c.total;
  }
  return { correct, total };
}
