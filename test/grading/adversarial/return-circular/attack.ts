/**
 * Adversarial submission 'return-circular' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with familyOtsCounts altered.
 *
 * familyOtsCounts returns the right counts inside a circular object.
 * Expected: familyOtsCounts's cases are errors that say "circular"; the rest scores in full.
 */

import { makeLearner, type LearnerName } from 'nasbook';

// Defined by the reference solution this attack is composed with (see ../compose.ts).
declare function otsCountsOnTask(learner: LearnerName, task: number[], ySize: number, trainSize: number): { correct: number; total: number };

/** The attack: a result that refers to itself. */
export function familyOtsCounts(learner: LearnerName, tasks: number[][], ySize: number, trainSize: number): { correct: number; total: number } {
  let correct = 0;
  let total = 0;
  for (const task of tasks) {
    const c = otsCountsOnTask(learner, task, ySize, trainSize);
    correct += c.correct;
    total += c.total;
  }
  const result: { correct: number; total: number; self?: unknown } = { correct, total };
  result.self = result;
  return result;
}
