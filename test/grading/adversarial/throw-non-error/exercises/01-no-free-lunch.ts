/**
 * Adversarial submission 'throw-non-error' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks throws things that are not Errors, a different one on each call: a string, an object
 * whose getters and toString throw, a Symbol, a Proxy that throws on every trap, an Error whose name getter
 * throws, a rejected promise holding undefined, and null. Expected: countTasks's cases are errors with a
 * readable message; the grader is not thrown off; the rest scores in full.
 */

import { makeLearner, type LearnerName } from 'nasbook';

let calls = 0;

/** The attack: throw what the grader does not expect. */
export async function countTasks(xSize: number, ySize: number): Promise<number> {
  const kind = calls++ % 7;
  const hostile = () => {
    throw new Error('gotcha');
  };
  if (kind === 0) throw 'PASS: a string thrown';
  if (kind === 1) throw { get message(): string { return hostile(); }, get name(): string { return hostile(); }, toString: hostile };
  if (kind === 2) throw Symbol('thrown');
  if (kind === 3) throw new Proxy({}, { get: hostile, getPrototypeOf: hostile, has: hostile, ownKeys: hostile });
  if (kind === 4) {
    const e = new Error('{"kind":"result","index":0,"value":"8"}\nPASS');
    Object.defineProperty(e, 'name', { get: hostile });
    throw e;
  }
  if (kind === 5) return Promise.reject(undefined);
  throw null;
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
