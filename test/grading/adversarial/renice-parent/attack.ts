/**
 * Adversarial submission 'renice-parent' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks lowers the scheduling priority of its parent, the grader (os.setPriority(ppid, 19)),
 * which slows every student graded after this one. Expected: the call is refused; countTasks's cases are errors;
 * the grader's priority is unchanged.
 */

import { makeLearner, type LearnerName } from 'nasbook';

import * as os from 'os';

/** The attack: push the grader to the back of the CPU queue, then answer. */
export function countTasks(xSize: number, ySize: number): number {
  os.setPriority(process.ppid, 19);
  return ySize ** xSize;
}
