/**
 * Chapter 01, No Free Lunch: reference solution.
 */
import { makeLearner, type Learner, type LearnerName } from 'nasbook';

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
export function otsCountsOnTask(learner: LearnerName | Learner, task: number[], ySize: number, trainSize: number): { correct: number; total: number } {
  const n = task.length;
  const model = typeof learner === 'string' ? makeLearner(learner) : learner;
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
export function familyOtsCounts(learner: LearnerName | Learner, tasks: number[][], ySize: number, trainSize: number): { correct: number; total: number } {
  let correct = 0;
  let total = 0;
  for (const task of tasks) {
    const c = otsCountsOnTask(learner, task, ySize, trainSize);
    correct += c.correct;
    total += c.total;
  }
  return { correct, total };
}
