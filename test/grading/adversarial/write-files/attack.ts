/**
 * Adversarial submission 'write-files' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks tries to write: marker files in a scratch folder and beside itself, a folder, a
 * symlink, a copy, async writes, a write stream, and (without changing a byte) opening the grader's child script
 * and the reference solution for appending. Expected: every write is refused; countTasks's cases are errors;
 * no marker exists afterwards and the grader's files are unchanged.
 */

import { makeLearner, type LearnerName } from 'nasbook';

import * as fs from 'fs';
import * as path from 'path';

/** Where this attack may leave traces (written beside this file by the test), with defaults. */
function attackConfig(): { markerDir: string; port: number } {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, 'attack.json'), 'utf8')) as { markerDir: string; port: number };
  } catch {
    return { markerDir: '/tmp', port: 47651 };
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The course folder: "nasbook" resolves into its dist/ folder. */
function courseRoot(): string {
  return path.dirname(path.dirname(require.resolve('nasbook')));
}
/** The attack: leave a mark anywhere; answer only if one write worked. */
export async function countTasks(xSize: number, ySize: number): Promise<number> {
  const { markerDir } = attackConfig();
  const root = courseRoot();
  const appendNothing = (file: string) => fs.closeSync(fs.openSync(file, 'a'));
  const tries: [string, () => unknown][] = [
    ['marker', () => fs.writeFileSync(path.join(markerDir, 'write-marker.txt'), 'pwned')],
    ['marker beside itself', () => fs.writeFileSync(path.join(__dirname, 'write-marker.txt'), 'pwned')],
    ['append', () => fs.appendFileSync(path.join(markerDir, 'append-marker.txt'), 'pwned')],
    ['folder', () => fs.mkdirSync(path.join(markerDir, 'folder-marker'))],
    ['symlink', () => fs.symlinkSync(path.join(root, 'solutions'), path.join(__dirname, 'link-marker'))],
    ['copy', () => fs.copyFileSync(path.join(root, 'solutions', '01-no-free-lunch.ts'), path.join(markerDir, 'copy-marker.ts'))],
    ['the child script', () => appendNothing(path.join(root, 'dist', 'grading', 'child.js'))],
    ['the solution', () => appendNothing(path.join(root, 'solutions', '01-no-free-lunch.ts'))],
  ];
  const failures: string[] = [];
  for (const [how, write] of tries) {
    try {
      write();
      return ySize ** xSize;
    } catch (e) {
      failures.push(`${how}: ${messageOf(e)}`);
    }
  }
  try {
    await fs.promises.writeFile(path.join(markerDir, 'async-marker.txt'), 'pwned');
    return ySize ** xSize;
  } catch (e) {
    failures.push(`async: ${messageOf(e)}`);
  }
  try {
    await new Promise<void>((resolve, reject) => {
      const stream = fs.createWriteStream(path.join(markerDir, 'stream-marker.txt'));
      stream.on('error', reject);
      stream.end('pwned', (err?: unknown) => (err ? reject(err) : resolve()));
    });
    return ySize ** xSize;
  } catch (e) {
    failures.push(`stream: ${messageOf(e)}`);
  }
  throw new Error(`no way to write: ${failures.join('; ')}`);
}
