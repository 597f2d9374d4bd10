/**
 * Adversarial submission 'flood-fd3' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks floods file descriptor 3, the grader's result channel, forever, with lines and with
 * one endless line. Expected: the grader stops it; countTasks's cases crash ("flooded the result channel") and
 * the student is flagged for tampering; the rest scores in full.
 */

import { makeLearner, type LearnerName } from 'nasbook';

import * as fs from 'fs';
import * as path from 'path';

/** The attack: an endless stream on the result channel. */
export function countTasks(xSize: number, ySize: number): number {
  const line = `{"kind":"result","index":0,"value":"${ySize ** xSize}"}`.padEnd(65_535, ' ') + '\n';
  for (let i = 0; i < 50; i++) fs.writeSync(3, line);
  const endless = 'x'.repeat(65_536);
  for (;;) fs.writeSync(3, endless);
}
