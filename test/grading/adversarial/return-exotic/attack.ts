/**
 * Adversarial submission 'return-exotic' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with familyOtsCounts altered.
 *
 * familyOtsCounts returns values JSON cannot carry or that fight being read, one kind per call:
 * counts as BigInts, a function, undefined, an object whose getters throw, a Proxy that throws on every trap, a
 * Symbol, a promise that rejects with a Symbol, a thenable that calls back twice with different values.
 * Expected: familyOtsCounts's cases are wrong answers or errors; the rest scores in full.
 */

import { makeLearner, type LearnerName } from 'nasbook';

let calls = 0;

/** The attack: results that are not plain data. */
export function familyOtsCounts(learner: LearnerName, tasks: number[][], ySize: number, trainSize: number): unknown {
  const kind = calls++ % 8;
  const hostile = () => {
    throw new Error('gotcha');
  };
  if (kind === 0) return { correct: BigInt(tasks.length), total: BigInt(tasks.length) };
  if (kind === 1) return () => ({ correct: 0, total: 0 });
  if (kind === 2) return undefined;
  if (kind === 3) return { get correct(): number { return hostile(); }, total: 0 };
  if (kind === 4) return new Proxy({}, { get: hostile, ownKeys: hostile, getOwnPropertyDescriptor: hostile, getPrototypeOf: hostile, has: hostile });
  if (kind === 5) return Symbol('result');
  if (kind === 6) return Promise.reject(Symbol('rejected'));
  return { then(resolve: (v: unknown) => void) { resolve({ correct: -1, total: -1 }); resolve({ correct: 0, total: 0 }); } };
}
