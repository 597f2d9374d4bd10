/**
 * Adversarial submission 'never-settles' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks returns a promise that never settles (and leaves nothing on the event loop).
 * Expected: countTasks's cases time out; the rest scores in full.
 */

import { makeLearner, type LearnerName } from 'nasbook';

/** The attack: a promise nobody will ever resolve. */
export function countTasks(xSize: number, ySize: number): Promise<number> {
  return new Promise<number>(() => undefined);
}
