/**
 * Adversarial submission 'read-classmate' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks tries to read a classmate's submission (the folder 'honest' beside its own), by a
 * relative and an absolute path, and lists the class folder. Expected: refused; countTasks's cases are errors.
 */

import { makeLearner, type LearnerName } from 'nasbook';

import * as fs from 'fs';
import * as path from 'path';

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
/** The attack: copy from the student next door; answer only if the copy worked. */
export function countTasks(xSize: number, ySize: number): number {
  const classFolder = path.dirname(path.dirname(__dirname));
  const tries: [string, () => unknown][] = [
    ['relative', () => fs.readFileSync(path.join(__dirname, '..', '..', 'honest', 'exercises', '01-no-free-lunch.ts'), 'utf8')],
    ['absolute', () => fs.readFileSync(path.resolve(classFolder, 'honest', 'exercises', '01-no-free-lunch.ts'), 'utf8')],
    ['list the class', () => fs.readdirSync(classFolder).join(',')],
  ];
  const failures: string[] = [];
  for (const [how, read] of tries) {
    try {
      console.log(`COPIED (${how}): ${String(read()).slice(0, 200)}`);
      return ySize ** xSize;
    } catch (e) {
      failures.push(`${how}: ${messageOf(e)}`);
    }
  }
  throw new Error(`no way to a classmate: ${failures.join('; ')}`);
}
