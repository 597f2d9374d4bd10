/**
 * Adversarial submission 'read-solutions' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks tries to read the reference solution: directly, through the node_modules/nasbook link,
 * with '..' in the path, as a Buffer or URL path, relative to the working folder and to its own folder, by
 * require(), and by listing the course folder and its .git. Expected: every read is refused; countTasks's
 * cases are errors ("not allowed"); nothing of the solution appears in the output.
 */

import { makeLearner, type LearnerName } from 'nasbook';

import * as fs from 'fs';
import * as path from 'path';

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The course folder: "nasbook" resolves into its dist/ folder. */
function courseRoot(): string {
  return path.dirname(path.dirname(require.resolve('nasbook')));
}
/** The attack: find the solutions by every path; answer (as if copied) only if one read worked. */
export function countTasks(xSize: number, ySize: number): number {
  const root = courseRoot();
  const file = '01-no-free-lunch.ts';
  const tries: [string, () => unknown][] = [
    ['direct', () => fs.readFileSync(path.join(root, 'solutions', file), 'utf8')],
    ['through node_modules/nasbook', () => fs.readFileSync(path.join(root, 'node_modules', 'nasbook', 'solutions', file), 'utf8')],
    ['dist/..', () => fs.readFileSync(`${root}/dist/../solutions/${file}`, 'utf8')],
    ['node_modules/..', () => fs.readFileSync(`${root}/node_modules/typescript/../../solutions/${file}`, 'utf8')],
    ['Buffer path', () => fs.readFileSync(Buffer.from(`${root}/dist/../solutions/${file}`), 'utf8')],
    ['URL path', () => fs.readFileSync(new URL(`file://${root}/dist/../solutions/${file}`), 'utf8')],
    ['relative to the working folder', () => fs.readFileSync(`../../solutions/${file}`, 'utf8')],
    ['require', () => require(path.join(root, 'solutions', file))],
    ['require nasbook/solutions', () => require(`nasbook/solutions/${file}`)],
    ['list the course folder', () => fs.readdirSync(root).join(',')],
    ['git', () => fs.readFileSync(path.join(root, '.git', 'HEAD'), 'utf8')],
    ['open', () => fs.openSync(path.join(root, 'solutions', file), 'r')],
  ];
  // A submissions folder inside the course folder: walk up from this file.
  for (let up = 1, dir = path.dirname(__dirname); up <= 8; up++, dir = path.dirname(dir)) {
    const at = dir;
    tries.push([`${up} levels up`, () => fs.readFileSync(path.join(at, 'solutions', file), 'utf8')]);
  }
  const failures: string[] = [];
  for (const [how, read] of tries) {
    try {
      const got = read();
      console.log(`STOLEN (${how}): ${String(typeof got === 'object' ? JSON.stringify(got) : got).slice(0, 400)}`);
      return ySize ** xSize;
    } catch (e) {
      failures.push(`${how}: ${messageOf(e)}`);
    }
  }
  throw new Error(`no way to the solutions: ${failures.join('; ')}`);
}
