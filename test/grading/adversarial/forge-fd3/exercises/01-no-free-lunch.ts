/**
 * Adversarial submission 'forge-fd3' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks returns a wrong count and writes result lines to file descriptor 3 in the child's
 * format, claiming the right answer for every index: without the job's token, with a guessed token, with a
 * non-string token, and a half line that runs into the grader's own next line. Expected: none is accepted:
 * countTasks's cases are wrong answers (or lost results), the lines are counted as forged and the student is
 * flagged for tampering; the rest scores in full.
 */

import { makeLearner, type LearnerName } from 'nasbook';

import * as fs from 'fs';
import * as path from 'path';

/** The attack: claim a pass for every call on the result channel. */
export function countTasks(xSize: number, ySize: number): number {
  const right = JSON.stringify(String(ySize ** xSize));
  const lines: string[] = [];
  for (let index = 0; index < 40; index++) {
    lines.push(`{"kind":"result","index":${index},"value":${right}}`);
    lines.push(`{"t":"${'0'.repeat(48)}","kind":"result","index":${index},"value":${right}}`);
    lines.push(`{"t":true,"kind":"result","index":${index},"value":${right}}`);
    lines.push(`{"__proto__":{"t":"x"},"kind":"result","index":${index},"value":${right}}`);
  }
  lines.push('{"kind":"done"}');
  fs.writeSync(3, `${lines.join('\n')}\n`);
  fs.writeSync(3, '{"t":'); // a half line: the grader's next line (this call's result) is spoiled with it
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
