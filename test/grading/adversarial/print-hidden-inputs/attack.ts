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

// Defined by the reference solution this attack is composed with (see ../compose.ts).
declare function otsCountsOnTask(learner: LearnerName, task: number[], ySize: number, trainSize: number): { correct: number; total: number };

import { enumerateTasks } from 'nasbook';

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
