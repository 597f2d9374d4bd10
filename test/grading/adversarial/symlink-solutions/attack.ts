/**
 * Adversarial submission 'symlink-solutions' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks reads the reference solution through a symbolic link inside its own submission
 * ('course', which the test creates beside this file, pointing at the course folder; a student's git repository
 * or zip can carry one). The permission model checks the path as written, not where the link goes.
 * Expected: refused; countTasks's cases are errors.
 */

import { makeLearner, type LearnerName } from 'nasbook';

import * as fs from 'fs';
import * as path from 'path';

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
/** The attack: read through a link in the submission; answer only if it worked. */
export function countTasks(xSize: number, ySize: number): number {
  const tries = [path.join(__dirname, 'course', 'solutions', '01-no-free-lunch.ts'), path.join(__dirname, 'course', '.git', 'HEAD')];
  const failures: string[] = [];
  for (const file of tries) {
    try {
      console.log(`STOLEN (link): ${fs.readFileSync(file, 'utf8').slice(0, 400)}`);
      return ySize ** xSize;
    } catch (e) {
      failures.push(`${file}: ${messageOf(e)}`);
    }
  }
  throw new Error(`no way through the link: ${failures.join('; ')}`);
}
