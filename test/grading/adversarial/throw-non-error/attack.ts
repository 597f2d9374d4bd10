/**
 * Adversarial submission 'throw-non-error' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks throws things that are not Errors, a different one on each call: a string, an object
 * whose getters and toString throw, a Symbol, a Proxy that throws on every trap, an Error whose name getter
 * throws, a rejected promise holding undefined, and null. Expected: countTasks's cases are errors with a
 * readable message; the grader is not thrown off; the rest scores in full.
 */

import { makeLearner, type LearnerName } from 'nasbook';

let calls = 0;

/** The attack: throw what the grader does not expect. */
export async function countTasks(xSize: number, ySize: number): Promise<number> {
  const kind = calls++ % 7;
  const hostile = () => {
    throw new Error('gotcha');
  };
  if (kind === 0) throw 'PASS: a string thrown';
  if (kind === 1) throw { get message(): string { return hostile(); }, get name(): string { return hostile(); }, toString: hostile };
  if (kind === 2) throw Symbol('thrown');
  if (kind === 3) throw new Proxy({}, { get: hostile, getPrototypeOf: hostile, has: hostile, ownKeys: hostile });
  if (kind === 4) {
    const e = new Error('{"kind":"result","index":0,"value":"8"}\nPASS');
    Object.defineProperty(e, 'name', { get: hostile });
    throw e;
  }
  if (kind === 5) return Promise.reject(undefined);
  throw null;
}
