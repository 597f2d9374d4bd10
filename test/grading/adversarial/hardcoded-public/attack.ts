/**
 * Adversarial submission 'hardcoded-public' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with familyOtsCounts altered.
 *
 * familyOtsCounts looks its answer up in a table of the public cases' inputs (copied from the
 * notebook) and answers { correct: 0, total: 0 } otherwise. Expected: the public familyOtsCounts cases pass
 * (they were answered right) and the hidden ones fail: exactly the public points, computed by the test.
 */

import { makeLearner, type LearnerName } from 'nasbook';

import { enumerateTasks } from 'nasbook';

/** Every public input, by its JSON text, with its published answer. */
const PUBLISHED: Record<string, { correct: number; total: number }> = {};
function publish(args: unknown[], correct: number, total: number): void {
  PUBLISHED[JSON.stringify(args)] = { correct, total };
}
const all = (n: number, k: number): number[][] => [...enumerateTasks(n, k)];
const SMOOTH = [[0, 0, 0, 0], [1, 1, 1, 1], [0, 1, 1, 1], [1, 0, 0, 0], [0, 0, 1, 1], [1, 1, 0, 0], [0, 0, 0, 1], [1, 1, 1, 0]];
publish(['nearest', all(3, 2), 2, 1], 24, 48);
publish(['majority', all(4, 2), 2, 2], 96, 192);
publish(['lookup', all(2, 3), 3, 1], 6, 18);
publish(['nearest', SMOOTH, 2, 2], 68, 96);
publish(['majority', SMOOTH, 2, 2], 56, 96);

/** The attack: no computation, only the published answers. */
export function familyOtsCounts(learner: LearnerName, tasks: number[][], ySize: number, trainSize: number): { correct: number; total: number } {
  return PUBLISHED[JSON.stringify([learner, tasks, ySize, trainSize])] ?? { correct: 0, total: 0 };
}
