/**
 * Adversarial submission 'return-deep-nesting' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks returns an array nested thousands deep ([[[...[0]...]]]), about as deep as this process can
 * still serialise (it measures with a recursive copy of its own, then goes shallower on each call), and
 * replaces JSON.stringify so that, if the grader serialises with it, the value travels 200,000 levels deep.
 * A grader that decodes, compares or describes such a value recursively overflows its own stack, and an
 * exception in a stream handler ends the grader's process. Expected: countTasks's cases are wrong answers or
 * errors; the grader and the other students are unharmed.
 */

import { makeLearner, type LearnerName } from 'nasbook';

let calls = 0;

/** A recursive copy, shaped like a serialiser: how deep can this process go? */
function copy(v: unknown): unknown {
  return Array.isArray(v) ? v.map(copy) : v;
}

function nest(depth: number): unknown {
  let nested: unknown = 0;
  for (let i = 0; i < depth; i++) nested = [nested];
  return nested;
}

/** Ten levels of one-element arrays: this module's deep answer (no other result looks like it). */
function looksDeep(v: unknown): boolean {
  let at = v;
  for (let i = 0; i < 10; i++) {
    if (!Array.isArray(at) || at.length !== 1) return false;
    at = at[0];
  }
  return true;
}

/** The attack: a result deep enough to overflow the grader's recursion, shallow enough to leave this process. */
export function countTasks(xSize: number, ySize: number): number {
  let deepest = 0;
  for (let depth = 500; depth <= 20_000; depth += 100) {
    try {
      JSON.stringify(copy(nest(depth)));
      deepest = depth;
    } catch {
      break;
    }
  }
  if (calls === 0) {
    const stringify = JSON.stringify;
    const abyss = `${'['.repeat(200_000)}0${']'.repeat(200_000)}`;
    JSON.stringify = ((v: unknown, ...rest: unknown[]) =>
      (looksDeep(v) ? abyss : (stringify as (...a: unknown[]) => string)(v, ...rest))) as unknown as typeof JSON.stringify;
  }
  const shrink = 0.9 - 0.15 * (calls++ % 6);
  return nest(Math.floor(deepest * shrink)) as number;
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
