/**
 * Adversarial submission 'partial' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks and nearestNeighbourPredict altered.
 *
 * A partly correct student: two honest mistakes (|X|^|Y| instead of |Y|^|X|; 1-NN ties go to the larger input).
 * Expected: exactly the points of the cases these two functions still get right (the test computes them by
 * calling this module directly), and the other two functions in full.
 */

import { makeLearner, type LearnerName } from 'nasbook';

/** A classic slip: the exponent and the base swapped. */
export function countTasks(xSize: number, ySize: number): number {
  return xSize ** ySize;
}

/** 1-NN on the line, but a tie goes to the later training input instead of the smaller one. */
export function nearestNeighbourPredict(xSize: number, inputs: number[], labels: number[]): number[] {
  const out: number[] = [];
  for (let x = 0; x < xSize; x++) {
    let best = -1;
    for (let i = 0; i < inputs.length; i++) {
      const d = Math.abs(x - inputs[i]);
      const bestD = best < 0 ? Infinity : Math.abs(x - inputs[best]);
      if (d <= bestD) best = i;
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
