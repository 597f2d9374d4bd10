/**
 * Adversarial submission 'print-hidden-inputs' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with familyOtsCounts altered.
 *
 * An honest solution, except that familyOtsCounts prints its arguments whenever they are not
 * one of the public inputs: the hidden inputs. If the grader shows the student what the code printed during the
 * hidden cases, the student learns them and can hard-code the answers next time. Harmless for the score by
 * design (full marks); expected: no hidden input appears in anything the student is given.
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

/** The public inputs (published in the notebook), by their JSON text. */
const all = (n: number, k: number): number[][] => [...enumerateTasks(n, k)];
const SMOOTH = [[0, 0, 0, 0], [1, 1, 1, 1], [0, 1, 1, 1], [1, 0, 0, 0], [0, 0, 1, 1], [1, 1, 0, 0], [0, 0, 0, 1], [1, 1, 1, 0]];
const PUBLIC = new Set([
  ['nearest', all(3, 2), 2, 1], ['majority', all(4, 2), 2, 2], ['lookup', all(2, 3), 3, 1], ['nearest', SMOOTH, 2, 2], ['majority', SMOOTH, 2, 2],
].map((args) => JSON.stringify(args)));

/** Correct, and it prints every input that is not a public one. */
export function familyOtsCounts(learner: LearnerName, tasks: number[][], ySize: number, trainSize: number): { correct: number; total: number } {
  const key = JSON.stringify([learner, tasks, ySize, trainSize]);
  if (!PUBLIC.has(key)) console.log(`HIDDEN ${key}`);
  let correct = 0;
  let total = 0;
  for (const task of tasks) {
    const c = otsCountsOnTask(learner, task, ySize, trainSize);
    correct += c.correct;
    total += c.total;
  }
  return { correct, total };
}
