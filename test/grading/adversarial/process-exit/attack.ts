/**
 * Adversarial submission 'process-exit' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks calls process.exit(0): the process ends with a success code mid-run.
 * Expected: countTasks's cases crash ("exit code 0"); the calls after each exit run in a fresh process and score in full.
 */

import { makeLearner, type LearnerName } from 'nasbook';

/** The attack: leave, claiming success. */
export function countTasks(xSize: number, ySize: number): number {
  process.exit(0);
}
