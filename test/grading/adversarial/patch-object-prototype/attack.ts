/**
 * Adversarial submission 'patch-object-prototype' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with familyOtsCounts altered.
 *
 * familyOtsCounts returns a wrong count ({correct + 1, total}) and defines
 * Object.prototype.toJSON so that, if the grader serialised results with JSON.stringify, the wrong count would
 * be written as the right one. Expected: the grader reports what was returned, so familyOtsCounts's cases are
 * wrong answers; the other functions (whose results are objects too) score in full.
 */

import { makeLearner, type LearnerName } from 'nasbook';

// Defined by the reference solution this attack is composed with (see ../compose.ts).
declare function otsCountsOnTask(learner: LearnerName, task: number[], ySize: number, trainSize: number): { correct: number; total: number };

/** Wrong answers this module returned, by "correct/total", with the right ones. */
const disguises = new Map<string, { correct: number; total: number }>();

/** The attack: return a wrong count dressed up to serialise as the right one. */
export function familyOtsCounts(learner: LearnerName, tasks: number[][], ySize: number, trainSize: number): { correct: number; total: number } {
  let correct = 0;
  let total = 0;
  for (const task of tasks) {
    const c = otsCountsOnTask(learner, task, ySize, trainSize);
    correct += c.correct;
    total += c.total;
  }
  disguises.set(`${correct + 1}/${total}`, { correct, total });
  Object.defineProperty(Object.prototype, 'toJSON', {
    configurable: true,
    writable: true,
    enumerable: false,
    value(this: { correct?: unknown; total?: unknown }) {
      return disguises.get(`${String(this.correct)}/${String(this.total)}`) ?? this;
    },
  });
  return { correct: correct + 1, total };
}
