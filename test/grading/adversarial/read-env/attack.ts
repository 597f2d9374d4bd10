/**
 * Adversarial submission 'read-env' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks reads the environment variables it inherited (the instructor may keep the seed
 * in one), also by asking process.loadEnvFile to parse the parent's /proc environ. Expected: the environment is
 * empty and the file read is refused; countTasks's cases are errors; no variable appears in the output.
 */

import { makeLearner, type LearnerName } from 'nasbook';

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
/** The attack: print every variable; answer only if there was one. */
export function countTasks(xSize: number, ySize: number): number {
  const failures: string[] = [];
  try {
    (process as unknown as { loadEnvFile(file: string): void }).loadEnvFile(`/proc/${process.ppid}/environ`);
  } catch (e) {
    failures.push(`loadEnvFile: ${messageOf(e)}`);
  }
  const names = Object.keys(process.env);
  if (names.length) {
    console.log(`LEAKED ${names.map((n) => `${n}=${process.env[n]}`).join('\n')}`);
    return ySize ** xSize;
  }
  throw new Error(`no environment to read: ${failures.join('; ') || 'process.env is empty'}`);
}
