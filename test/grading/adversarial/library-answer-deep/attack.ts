/**
 * Adversarial submission 'library-answer-deep' (graded by test/grading/adversarial.test.ts): the
 * reference solution of chapter 01 with countTasks altered (issue 17, class 10).
 *
 * Like 'library-answer', but around the front door: countTasks takes the library's countTasks
 * from a deep path into dist/ (the defining file, and the folder's index that re-exports it), and
 * from a fresh copy of the defining file compiled by hand, and keeps the first that works.
 * Expected: every path reaches the one protected implementation or is refused; countTasks's cases
 * are errors naming the library rule; the student carries the 'library' flag.
 */

import { makeLearner, type LearnerName } from 'nasbook';

import * as fs from 'fs';
import * as path from 'path';

type Count = (x: number, y: number) => number;

/** The library's built folder, found from the front door. */
function dist(): string {
  return path.dirname(require.resolve('nasbook'));
}

/** A fresh module compiled from the library's own file text. */
function freshCopy(file: string): Record<string, unknown> {
  const ModuleClass = module.constructor as unknown as new (id: string) => { _compile(code: string, file: string): void; exports: Record<string, unknown>; paths: string[] };
  const m = new ModuleClass(`${file}.copy`);
  m.paths = [];
  m._compile(fs.readFileSync(file, 'utf8'), `${file}.copy.js`);
  return m.exports;
}

/** The attack: the library's countTasks by a side path. */
export function countTasks(xSize: number, ySize: number): number {
  const file = path.join(dist(), 'nfl', 'tasks.js');
  const ways: [string, () => Count][] = [
    ['fresh copy', () => freshCopy(file).countTasks as Count],
    ['defining file', () => (require(file) as { countTasks: Count }).countTasks],
    ['folder index', () => (require(path.join(dist(), 'nfl')) as { countTasks: Count }).countTasks],
  ];
  const failures: string[] = [];
  for (const [how, get] of ways) {
    try {
      return get()(xSize, ySize);
    } catch (e) {
      failures.push(`${how}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new Error(`no way in: ${failures.join('; ')}`);
}
