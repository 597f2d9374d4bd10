/**
 * Adversarial submission 'patch-math' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks returns a wrong count (the right one + 0.5) and bends Math.abs, Math.max, Object.is and
 * Number.isNaN so that a comparison run in this process would call it equal. Harmless by design: the grader
 * compares in its own process. Expected: countTasks's cases are wrong answers; the rest scores in full.
 */

import { makeLearner, type LearnerName } from 'nasbook';

/** The attack: a wrong answer, and the comparison tools bent to accept it. */
export function countTasks(xSize: number, ySize: number): number {
  const right = ySize ** xSize;
  const wrong = right + 0.5;
  const { abs, max } = Math;
  const is = Object.is;
  Math.abs = (x: number) => (x === 0.5 || x === -0.5 ? 0 : abs(x));
  Math.max = (...xs: number[]) => (xs.includes(wrong) ? right : max(...xs));
  Object.is = (a: unknown, b: unknown) => a === wrong || b === wrong || is(a, b);
  Number.isNaN = (x: unknown) => typeof x === 'number' && x !== x && x !== wrong;
  return wrong;
}
