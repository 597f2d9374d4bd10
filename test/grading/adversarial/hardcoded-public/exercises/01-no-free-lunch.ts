/**
 * Adversarial submission 'hardcoded-public' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with familyOtsCounts altered.
 *
 * familyOtsCounts looks its answer up in a table of the public cases' inputs (copied from the
 * notebook) and answers { correct: 0, total: 0 } otherwise. Expected: the public familyOtsCounts cases pass
 * (they were answered right) and the hidden ones fail: exactly the public points, computed by the test.
 */

import { makeLearner, type LearnerName } from 'nasbook';

import { enumerateTasks } from 'nasbook';

/** |Y|^|X|: each input chooses its label independently. */
export function countTasks(xSize: number, ySize: number): number {
  return ySize ** xSize;
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

/** Every public input, by its JSON text, with its published answer. */
const PUBLISHED: Record<string, { correct: number; total: number }> = {};
function publish(args: unknown[], correct: number, total: number): void {
  PUBLISHED[JSON.stringify(args)] = { correct, total };
}
const all = (n: number, k: number): number[][] => [...enumerateTasks(n, k)];
const SMOOTH = [[0, 0, 0, 0], [1, 1, 1, 1], [0, 1, 1, 1], [1, 0, 0, 0], [0, 0, 1, 1], [1, 1, 0, 0], [0, 0, 0, 1], [1, 1, 1, 0]];
publish(['nearest', all(3, 2), 2, 1], 24, 48);
publish(['majority', all(4, 2), 2, 2], 96, 192);
publish(['lookup', all(2, 3), 3, 1], 6, 18);
publish(['nearest', SMOOTH, 2, 2], 68, 96);
publish(['majority', SMOOTH, 2, 2], 56, 96);

/** The attack: no computation, only the published answers. */
export function familyOtsCounts(learner: LearnerName, tasks: number[][], ySize: number, trainSize: number): { correct: number; total: number } {
  return PUBLISHED[JSON.stringify([learner, tasks, ySize, trainSize])] ?? { correct: 0, total: 0 };
}
