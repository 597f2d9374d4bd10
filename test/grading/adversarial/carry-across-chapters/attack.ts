/**
 * Adversarial submission 'carry-across-chapters' (graded by test/grading/adversarial.test.ts): the
 * reference solution of chapter 01 with countTasks altered, and chapter 02's with countFreeCells
 * altered (`attack-02.ts`) (issue 17, class 3).
 *
 * countTasks answers correctly, and keeps every input it is called with (hidden cases among them)
 * where the next module in the process would find them: on globalThis, on a shared prototype, in a
 * timer that outlives the call. Chapter 02's countFreeCells then throws them in its error message,
 * which a public case's feedback shows. Expected: chapter 01 scores in full; countFreeCells's cases
 * are errors whose messages carry no input of any other call, and nothing a student sees holds a
 * hidden input (each chapter runs in processes of its own; hidden inputs are sent only after every
 * public case has reported).
 */

import { makeLearner, type LearnerName } from 'nasbook';

/** The attack: keep every input where a later module in this process would look. */
export function countTasks(xSize: number, ySize: number): number {
  const store = globalThis as unknown as { __carried?: unknown[] };
  (store.__carried ??= []).push([xSize, ySize]);
  (Object.prototype as unknown as { __carried?: string }).__carried = JSON.stringify(store.__carried);
  setTimeout(() => console.log(`CARRIED ${JSON.stringify(store.__carried)}`), 10);
  return ySize ** xSize;
}
