/**
 * Adversarial submission 'kill-parent' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks sends SIGKILL to its parent, the grader.
 * Expected: the grader lives (the child has no process.kill); countTasks's cases are errors that name it.
 */

import { makeLearner, type LearnerName } from 'nasbook';

/** The attack: kill the grader, then answer. */
export function countTasks(xSize: number, ySize: number): number {
  process.kill(process.ppid, 'SIGKILL');
  return ySize ** xSize;
}
