/**
 * Adversarial submission 'return-exotic' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with familyOtsCounts altered.
 *
 * familyOtsCounts returns values JSON cannot carry or that fight being read, one kind per call:
 * counts as BigInts, a function, undefined, an object whose getters throw, a Proxy that throws on every trap, a
 * Symbol, a promise that rejects with a Symbol, a thenable that calls back twice with different values.
 * Expected: familyOtsCounts's cases are wrong answers or errors; the rest scores in full.
 */

import { makeLearner, type LearnerName } from 'nasbook';

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

let calls = 0;

/** The attack: results that are not plain data. */
export function familyOtsCounts(learner: LearnerName, tasks: number[][], ySize: number, trainSize: number): unknown {
  const kind = calls++ % 8;
  const hostile = () => {
    throw new Error('gotcha');
  };
  if (kind === 0) return { correct: BigInt(tasks.length), total: BigInt(tasks.length) };
  if (kind === 1) return () => ({ correct: 0, total: 0 });
  if (kind === 2) return undefined;
  if (kind === 3) return { get correct(): number { return hostile(); }, total: 0 };
  if (kind === 4) return new Proxy({}, { get: hostile, ownKeys: hostile, getOwnPropertyDescriptor: hostile, getPrototypeOf: hostile, has: hostile });
  if (kind === 5) return Symbol('result');
  if (kind === 6) return Promise.reject(Symbol('rejected'));
  return { then(resolve: (v: unknown) => void) { resolve({ correct: -1, total: -1 }); resolve({ correct: 0, total: 0 }); } };
}
