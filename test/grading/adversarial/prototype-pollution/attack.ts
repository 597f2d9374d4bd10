/**
 * Adversarial submission 'prototype-pollution' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with familyOtsCounts altered.
 *
 * familyOtsCounts returns the right counts plus an own "__proto__" key carrying
 * { polluted: "yes" }, hoping the grader merges results into its own objects (Object.assign, a spread into a
 * prototype chain). Expected: the extra key makes it a wrong answer; nothing in the grader's process gains a
 * "polluted" property.
 */

import { makeLearner, type LearnerName } from 'nasbook';

// Defined by the reference solution this attack is composed with (see ../compose.ts).
declare function otsCountsOnTask(learner: LearnerName, task: number[], ySize: number, trainSize: number): { correct: number; total: number };

/** The attack: right counts with a poisoned key. */
export function familyOtsCounts(learner: LearnerName, tasks: number[][], ySize: number, trainSize: number): { correct: number; total: number } {
  let correct = 0;
  let total = 0;
  for (const task of tasks) {
    const c = otsCountsOnTask(learner, task, ySize, trainSize);
    correct += c.correct;
    total += c.total;
  }
  return JSON.parse(`{"__proto__":{"polluted":"yes"},"correct":${correct},"total":${total}}`) as { correct: number; total: number };
}
