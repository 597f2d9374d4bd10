/**
 * Adversarial submission 'flood-stdout' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks prints 8 MB on stdout and stderr on every call, then answers correctly. Harmless by
 * design: output is capped. Expected: full marks; the kept output is capped at the grader's limit.
 */

import { makeLearner, type LearnerName } from 'nasbook';

/** The attack: drown the grader in output (then answer). */
export function countTasks(xSize: number, ySize: number): number {
  const chunk = `${'FLOOD '.repeat(10_000)}\n`;
  for (let i = 0; i < 100; i++) process.stdout.write(chunk);
  for (let i = 0; i < 40; i++) process.stderr.write(chunk);
  return ySize ** xSize;
}
