/**
 * Adversarial submission 'import-blocked-toplevel' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * The module imports child_process at the top, as a student pasting a snippet might, and
 * countTasks uses it. Expected: the module does not load, so every case of the file scores 0, each naming the
 * refused import ("not allowed"). A file that cannot load costs the whole file, by design.
 */

import { makeLearner, type LearnerName } from 'nasbook';

import * as childProcess from 'child_process';

/** Uses the top-level import (so the compiler keeps it). */
export function countTasks(xSize: number, ySize: number): number {
  return typeof childProcess.execSync === 'function' ? ySize ** xSize : 0;
}
