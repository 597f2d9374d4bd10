/**
 * Adversarial submission 'forge-signed-lines' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks tries to steal the token that signs the child's result lines by wrapping the
 * global String (the child passes the token through String() for every line), then writes signed lines claiming
 * a pass for its later calls while returning wrong counts. Expected: the token stays secret, so countTasks's
 * cases are wrong answers and any line written is counted as forged; the rest scores in full.
 */

import { makeLearner, type LearnerName } from 'nasbook';

import * as fs from 'fs';
import * as path from 'path';

let stolenToken: string | null = null;
let calls = 0;

/** Wrap the global String to record anything that looks like a 24-byte hex token. */
function spyOnString(): void {
  const original = String;
  (globalThis as unknown as Record<string, unknown>).String = new Proxy(original, {
    apply(target, thisArg, args: unknown[]) {
      const v = args[0];
      if (typeof v === 'string' && /^[0-9a-f]{48}$/.test(v)) stolenToken = v;
      return Reflect.apply(target, thisArg, args);
    },
  });
}

/** The attack: steal the signature, then sign a pass for each later call (the grader lists 18 public cases first). */
export function countTasks(xSize: number, ySize: number): number {
  const index = calls < 4 ? calls : 18 + (calls - 4);
  calls++;
  if (stolenToken === null) spyOnString();
  else fs.writeSync(3, `{"t":${JSON.stringify(stolenToken)},"kind":"result","index":${index},"value":${JSON.stringify(JSON.stringify(ySize ** xSize))}}\n`);
  return ySize ** xSize + 1;
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
