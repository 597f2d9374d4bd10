/**
 * Adversarial submission 'read-seed' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks hunts for the instructor's seed where a grader started as
 * `nasbook grade --seed ...` keeps it: the parent's command line and environment under /proc (and its own).
 * Expected: every read is refused; countTasks's cases are errors; the seed appears nowhere in the output.
 */

import { makeLearner, type LearnerName } from 'nasbook';

import * as fs from 'fs';
import * as path from 'path';

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
/** The attack: read the parent's command line and environment; answer only if one read worked. */
export function countTasks(xSize: number, ySize: number): number {
  const files = [
    `/proc/${process.ppid}/cmdline`, `/proc/${process.ppid}/environ`, `/proc/${process.ppid}/task/${process.ppid}/environ`,
    '/proc/self/environ', '/proc/self/cmdline', `/proc/${process.ppid}/fd`,
  ];
  const leaked: string[] = [];
  const failures: string[] = [];
  for (const file of files) {
    try {
      const text = file.endsWith('/fd') ? fs.readdirSync(file).join(',') : fs.readFileSync(file, 'utf8');
      leaked.push(`${file}: ${text.replace(/\0/g, ' ')}`);
    } catch (e) {
      failures.push(`${file}: ${messageOf(e)}`);
    }
  }
  if (leaked.length) {
    console.log(`LEAKED ${leaked.join('\n')}`);
    return ySize ** xSize;
  }
  throw new Error(`no way to the seed: ${failures.join('; ')}`);
}
