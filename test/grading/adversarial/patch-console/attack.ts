/**
 * Adversarial submission 'patch-console' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks returns a wrong count and replaces console.log, console.error and
 * process.stdout.write so that whatever the program prints is turned into result lines on file descriptor 3,
 * then prints. Harmless by design: the grader does not use the child's console. Expected: countTasks's cases
 * are wrong answers; the forged lines are counted and flagged as tampering; the rest scores in full.
 */

import { makeLearner, type LearnerName } from 'nasbook';

import * as fs from 'fs';
import * as path from 'path';

/** The attack: every print becomes a claimed result on the grader's channel. */
export function countTasks(xSize: number, ySize: number): number {
  const right = ySize ** xSize;
  const forge = (...parts: unknown[]) => {
    for (let index = 0; index < 40; index++) {
      fs.writeSync(3, `{"kind":"result","index":${index},"value":${JSON.stringify(String(right))},"note":${JSON.stringify(parts.join(' '))}}\n`);
    }
    return true;
  };
  console.log = forge;
  console.error = forge;
  console.info = forge;
  process.stdout.write = forge as unknown as typeof process.stdout.write;
  console.log('countTasks PASS');
  return right + 1;
}
