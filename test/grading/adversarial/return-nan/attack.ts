/**
 * Adversarial submission 'return-nan' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks returns NaN. Expected: countTasks's cases are wrong answers that say "NaN"; the rest scores in full.
 */

import { makeLearner, type LearnerName } from 'nasbook';

/** The attack: no silent NaN. */
export function countTasks(xSize: number, ySize: number): number {
  return NaN;
}
