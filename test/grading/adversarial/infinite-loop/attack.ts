/**
 * Adversarial submission 'infinite-loop' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks never returns: a synchronous infinite loop.
 * Expected: countTasks's cases time out (only a clock outside this process can stop it); the rest scores in full.
 */

import { makeLearner, type LearnerName } from 'nasbook';

/** The attack: spin forever. */
export function countTasks(xSize: number, ySize: number): number {
  let spins = xSize + ySize;
  for (;;) spins++;
}
