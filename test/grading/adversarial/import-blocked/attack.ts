/**
 * Adversarial submission 'import-blocked' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks imports modules a graded function has no use for: child_process, net,
 * worker_threads, http. Expected: each import is refused by name ("not allowed"); countTasks's cases are errors.
 */

import { makeLearner, type LearnerName } from 'nasbook';

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
/** The attack: load a forbidden module; answer only if one loaded. */
export function countTasks(xSize: number, ySize: number): number {
  const failures: string[] = [];
  for (const name of ['child_process', 'node:child_process', 'net', 'worker_threads', 'http']) {
    try {
      require(name);
      return ySize ** xSize;
    } catch (e) {
      failures.push(messageOf(e));
    }
  }
  throw new Error(failures.join('; '));
}
