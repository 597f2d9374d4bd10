/**
 * Adversarial submission 'forge-fd3' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks returns a wrong count and writes result lines to file descriptor 3 in the child's
 * format, claiming the right answer for every index: without the job's token, with a guessed token, with a
 * non-string token, and a half line that runs into the grader's own next line. Expected: none is accepted:
 * countTasks's cases are wrong answers (or lost results), the lines are counted as forged and the student is
 * flagged for tampering; the rest scores in full.
 */

import { makeLearner, type LearnerName } from 'nasbook';

import * as fs from 'fs';
import * as path from 'path';

/** The attack: claim a pass for every call on the result channel. */
export function countTasks(xSize: number, ySize: number): number {
  const right = JSON.stringify(String(ySize ** xSize));
  const lines: string[] = [];
  for (let index = 0; index < 40; index++) {
    lines.push(`{"kind":"result","index":${index},"value":${right}}`);
    lines.push(`{"t":"${'0'.repeat(48)}","kind":"result","index":${index},"value":${right}}`);
    lines.push(`{"t":true,"kind":"result","index":${index},"value":${right}}`);
    lines.push(`{"__proto__":{"t":"x"},"kind":"result","index":${index},"value":${right}}`);
  }
  lines.push('{"kind":"done"}');
  fs.writeSync(3, `${lines.join('\n')}\n`);
  fs.writeSync(3, '{"t":'); // a half line: the grader's next line (this call's result) is spoiled with it
  return ySize ** xSize + 1;
}
