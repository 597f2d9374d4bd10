/**
 * Adversarial submission 'library-answer' (graded by test/grading/adversarial.test.ts): the
 * reference solution of chapter 01 with countTasks altered (issue 17, class 10).
 *
 * The student edition ships the library, and the library has its own countTasks: this countTasks is
 * one line that calls it, under another name, and nothing else. Expected: countTasks's cases are
 * errors that say the answer came from the library's implementation; the student carries the
 * 'library' flag; every other function scores in full.
 */

import { makeLearner, countTasks as libraryCountTasks, type LearnerName } from 'nasbook';

/** The attack: let the library answer. */
export function countTasks(xSize: number, ySize: number): number {
  return libraryCountTasks(xSize, ySize);
}
