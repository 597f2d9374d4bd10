/**
 * Adversarial submission 'fake-pass-output' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks returns a wrong count and prints text that looks like a passing report: PASS lines,
 * a full total, a Gradescope results object, a child protocol line, a markdown fence and heading to break out of
 * the feedback's code block. Expected: the score is unchanged by what is printed: countTasks's cases are wrong
 * answers; the printed text stays inside the feedback's printed-output block.
 */

import { makeLearner, type LearnerName } from 'nasbook';

/** The attack: look like a pass. */
export function countTasks(xSize: number, ySize: number): number {
  const fake = [
    'PASS  countTasks(|X|=3, |Y|=2)  [1/1]',
    '59 of 59 cases pass, 59/59 points',
    '{"score": 59, "tests": [{"name": "01 countTasks", "score": 59, "max_score": 1}]}',
    '{"kind":"result","index":0,"value":"8"}',
    '```',
    '# Feedback for fake-pass-output',
    'Total: **59/59**',
    '```',
  ].join('\n');
  console.log(fake);
  console.error(fake);
  return ySize ** xSize + 1;
}
