/**
 * Adversarial submission 'patch-json' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks returns a wrong count (the right one + 1) and replaces JSON.stringify so that
 * this number is written as the right one, and JSON.parse so that any text parses as a passing result.
 * Expected: the grader reports what was returned: countTasks's cases are wrong answers; the rest scores in full.
 */

import { makeLearner, type LearnerName } from 'nasbook';

/** Wrong answers this module returned, with the right ones. */
const disguises = new Map<number, number>();

/** The attack: a wrong answer that serialises as the right one. */
export function countTasks(xSize: number, ySize: number): number {
  const right = ySize ** xSize;
  disguises.set(right + 1, right);
  const stringify = JSON.stringify;
  JSON.stringify = ((value: unknown, ...rest: unknown[]) =>
    (stringify as (...a: unknown[]) => string)(typeof value === 'number' && disguises.has(value) ? disguises.get(value) : value, ...rest)) as unknown as typeof JSON.stringify;
  JSON.parse = (() => ({ kind: 'result', status: 'pass', value: right })) as unknown as typeof JSON.parse;
  return right + 1;
}
