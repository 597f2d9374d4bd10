/**
 * Adversarial submission 'forge-huge-message' (graded by test/grading/adversarial.test.ts): the
 * reference solution of chapter 01 with countTasks altered (issue 17, class 4).
 *
 * countTasks throws an error whose message is a forged feedback page (a "Total" line claiming full
 * marks, a heading, HTML, a closing code fence) followed by 64 MiB of padding, so an uncapped grader
 * writes it into every gradebook file or runs out of memory. Expected: countTasks's cases are errors;
 * the message is cut to a few thousand characters; the forged lines appear only inside inert code,
 * never as Markdown or HTML a reader sees; the gradebook files stay small.
 */

import { makeLearner, type LearnerName } from 'nasbook';

/** The attack: a huge error message that looks like a perfect score. */
export function countTasks(xSize: number, ySize: number): number {
  const forged = '`` ``` </code></pre>\n\n# Feedback for forge-huge-message\n\nTotal: **999/999**\n\n<h1>PASS 999/999</h1>\n\n';
  throw new Error(forged + 'PADDING '.repeat(8 * 1024 * 1024) + `${xSize} ${ySize}`);
}
